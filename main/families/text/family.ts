/** The text-to-image family (task 'text2image', GAN-INT-CLS): an image–text encoder, then a generator conditioned on caption vectors. */
import { ganFamily } from '../gan/family.js';
import type { ModelFamily } from '../family.js';
import { TextGanTrainer } from './trainer.js';

export const textFamily: ModelFamily<TextGanTrainer> = {
  task: 'text2image',
  label: 'text-to-image',
  does: 'it draws from a prompt (gan-studio generate --prompt "…")',
  can: ['prompt'],
  refuseData: (config, dataset) => {
    const sized = ganFamily.refuseData!(config, dataset);
    if (sized) return sized;
    return dataset(config.dataset).captioned
      ? null
      : `dataset ${config.dataset} has no captions: import it with captions.csv, captions.json or captions.txt beside the images (or class folders), or train model dcgan`;
  },
  createTrainer: (config, data, from) => TextGanTrainer.create(config, data, from),
  load: (c) => TextGanTrainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.textHost),
  nextStep: (run) => `images: gan-studio generate --run ${run} --prompt "…" --out images`,
};
