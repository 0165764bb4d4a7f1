/** The GAN family (task 'generate'): DCGAN, and its class-conditional form, drawing images from noise. */
import { SIZES } from '../../engine/networks.js';
import type { ModelFamily } from '../family.js';
import { Trainer } from './trainer.js';

export const ganFamily: ModelFamily<Trainer> = {
  task: 'generate',
  label: 'GAN',
  does: 'it generates images from noise (gan-studio sample)',
  can: ['sample', 'edit', 'export-images', 'export-model', 'augment', 'fine-tune'],
  refuseData: (config, dataset) => {
    const { size } = dataset(config.dataset);
    return (SIZES as readonly number[]).includes(size)
      ? null
      : `dataset ${config.dataset} has ${size} px images; the GAN networks are built for ${SIZES.join(', ')} px (train super-resolution on it, or import it at 128 px)`;
  },
  createTrainer: (config, data, from) => Trainer.create(config, data, from),
  load: (c) => Trainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.ganHost),
  nextStep: (run) => `samples: gan-studio sample --run ${run} --count 64 --out samples`,
  runName: (config) => `${config.dataset.replace(/^builtin:/, '')} ${config.model}/${config.loss}`,
};
