/**
 * FastGAN (task 'fastgan'): the small-data generator of Liu et al. 2021 for
 * users' own images at 64–256 px — skip-layer excitation in G, a
 * self-supervised D with reconstruction decoders (networks.ts).
 */
import type { ModelFamily } from '../family.js';
import { FastGanTrainer, refuseSize } from './trainer.js';

export const fastGanFamily: ModelFamily<FastGanTrainer> = {
  task: 'fastgan',
  label: 'FastGAN',
  does: 'it generates images from noise (gan-studio sample)',
  can: ['sample', 'export-images', 'export-model', 'fine-tune'],
  refuseData: (config, dataset) => refuseSize(config.dataset, dataset(config.dataset).size),
  createTrainer: (config, data, from) => FastGanTrainer.create(config, data, from),
  load: (c) => FastGanTrainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.fastGanHost),
  nextStep: (run) => `samples: gan-studio sample --run ${run} --count 64 --out samples`,
  runName: (config) => `${config.dataset.replace(/^builtin:/, '')} fastgan`,
};
