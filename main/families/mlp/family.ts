/**
 * The MLP GAN (task 'mlp'): the 2014 GAN's fully connected networks on
 * small images. The studio's smallest family, and the template a new one
 * starts from (docs/families.md): a descriptor here, its Node parts in
 * host.ts, one line in ../registry.ts.
 */
import type { ModelFamily } from '../family.js';
import { MLP_SIZES } from './networks.js';
import { MlpTrainer } from './trainer.js';

export const mlpFamily: ModelFamily<MlpTrainer> = {
  task: 'mlp',
  label: 'MLP GAN',
  does: 'it generates images from noise (gan-studio sample)',
  can: ['sample', 'export-images'],
  refuseData: (config, dataset) => {
    const { size } = dataset(config.dataset);
    return (MLP_SIZES as readonly number[]).includes(size) ? null : `dataset ${config.dataset} has ${size} px images; the MLP GAN trains on ${MLP_SIZES.join(' or ')} px`;
  },
  createTrainer: (config, data, from) => MlpTrainer.create(config, data, from),
  load: (c) => MlpTrainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.mlpHost),
  nextStep: (run) => `samples: gan-studio sample --run ${run} --count 64 --out samples`,
  runName: (config) => `${config.dataset.replace(/^builtin:/, '')} mlp/${config.loss}`,
};
