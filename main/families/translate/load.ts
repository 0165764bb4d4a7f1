/** A translation checkpoint's model, for translating images (it cannot train). */
import type { CheckpointData } from '../run-checkpoint.js';
import type { TranslateSpec } from './networks.js';
import { CycleGanTrainer } from './cyclegan.js';
import { Pix2PixTrainer } from './pix2pix.js';

export type TranslationModel = Pix2PixTrainer | CycleGanTrainer;

export function translatorFromCheckpoint(c: CheckpointData): TranslationModel {
  return (c.spec as TranslateSpec).task === 'pix2pix' ? Pix2PixTrainer.fromCheckpoint(c) : CycleGanTrainer.fromCheckpoint(c);
}
