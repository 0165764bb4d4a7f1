/** The translation families: pix2pix (paired, task 'pix2pix') and CycleGAN (unpaired, task 'cyclegan'), one folder for their shared networks and I/O. */
import type { DatasetInfo } from '../../datasets/store.js';
import type { ModelFamily } from '../family.js';
import type { TrainConfig } from '../run-config.js';
import { CycleGanTrainer } from './cyclegan.js';
import { translationColumns } from './metrics.js';
import { unetDepth } from './networks.js';
import { Pix2PixTrainer } from './pix2pix.js';

const DOES = 'it translates images (gan-studio translate)';
/** The widths, norm and blocks of both families' networks, and pix2pix's input (its channels). */
const networkSettings = (config: TrainConfig) => {
  const t = config.translate;
  return t ? [t.ngf, t.ndf, t.norm, t.blocks, t.source] : [];
};
const SOURCE_NAMES = { gray: 'gray → colour', edges: 'edges → image', mask: 'masked → filled', pairs: 'A → B' } as const;

export const pix2pixFamily: ModelFamily<Pix2PixTrainer> = {
  task: 'pix2pix',
  label: 'translation',
  does: DOES,
  can: ['translate', 'export-model'],
  refuseData: (config, dataset) => {
    const info = dataset(config.dataset);
    const t = config.translate!;
    if (unetDepth(info.size) < 2) return `dataset ${config.dataset} has ${info.size} px images; pix2pix needs a side divisible by 4`;
    if (t.source === 'gray' && info.channels === 1) return `dataset ${config.dataset} is grayscale already; colourisation needs colour images`;
    if (t.source === 'pairs' && (info.classes.length !== 2 || !info.classes.every((c) => /^[ab]$/i.test(c)))) {
      return `dataset ${config.dataset} is not a paired dataset: import folders A/ and B/ (or side-by-side A|B images) as pairs`;
    }
    if (info.imageCount < (t.source === 'pairs' ? 4 : 2)) return `dataset ${config.dataset} is too small: pix2pix needs pairs to train on and one to measure with`;
    return null;
  },
  createTrainer: (config, data, from) => Pix2PixTrainer.create(config, data, from),
  networkSettings,
  load: (c) => Pix2PixTrainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.pix2pixHost),
  nextStep: (run) => `translate: gan-studio translate --run ${run} IMAGE… --out DIR`,
  metricColumns: translationColumns,
  runName: (config) => {
    const t = config.translate!;
    return `${config.dataset.replace(/^builtin:/, '')} pix2pix ${SOURCE_NAMES[t.source]}${t.advWeight === 0 ? ' (L1 alone)' : ''}`;
  },
};

function refuseDomains(config: TrainConfig, dataset: (name: string) => DatasetInfo): string | null {
  const info = dataset(config.dataset);
  const t = config.translate!;
  if (t.datasetB) {
    const b = dataset(t.datasetB);
    if (b.size !== info.size || b.channels !== info.channels) {
      return `the two domains must have images of one size and channels: ${info.name} has ${info.size} px ×${info.channels}, ${b.name} ${b.size} px ×${b.channels}`;
    }
    if (info.imageCount < 2 || b.imageCount < 2) return 'each domain needs at least 2 images: one to train on, one to measure with';
  } else {
    for (const c of [t.classA!, t.classB!]) if (!info.classes.includes(c)) return `dataset ${config.dataset} has no class "${c}"`;
  }
  if (info.size % 4 !== 0) return `dataset ${config.dataset} has ${info.size} px images; CycleGAN needs a side divisible by 4`;
  return null;
}

export const cycleGanFamily: ModelFamily<CycleGanTrainer> = {
  task: 'cyclegan',
  label: 'translation',
  does: DOES,
  can: ['translate', 'export-model'],
  refuseData: refuseDomains,
  secondDataset: (config) => config.translate?.datasetB ?? null,
  createTrainer: (config, data, from, dataB) => CycleGanTrainer.create(config, data, dataB, from),
  networkSettings,
  load: (c) => CycleGanTrainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.cycleGanHost),
  nextStep: (run) => `translate: gan-studio translate --run ${run} IMAGE… --out DIR`,
  metricColumns: translationColumns,
  runName: (config) => {
    const t = config.translate!;
    return `${t.classA ?? config.dataset.replace(/^builtin:/, '')} ↔ ${t.datasetB ?? t.classB} CycleGAN`;
  },
};
