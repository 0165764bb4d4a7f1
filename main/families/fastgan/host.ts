/** FastGAN's evaluation (Node): the judged scores every family drawing from noise gets. */
import { drawFromNoise, evaluateAgainst } from '../noise-evaluation.js';
import type { FamilyHost } from '../family.js';
import { FastGanTrainer } from './trainer.js';

export const fastGanHost: FamilyHost<FastGanTrainer> = {
  evaluate: (c, step, sources) => evaluateAgainst<FastGanTrainer>(c, step, sources, (ck) => FastGanTrainer.fromCheckpoint(ck), drawFromNoise),
};
