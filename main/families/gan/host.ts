/** The GAN family's evaluation and export (Node). */
import { generatorModel, saveLayersModel } from '../../export/tfjs-model.js';
import type { FamilyHost } from '../family.js';
import { drawFromNoise, evaluateAgainst } from '../noise-evaluation.js';
import { Trainer } from './trainer.js';

export const ganHost: FamilyHost<Trainer> = {
  evaluate: (c, step, sources) => evaluateAgainst<Trainer>(c, step, sources, (ck) => Trainer.fromCheckpoint(ck), drawFromNoise),
  exportModel: async (t, dir, meta) => {
    const { zDim, numClasses, size, channels } = t.spec;
    const model = generatorModel(t.sampler(), t.spec);
    try {
      return await saveLayersModel(model, dir, { ...meta, task: 'generate', zDim, numClasses, size, channels, inputs: numClasses ? ['z', 'label_onehot'] : ['z'], output: 'images in [-1, 1], NHWC' });
    } finally {
      model.dispose();
    }
  },
  exportedUse: (t) => `input z of ${t.spec.zDim} normal numbers${t.spec.numClasses ? ` and a one-hot class of ${t.spec.numClasses}` : ''}`,
};
