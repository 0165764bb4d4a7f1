/** The MLP GAN's evaluation (Node): the judged scores every family drawing from noise gets. */
import { drawFromNoise, evaluateAgainst } from '../noise-evaluation.js';
import type { FamilyHost } from '../family.js';
import { MlpTrainer } from './trainer.js';

export const mlpHost: FamilyHost<MlpTrainer> = {
  evaluate: (c, step, sources) => evaluateAgainst<MlpTrainer>(c, step, sources, (ck) => MlpTrainer.fromCheckpoint(ck), drawFromNoise),
};
