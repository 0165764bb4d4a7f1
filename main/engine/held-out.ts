/**
 * The images an image-to-image run never trains on: a fixed seeded draw per
 * dataset, so that every run on it (super-resolution, translation) is
 * measured on the same ones, each with a fixed random draw of its own.
 */
import type { Dataset } from '../core/dataset.js';
import { Rng } from './rng.js';

/** Independent of every run's seed: runs on one dataset are measured on the same images. */
const HELD_OUT_SEED = 0x5eed;
/** Enough images to measure on; the rest are for training. */
const MAX_HELD_OUT = 24;

export interface Split {
  train: Int32Array;
  heldOut: Int32Array;
}

/** A tenth of the images (at least one, at most `max`: 24 suit super-resolution's whole-image measures) held out, by a fixed seeded draw; at least one left to train on. */
export function heldOutSplit(count: number, max = MAX_HELD_OUT): Split {
  if (count < 2) throw new Error('a held-out split needs at least 2 images: one to train on, one to measure with');
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const rng = Rng.fromSeed(HELD_OUT_SEED);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const held = Math.min(max, Math.max(1, Math.round(count / 10)));
  return { train: order.slice(held).sort(), heldOut: order.slice(0, held).sort() };
}

/** The fixed random draw of held-out image k (its degradation, its mask): the same at every checkpoint and in every run. */
export function heldOutRng(k: number): Rng {
  return Rng.fromSeed(HELD_OUT_SEED + 1 + k);
}

/** Image k of a dataset as 0–255 floats. */
export function imageOf(data: Dataset, k: number): { data: Float32Array; width: number; height: number; channels: number } {
  const per = data.size * data.size * data.channels;
  return { data: Float32Array.from(data.pixels.subarray(k * per, (k + 1) * per)), width: data.size, height: data.size, channels: data.channels };
}
