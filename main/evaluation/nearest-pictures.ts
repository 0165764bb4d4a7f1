/**
 * The memorisation check as pictures: the evaluation's most typical and
 * most novel samples, each beside its nearest training image in the judge's
 * features and its nearest in pixels, so that a person can see whether
 * "closest" means "copied".
 */
import type { Dataset } from '../core/dataset.js';
import type { ImageBatch } from '../core/image-batch.js';
import { encodePng, toBytes } from '../images/png.js';
import { nearestInPixels, type NearestSample } from '../judges/memorisation.js';
import type { NearestPair, NearestPictures } from './evaluation.js';

const png = async (pixels: Uint8Array, data: Dataset) => (await encodePng(pixels, data.size, data.size, data.channels)).toString('base64');

/** referenceRows: the dataset index of each row of the judge's real reference (RealReference.indices). */
export async function nearestPictures(
  step: number,
  batch: ImageBatch,
  data: Dataset,
  referenceRows: ArrayLike<number>,
  threshold: number,
  picks: { typical: NearestSample; novel: NearestSample },
): Promise<NearestPictures | undefined> {
  // A family whose samples are not the dataset's shape (none yet) gets no pictures rather than a wrong search.
  if (batch.size !== data.size || batch.channels !== data.channels) return undefined;
  const per = data.size * data.size * data.channels;
  const image = (i: number) => data.pixels.subarray(i * per, (i + 1) * per);
  const pairs: NearestPair[] = [];
  for (const kind of ['typical', 'novel'] as const) {
    const pick = picks[kind];
    const sample = toBytes(batch, pick.sample);
    const byPixels = nearestInPixels(sample, data.pixels, per);
    pairs.push({
      kind,
      sample: await png(sample, data),
      byFeatures: await png(image(referenceRows[pick.reference]), data),
      featureDistance: pick.distance,
      byPixels: await png(image(byPixels.index), data),
      pixelRms: byPixels.rms,
    });
  }
  return { step, threshold, pairs };
}
