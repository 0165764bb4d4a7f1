/**
 * Whether a generator copies its training images: for each sample, the
 * nearest of the real reference's (training) images in the judge's feature
 * space. A sample closer to a training image than real images almost ever
 * are to one another (the reference's near-duplicate threshold: the 1st
 * percentile of their nearest-neighbour distances) counts as memorised; a
 * generator that returns training images scores 1, fresh real images about
 * the threshold's quantile, 0.01.
 */
import { rows } from './frechet.js';

export interface NearestTraining {
  /** Per sample: the distance to its nearest reference image, and that image's row in the reference. */
  distance: Float64Array;
  index: Int32Array;
}

export function nearestTraining(samples: ArrayLike<number>, reference: ArrayLike<number>, F: number): NearestTraining {
  const n = rows(samples, F);
  const m = rows(reference, F);
  if (m < 1) throw new Error('the nearest training image needs a reference');
  const x = Float64Array.from(samples as ArrayLike<number>);
  const r = Float64Array.from(reference as ArrayLike<number>);
  const distance = new Float64Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let at = 0;
    for (let j = 0; j < m; j++) {
      let d2 = 0;
      for (let f = 0; f < F; f++) {
        const d = x[i * F + f] - r[j * F + f];
        d2 += d * d;
      }
      if (d2 < best) {
        best = d2;
        at = j;
      }
    }
    distance[i] = Math.sqrt(best);
    index[i] = at;
  }
  return { distance, index };
}

/** The memorisation figures of a batch: the share within the threshold, and its most typical (closest) and most novel (farthest) samples with their nearest reference rows. */
export interface NearestSample {
  sample: number;
  /** Its nearest reference row, and the distance to it in the judge's features. */
  reference: number;
  distance: number;
}

export function memorisation(near: NearestTraining, threshold: number): { share: number; typical: NearestSample; novel: NearestSample } {
  let k = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < near.distance.length; i++) {
    // ≤: an exact copy is memorised even when the threshold is 0.
    if (near.distance[i] <= threshold) k++;
    if (near.distance[i] < near.distance[lo]) lo = i;
    if (near.distance[i] > near.distance[hi]) hi = i;
  }
  return {
    share: k / near.distance.length,
    typical: { sample: lo, reference: near.index[lo], distance: near.distance[lo] },
    novel: { sample: hi, reference: near.index[hi], distance: near.distance[hi] },
  };
}

/** Pixel values compared per search at most: a 70k-image digit set is searched whole, a large colour set at an even stride. */
const PIXEL_BUDGET = 4e8;

/**
 * The training image nearest to one image in pixels (8-bit NHWC, `per`
 * values each), and the root-mean-square difference to it in 0–255 units.
 * The judge's features say what looks alike to it; this says what a person
 * would call a copy.
 */
export function nearestInPixels(image: Uint8Array, pixels: Uint8Array, per: number): { index: number; rms: number } {
  const count = Math.floor(pixels.length / per);
  if (count < 1 || image.length !== per) throw new Error('the nearest training image in pixels needs images of the same shape');
  const stride = Math.max(1, Math.ceil((count * per) / PIXEL_BUDGET));
  let best = Infinity;
  let at = 0;
  for (let j = 0; j < count; j += stride) {
    const o = j * per;
    let d2 = 0;
    for (let p = 0; p < per && d2 < best; p++) {
      const d = image[p] - pixels[o + p];
      d2 += d * d;
    }
    if (d2 < best) {
      best = d2;
      at = j;
    }
  }
  return { index: at, rms: Math.sqrt(best / per) };
}
