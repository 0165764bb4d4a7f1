/** The translation families' evaluation and export (Node). */
import type { Dataset } from '../../core/dataset.js';
import type { Direction, FamilyHost, ImageJob, JobProgress } from '../family.js';
import type { TrainConfig } from '../run-config.js';
import { CycleGanTrainer } from './cyclegan.js';
import { evaluateCycleGan, evaluatePix2Pix } from './evaluation.js';
import { saveTranslators } from './export.js';
import { readForTranslation, translatedPng } from './io.js';
import type { TranslationModel } from './load.js';
import { Pix2PixTrainer } from './pix2pix.js';
import { translateTiled } from './tiles.js';

/** The datasets of the run last evaluated (domain B a dataset of its own or null), kept for its next checkpoint. */
let loaded: { key: string; data: Dataset; dataB: Dataset | null } | null = null;

function datasetsOf(config: TrainConfig, dataset: (name: string) => Dataset) {
  const nameB = config.translate?.datasetB ?? null;
  const key = `${config.dataset}\0${nameB ?? ''}`;
  if (loaded?.key !== key) loaded = { key, data: dataset(config.dataset), dataB: nameB ? dataset(nameB) : null };
  return loaded;
}

const exportedUse = (t: Pix2PixTrainer | CycleGanTrainer) =>
  `${t.spec.norm === 'instance' ? 'call registerInstanceNorm(tf) from instance-norm.js first; ' : ''}input images in [-1, 1] (${t.spec.size} px as trained), output the translation, same size`;

/** Both families' translate job (the service has checked the direction against the model's). */
async function translate(model: TranslationModel, job: ImageJob & { direction: Direction; derive: boolean }, progress: JobProgress) {
  const { direction } = job;
  const input = await readForTranslation(Buffer.from(job.image), model, direction, job.derive, job.name);
  if (job.check) return { png: new Uint8Array(), width: input.image.width, height: input.image.height };
  const out = await translateTiled(model, input.image, direction, progress);
  return { png: new Uint8Array(await translatedPng(out, input)), width: out.width, height: out.height };
}

export const pix2pixHost: FamilyHost<Pix2PixTrainer> = {
  evaluate: async (c, step, sources) => {
    const { data } = datasetsOf(c.config, sources.dataset);
    const model = Pix2PixTrainer.create(c.config, data, c);
    try {
      return await evaluatePix2Pix(model, data, step);
    } finally {
      model.dispose();
    }
  },
  exportModel: (t, dir, meta) => saveTranslators(t, dir, meta),
  exportedUse,
  translate,
};

export const cycleGanHost: FamilyHost<CycleGanTrainer> = {
  evaluate: async (c, step, sources) => {
    const { data, dataB } = datasetsOf(c.config, sources.dataset);
    const model = CycleGanTrainer.create(c.config, data, dataB, c);
    try {
      return await evaluateCycleGan(model, step);
    } finally {
      model.dispose();
    }
  },
  exportModel: (t, dir, meta) => saveTranslators(t, dir, meta),
  exportedUse,
  translate,
};
