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
export function memorisation(near: NearestTraining, threshold: number): { share: number; typical: { sample: number; reference: number }; novel: { sample: number; reference: number } } {
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
    typical: { sample: lo, reference: near.index[lo] },
    novel: { sample: hi, reference: near.index[hi] },
  };
}
