/** The super-resolution family's evaluation and export (Node). */
import type { Dataset } from '../../core/dataset.js';
import { saveLayersModel } from '../../export/tfjs-model.js';
import { readForUpscale, upscaledPng } from '../../images/full-size-io.js';
import type { FamilyHost } from '../family.js';
import { evaluateSuperRes, heldOutImages, type HeldOut } from './evaluation.js';
import { srGeneratorModel } from './export.js';
import { upscaleTiled } from './tiles.js';
import { SrTrainer } from './trainer.js';

/** The held-out images of the dataset last evaluated, kept for its next checkpoint (per scale and downscaling). */
let heldOut: { key: string; data: Dataset; images: HeldOut } | null = null;

export const superResHost: FamilyHost<SrTrainer> = {
  evaluate: async (c, step, sources) => {
    const sr = c.config.superres!;
    const key = `${c.config.dataset}\0${sr.scale}\0${sr.downscale}`;
    if (heldOut?.key !== key) {
      const data = sources.dataset(c.config.dataset);
      heldOut = { key, data, images: heldOutImages(data, sr) };
    }
    const model = SrTrainer.fromCheckpoint(c);
    try {
      return await evaluateSuperRes(model, heldOut.data, heldOut.images, step);
    } finally {
      model.dispose();
    }
  },
  exportModel: async (t, dir, meta) => {
    const { scale, channels } = t.spec;
    const model = srGeneratorModel(t.sampler(), t.spec);
    try {
      const output = `images ${scale}× the input's size in about [-1, 1] (clip before display), NHWC; input any size, [-1, 1]`;
      return await saveLayersModel(model, dir, { ...meta, task: 'superres', scale, channels, phase: t.weightsPhase, inputs: ['low_resolution'], output });
    } finally {
      model.dispose();
    }
  },
  exportedUse: (t) => `input low-resolution images in [-1, 1] of any size, output ${t.spec.scale}× larger (${t.weightsPhase} phase, step ${t.step})`,
  upscale: async (model, job, progress) => {
    const { scale } = model.spec;
    const input = await readForUpscale(Buffer.from(job.image), model.spec.channels, scale, job.name);
    const { width, height } = input.image;
    if (job.check) return { png: new Uint8Array(), width: width * scale, height: height * scale, inputWidth: width, inputHeight: height };
    const out = await upscaleTiled(model, input.image, job.tile, progress);
    return { png: new Uint8Array(await upscaledPng(out, input)), width: out.width, height: out.height, inputWidth: width, inputHeight: height };
  },
};
