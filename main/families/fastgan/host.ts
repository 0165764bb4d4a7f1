/** FastGAN's evaluation and export (Node): the judged scores every family drawing from noise gets. */
import { saveLayersModel } from '../../export/tfjs-model.js';
import { drawFromNoise, evaluateAgainst } from '../noise-evaluation.js';
import type { FamilyHost } from '../family.js';
import { fastGanGeneratorModel } from './export.js';
import { FastGanTrainer } from './trainer.js';

export const fastGanHost: FamilyHost<FastGanTrainer> = {
  evaluate: (c, step, sources) => evaluateAgainst<FastGanTrainer>(c, step, sources, (ck) => FastGanTrainer.fromCheckpoint(ck), drawFromNoise),
  exportModel: async (t, dir, meta) => {
    const { zDim, size, channels } = t.spec;
    const model = fastGanGeneratorModel(t.sampler(), t.spec);
    try {
      return await saveLayersModel(model, dir, { ...meta, task: 'fastgan', zDim, numClasses: 0, size, channels, inputs: ['z'], output: 'images in [-1, 1], NHWC' });
    } finally {
      model.dispose();
    }
  },
  exportedUse: (t) => `input z of ${t.spec.zDim} normal numbers`,
};
