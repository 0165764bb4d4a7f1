/**
 * Training pairs for super-resolution from any image dataset: random crops
 * of the images a run may train on, flipped and turned, with their
 * low-resolution versions; and the held-out images it never sees.
 */
import type { Dataset } from '../../datasets/dataset.js';
import { Rng } from '../rng.js';
import { lowResOf, type LowResSettings } from './degrade.js';

/** Independent of every run's seed: runs on one dataset are measured on the same images. */
const HELD_OUT_SEED = 0x5eed;
/** Enough images to measure on; the rest are for training. */
const MAX_HELD_OUT = 24;

export interface Split {
  train: Int32Array;
  heldOut: Int32Array;
}

/** A tenth of the images (at least one, at most 24) held out, by a fixed seeded draw; at least one left to train on. */
export function heldOutSplit(count: number): Split {
  if (count < 2) throw new Error('super-resolution needs at least 2 images: one to train on, one to measure with');
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const rng = Rng.fromSeed(HELD_OUT_SEED);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const held = Math.min(MAX_HELD_OUT, Math.max(1, Math.round(count / 10)));
  return { train: order.slice(held).sort(), heldOut: order.slice(0, held).sort() };
}

/** One of the 8 symmetries of the square: transpose, then flip rows, then flip columns, by the bits of `t`. */
function dihedral(y: number, x: number, n: number, t: number): [number, number] {
  if (t & 4) [y, x] = [x, y];
  if (t & 2) y = n - 1 - y;
  if (t & 1) x = n - 1 - x;
  return [y, x];
}

export interface PairBatch {
  /** [n, crop, crop, c] in [-1, 1]. */
  hr: Float32Array;
  /** [n, crop/s, crop/s, c] in [-1, 1]. */
  lr: Float32Array;
}

export interface PairSettings extends LowResSettings {
  crop: number;
  flips: boolean;
}

/**
 * n random crops of side `crop` from the training images, each flipped or
 * turned when `flips`, and their low-resolution versions, scaled to [-1, 1].
 * The low-resolution versions are made on the CPU by the same code that
 * makes the held-out ones, so training and measurement degrade alike.
 */
export function pairBatch(data: Dataset, train: Int32Array, n: number, s: PairSettings, rng: Rng): PairBatch {
  const { crop, scale, flips } = s;
  const { size, channels: c, pixels } = data;
  const per = crop * crop * c;
  const small = crop / scale;
  const hr = new Float32Array(n * per);
  const lr = new Float32Array(n * small * small * c);
  const patch = new Float32Array(per);
  for (let i = 0; i < n; i++) {
    const k = train[rng.int(train.length)];
    const oy = rng.int(size - crop + 1);
    const ox = rng.int(size - crop + 1);
    const t = flips ? rng.int(8) : 0;
    const base = k * size * size * c;
    for (let y = 0; y < crop; y++) {
      for (let x = 0; x < crop; x++) {
        const [sy, sx] = dihedral(y, x, crop, t);
        const src = base + ((oy + sy) * size + ox + sx) * c;
        for (let ch = 0; ch < c; ch++) patch[(y * crop + x) * c + ch] = pixels[src + ch];
      }
    }
    const low = lowResOf({ data: patch, width: crop, height: crop, channels: c }, s, rng);
    for (let j = 0; j < per; j++) hr[i * per + j] = patch[j] / 127.5 - 1;
    for (let j = 0; j < low.data.length; j++) lr[i * low.data.length + j] = low.data[j] / 127.5 - 1;
  }
  return { hr, lr };
}

/** The fixed degradation draw of held-out image k: the same at every checkpoint and in every run. */
export function heldOutRng(k: number): Rng {
  return Rng.fromSeed(HELD_OUT_SEED + 1 + k);
}

/** Image k of a dataset as 0–255 floats. */
export function imageOf(data: Dataset, k: number): { data: Float32Array; width: number; height: number; channels: number } {
  const per = data.size * data.size * data.channels;
  return { data: Float32Array.from(data.pixels.subarray(k * per, (k + 1) * per)), width: data.size, height: data.size, channels: data.channels };
}
