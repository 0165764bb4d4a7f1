/**
 * Training pairs for super-resolution from any image dataset: random crops
 * of the images a run may train on, flipped and turned, with their
 * low-resolution versions; and the held-out images it never sees.
 */
import type { Dataset } from '../../core/dataset.js';
import type { Rng } from '../../engine/rng.js';
import { lowResOf, type LowResSettings } from './degrade.js';

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
