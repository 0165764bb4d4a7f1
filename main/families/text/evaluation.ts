/**
 * Drawing a text-conditional run's images for measurement: fixed (image,
 * caption) draws from a dataset, each caption generated once with its own
 * latent. The caption's image's class is what a judge should read in the
 * result, so classAccuracy says how often the words were followed.
 */
import { Rng } from '../../engine/rng.js';
import type { ImageBatch } from '../../core/image-batch.js';
import type { TextGanTrainer } from './trainer.js';
import { captionsByImage, type Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';

export interface CaptionDraw {
  /** Caption indexes into data.captions. */
  captions: Int32Array;
  /** The class of each caption's image; null for unlabelled data. */
  labels: Int32Array | null;
}

/** n captions of the images `among` (default: every captioned image), one image at a time uniformly, then one of its captions. */
export function drawCaptions(data: Dataset, n: number, seed: number, among?: ArrayLike<number>): CaptionDraw {
  const c = data.captions;
  if (!c?.texts.length) throw new StudioError(`dataset ${data.name} has no captions`);
  const byImage = captionsByImage(c);
  const pool = among ? Array.from(among).filter((i) => byImage.has(i)) : [...byImage.keys()];
  if (pool.length === 0) throw new StudioError(`none of the chosen images of ${data.name} has a caption`);
  const rng = Rng.fromSeed(seed);
  const captions = new Int32Array(n);
  const labels = data.labels ? new Int32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const img = pool[rng.int(pool.length)];
    const own = byImage.get(img)!;
    captions[i] = own[rng.int(own.length)];
    if (labels) labels[i] = data.labels![img];
  }
  return { captions, labels };
}

/** The run's images of those captions, latents from `seed`. */
export async function generateForCaptions(trainer: TextGanTrainer, texts: readonly string[], seed: number): Promise<ImageBatch> {
  const { vectors } = await trainer.promptVectors(texts);
  return trainer.generateBatch(Rng.fromSeed(seed).normal(texts.length * trainer.spec.zDim), vectors);
}
