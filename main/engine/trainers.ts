/** The trainer a run's task calls for, built from its dataset (and the checkpoint it continues from). */
import type { CheckpointData } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { StepTrainer } from './step-loop.js';
import { SrTrainer } from './superres/trainer.js';
import { Trainer } from './trainer.js';
import type { Dataset } from '../datasets/dataset.js';

export function createTrainer(config: TrainConfig, data: Dataset, from?: CheckpointData): StepTrainer {
  return config.task === 'superres' ? SrTrainer.create(config, data, from) : Trainer.create(config, data, from);
}
