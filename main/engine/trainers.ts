/** The trainer a run's task calls for, built from its dataset(s) (and the checkpoint it continues from). */
import type { CheckpointData } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { StepTrainer } from './step-loop.js';
import { SrTrainer } from './superres/trainer.js';
import { CycleGanTrainer } from './translate/cyclegan.js';
import { Pix2PixTrainer } from './translate/pix2pix.js';
import { Trainer } from './trainer.js';
import { TextGanTrainer } from './text/trainer.js';
import type { Dataset } from '../datasets/dataset.js';

/** dataB: CycleGAN's domain B when it is a dataset of its own (config.translate.datasetB). */
export function createTrainer(config: TrainConfig, data: Dataset, from?: CheckpointData, dataB: Dataset | null = null): StepTrainer {
  switch (config.task) {
    case 'superres':
      return SrTrainer.create(config, data, from);
    case 'pix2pix':
      return Pix2PixTrainer.create(config, data, from);
    case 'cyclegan':
      return CycleGanTrainer.create(config, data, dataB, from);
    default:
      return config.model === 'text' ? TextGanTrainer.create(config, data, from) : Trainer.create(config, data, from);
  }
}
