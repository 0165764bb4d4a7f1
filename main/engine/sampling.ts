/**
 * Drawing images from a trainer: the latents of samples and previews, and
 * batches of generated images. Below training, export, evaluation and
 * generation alike, and free of files and databases, so every engine host
 * (a worker thread, a browser worker) shares it.
 */
import { Rng } from './rng.js';
import type { ImageBatch } from '../core/image-batch.js';
import { StudioError } from '../errors.js';

/**
 * What sampling needs of a model: its latent and image shapes, its seed, and
 * a batch of images from latents (a GAN trainer, or a stand-in in a test).
 */
export interface NoiseModel {
  readonly spec: { zDim: number; numClasses: number; size: number; channels: 1 | 3 };
  readonly config: { seed: number };
  generateImages(z: Float32Array, labels: Int32Array | null): Promise<Float32Array>;
}

/**
 * Latents for samples: drawn from their own generator so that sampling never
 * disturbs the training stream, and the same seed always gives the same faces.
 */
export function sampleLatents(trainer: NoiseModel, count: number, seed: number): { z: Float32Array; labels: Int32Array | null } {
  const { zDim, numClasses } = trainer.spec;
  const z = Rng.fromSeed(seed).normal(count * zDim);
  if (numClasses === 0) return { z, labels: null };
  // Class i % k, so a grid with k columns shows one class per column.
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % numClasses;
  return { z, labels };
}

/** Labels of one class for `count` images; refused for an unconditional model or a class it lacks. */
export function classLabels(trainer: NoiseModel, count: number, cls: number): Int32Array {
  const { numClasses } = trainer.spec;
  if (numClasses === 0) throw new StudioError('this run is not class-conditional; a class needs a cdcgan run', 'INVALID_INPUT');
  if (cls >= numClasses) throw new StudioError(`the class must be below ${numClasses}, got ${cls}`, 'INVALID_INPUT');
  return new Int32Array(count).fill(cls);
}

export async function generateBatch(trainer: NoiseModel, z: Float32Array, labels: Int32Array | null, chunk = 100): Promise<ImageBatch> {
  const { zDim, size, channels } = trainer.spec;
  const count = z.length / zDim;
  const per = size * size * channels;
  const data = new Float32Array(count * per);
  for (let i = 0; i < count; i += chunk) {
    const n = Math.min(chunk, count - i);
    const out = await trainer.generateImages(z.subarray(i * zDim, (i + n) * zDim), labels ? labels.subarray(i, i + n) : null);
    data.set(out, i * per);
  }
  return { data, count, size, channels };
}

export const PREVIEW_COUNT = 64;

/** The latent seed of a run's progress grids, apart from its training seed. */
export function previewSeed(trainer: Pick<NoiseModel, 'config'>): number {
  return (trainer.config.seed + 0x9e37) >>> 0;
}

/** The images of a run's progress grid: the same 64 latents at every step it is drawn, the grid's column count and the latents' seed. */
export async function previewBatch(trainer: NoiseModel): Promise<{ batch: ImageBatch; columns: number; seed: number }> {
  const seed = previewSeed(trainer);
  const { z, labels } = sampleLatents(trainer, PREVIEW_COUNT, seed);
  const columns = trainer.spec.numClasses > 0 ? trainer.spec.numClasses : 8;
  return { batch: await generateBatch(trainer, z, labels), columns, seed };
}
