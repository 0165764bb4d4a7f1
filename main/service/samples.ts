import { useBackend } from '../engine/backends.js';
import type { CheckpointData } from '../engine/checkpoint.js';
import { Trainer } from '../engine/trainer.js';
import { StudioError } from '../errors.js';
import { imagePng } from '../images/png.js';
import { classLabels, generateBatch, sampleLatents } from '../training/preview.js';
import type { ParsedInput } from './contract.js';

let backend: Promise<unknown> | null = null;

/** Images from a checkpoint, from a seed or from explicit latents, optionally of one class. */
export async function generateSamples(ckpt: CheckpointData, input: ParsedInput<'samples.generate'>) {
  backend ??= useBackend('auto');
  await backend;
  const trainer = Trainer.fromCheckpoint(ckpt);
  try {
    const { zDim, numClasses } = trainer.spec;
    let z: Float32Array;
    let labels: Int32Array | null;
    if (input.latents) {
      if (input.latents.some((l) => l.length !== zDim)) throw new StudioError(`each latent needs ${zDim} numbers`, 'INVALID_INPUT');
      z = Float32Array.from(input.latents.flat());
      labels = numClasses > 0 ? new Int32Array(input.latents.length) : null;
    } else {
      ({ z, labels } = sampleLatents(trainer, input.count, input.seed ?? 1));
    }
    if (input.classLabel !== undefined) labels = classLabels(trainer, z.length / zDim, input.classLabel);
    const batch = generateBatch(trainer, z, labels);
    const images = await Promise.all(Array.from({ length: batch.count }, (_, i) => imagePng(batch, i).then((b) => b.toString('base64'))));
    const latents = Array.from({ length: batch.count }, (_, i) => Array.from(z.subarray(i * zDim, (i + 1) * zDim)));
    return { step: ckpt.step, images, latents };
  } finally {
    trainer.dispose();
  }
}
