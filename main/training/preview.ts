import { Rng } from '../engine/rng.js';
import type { Trainer } from '../engine/trainer.js';
import { gridPng, type ImageBatch } from '../images/png.js';
import { StudioError } from '../errors.js';

/**
 * Latents for samples: drawn from their own generator so that sampling never
 * disturbs the training stream, and the same seed always gives the same faces.
 */
export function sampleLatents(trainer: Trainer, count: number, seed: number): { z: Float32Array; labels: Int32Array | null } {
  const { zDim, numClasses } = trainer.spec;
  const z = Rng.fromSeed(seed).normal(count * zDim);
  if (numClasses === 0) return { z, labels: null };
  // Class i % k, so a grid with k columns shows one class per column.
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % numClasses;
  return { z, labels };
}

/** Labels of one class for `count` images; refused for an unconditional model or a class it lacks. */
export function classLabels(trainer: Trainer, count: number, cls: number): Int32Array {
  const { numClasses } = trainer.spec;
  if (numClasses === 0) throw new StudioError('this run is not class-conditional; a class needs a cdcgan run', 'INVALID_INPUT');
  if (cls >= numClasses) throw new StudioError(`the class must be below ${numClasses}, got ${cls}`, 'INVALID_INPUT');
  return new Int32Array(count).fill(cls);
}

export function generateBatch(trainer: Trainer, z: Float32Array, labels: Int32Array | null, chunk = 100): ImageBatch {
  const { zDim, size, channels } = trainer.spec;
  const count = z.length / zDim;
  const per = size * size * channels;
  const data = new Float32Array(count * per);
  for (let i = 0; i < count; i += chunk) {
    const n = Math.min(chunk, count - i);
    const out = trainer.generateImages(z.subarray(i * zDim, (i + n) * zDim), labels ? labels.subarray(i, i + n) : null);
    data.set(out, i * per);
  }
  return { data, count, size, channels };
}

export const PREVIEW_COUNT = 64;

/** The latent seed of a run's progress grids, apart from its training seed. */
export function previewSeed(trainer: Trainer): number {
  return (trainer.config.seed + 0x9e37) >>> 0;
}

/** The progress grid of a run: the same 64 latents at every step it is drawn. */
export function previewGrid(trainer: Trainer): Promise<Buffer> {
  const { z, labels } = sampleLatents(trainer, PREVIEW_COUNT, previewSeed(trainer));
  const columns = trainer.spec.numClasses > 0 ? trainer.spec.numClasses : 8;
  return gridPng(generateBatch(trainer, z, labels), { columns });
}
