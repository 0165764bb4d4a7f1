/**
 * A super-resolution checkpoint measured on its dataset's held-out images
 * (never trained on): each whole image is reduced as training reduces crops,
 * upscaled by the model (in tiles) and by bicubic interpolation, and both
 * are compared with the original — PSNR and SSIM on luma, a border of the
 * scale factor left out. FID and the other judge figures compare patches of
 * the upscaled images with the same patches of the originals, in a fixed
 * random network's features: what the adversarial phase is for.
 */
import type { Dataset } from '../../core/dataset.js';
import { heldOutRng, heldOutSplit, imageOf } from '../../engine/held-out.js';
import { lowResOf, type LowResSettings } from './degrade.js';
import { cropToMultiple, resizeBicubic, type Image } from '../../images/resample.js';
import { upscaleTiled } from './tiles.js';
import type { SrTrainer } from './trainer.js';
import { disposeJudge, evaluateSamples, fidelity, realReference, type Judge } from '../../judges/index.js';
import { randomFeaturesJudge } from '../../evaluation/judges.js';
import type { Evaluation } from '../../evaluation/evaluation.js';

/** Patches per evaluation, at most: enough for stable statistics of 64 features. */
const MAX_PATCHES = 1000;

export interface HeldOut {
  /** Whole held-out images, cropped to a multiple of the scale, 0–255. */
  originals: Image[];
  /** Their reduced versions, as the model sees them. */
  small: Image[];
}

export function heldOutImages(data: Dataset, s: LowResSettings): HeldOut {
  const held = Array.from(heldOutSplit(data.count).heldOut);
  const originals = held.map((k) => cropToMultiple(imageOf(data, k), s.scale));
  return { originals, small: originals.map((img, i) => lowResOf(img, s, heldOutRng(held[i]))) };
}

/** Non-overlapping `crop`-sided patches at the same places of each image pair, spread over the images, up to MAX_PATCHES. */
function patches(pairs: [Image, Image][], crop: number): { a: Float32Array; b: Uint8Array; count: number } {
  const spots: [number, number, number][] = [];
  pairs.forEach(([img], i) => {
    for (let y = 0; y + crop <= img.height; y += crop) for (let x = 0; x + crop <= img.width; x += crop) spots.push([i, x, y]);
  });
  const every = Math.max(1, spots.length / MAX_PATCHES);
  const chosen = spots.filter((_, j) => Math.floor(j / every) !== Math.floor((j - 1) / every));
  const c = pairs[0][0].channels;
  const per = crop * crop * c;
  const a = new Float32Array(chosen.length * per);
  const b = new Uint8Array(chosen.length * per);
  chosen.forEach(([i, x0, y0], p) => {
    const [sr, hr] = pairs[i];
    for (let y = 0; y < crop; y++) {
      for (let x = 0; x < crop * c; x++) {
        const src = ((y0 + y) * sr.width + x0) * c + x;
        a[p * per + y * crop * c + x] = sr.data[src] / 127.5 - 1;
        b[p * per + y * crop * c + x] = Math.round(Math.min(255, Math.max(0, hr.data[src])));
      }
    }
  });
  return { a, b, count: chosen.length };
}

export async function evaluateSuperRes(model: SrTrainer, data: Dataset, held: HeldOut, step: number): Promise<Evaluation> {
  const t0 = performance.now();
  const { scale, crop } = model.spec;
  const sums = { psnr: 0, ssim: 0, psnrBicubic: 0, ssimBicubic: 0 };
  const pairs: [Image, Image][] = [];
  const bicubicPairs: [Image, Image][] = [];
  for (const [i, original] of held.originals.entries()) {
    const up = await upscaleTiled(model, held.small[i]);
    const bicubic = resizeBicubic(held.small[i], original.width, original.height);
    const f = fidelity(up, original, scale);
    const b = fidelity(bicubic, original, scale);
    sums.psnr += f.psnr;
    sums.ssim += f.ssim;
    sums.psnrBicubic += b.psnr;
    sums.ssimBicubic += b.ssim;
    pairs.push([up, original]);
    bicubicPairs.push([bicubic, original]);
  }
  const n = held.originals.length;
  const p = patches(pairs, crop);
  let judged: Pick<Evaluation, 'fid' | 'kid' | 'diversity' | 'nearDuplicates'> = { fid: Number.NaN, kid: Number.NaN, diversity: Number.NaN, nearDuplicates: Number.NaN };
  let fidBicubic = Number.NaN;
  // Patch statistics need a few patches; a dataset of small images held out too few gets none.
  if (p.count >= 2) {
    const judge: Judge = await randomFeaturesJudge(crop, model.spec.channels, data.name);
    try {
      const real = await realReference(judge, { name: data.name, size: crop, channels: model.spec.channels, count: p.count, pixels: p.b, labels: null, classNames: [] }, p.count, 1);
      const e = await evaluateSamples(judge, real, p.a, p.count);
      judged = { fid: e.fid, kid: e.kid, diversity: e.diversity, nearDuplicates: e.nearDuplicates };
      // Bicubic's patches at the same places, against the same reference: the line the model's FID is read against.
      fidBicubic = (await evaluateSamples(judge, real, patches(bicubicPairs, crop).a, p.count)).fid;
    } finally {
      disposeJudge(judge);
    }
  }
  return {
    step,
    ...judged,
    classesCovered: null,
    numClasses: null,
    classAccuracy: null,
    fidelity: { psnr: sums.psnr / n, ssim: sums.ssim / n, psnrBicubic: sums.psnrBicubic / n, ssimBicubic: sums.ssimBicubic / n, fidBicubic, images: n },
    judge: 'random-features',
    ms: performance.now() - t0,
  };
}
