/**
 * How close a reconstruction is to the original, as super-resolution papers
 * report it: PSNR and SSIM on the luma (Y) channel, with a border as wide as
 * the scale factor left out. SSIM as Wang et al. 2004 and scikit-image's
 * `structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False)`: an 11×11 Gaussian window, K1 = 0.01,
 * K2 = 0.03, the mean over the positions where the window fits.
 */

import type { Plane } from '../images/resample.js';

export type { Plane };

/**
 * Luma of 0–255 RGB as ITU-R BT.601 defines it for video (MATLAB's
 * rgb2ycbcr, the convention of SR benchmarks): 16–235. A one-channel
 * image is its own luma.
 */
export function luma(img: Plane): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  const d = img.data;
  if (img.channels === 1) {
    for (let i = 0; i < n; i++) out[i] = d[i];
    return out;
  }
  for (let i = 0; i < n; i++) {
    const p = i * img.channels;
    out[i] = 16 + (65.481 * d[p] + 128.553 * d[p + 1] + 24.966 * d[p + 2]) / 255;
  }
  return out;
}

/** The inner part of a width × height plane, `border` pixels in from every edge. */
export function cropBorder(plane: Float64Array, width: number, height: number, border: number): { data: Float64Array; width: number; height: number } {
  if (border === 0) return { data: plane, width, height };
  const w = width - 2 * border;
  const h = height - 2 * border;
  if (w <= 0 || h <= 0) throw new Error(`a ${width}×${height} image has nothing left inside a ${border}-pixel border`);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) out.set(plane.subarray((y + border) * width + border, (y + border) * width + border + w), y * w);
  return { data: out, width: w, height: h };
}

/** Peak signal-to-noise ratio in dB; Infinity for identical planes. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, dataRange = 255): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`PSNR needs two planes of one size, got ${a.length} and ${b.length}`);
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((dataRange * dataRange) / mse);
}

const SIGMA = 1.5;
/** scikit-image's window: 2·int(3.5σ + 0.5) + 1 taps, 11 for σ = 1.5 (SciPy's truncate of 3.5 standard deviations, rounded). */
const RADIUS = Math.trunc(3.5 * SIGMA + 0.5);
const GAUSS = (() => {
  const w = Array.from({ length: 2 * RADIUS + 1 }, (_, i) => Math.exp(-0.5 * ((i - RADIUS) / SIGMA) ** 2));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
})();

/** The Gaussian-weighted mean of `f` around every position where the whole window fits: (w − 10) × (h − 10). */
function windowMeans(f: Float64Array, width: number, height: number): Float64Array {
  const ow = width - 2 * RADIUS;
  const oh = height - 2 * RADIUS;
  // Separable: rows first (only the columns the window fits), then columns.
  const rows = new Float64Array(height * ow);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < GAUSS.length; k++) s += GAUSS[k] * f[y * width + x + k];
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < GAUSS.length; k++) s += GAUSS[k] * rows[(y + k) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

/** Mean structural similarity of two planes of one size, each at least 11×11. */
export function ssim(a: Float64Array, b: Float64Array, width: number, height: number, dataRange = 255): number {
  if (a.length !== width * height || b.length !== width * height) throw new Error('SSIM needs two planes of the given size');
  if (width < GAUSS.length || height < GAUSS.length) throw new Error(`SSIM needs images of at least ${GAUSS.length}×${GAUSS.length} pixels, got ${width}×${height}`);
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  const n = width * height;
  const aa = new Float64Array(n);
  const bb = new Float64Array(n);
  const ab = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    aa[i] = a[i] * a[i];
    bb[i] = b[i] * b[i];
    ab[i] = a[i] * b[i];
  }
  const [ma, mb, maa, mbb, mab] = [a, b, aa, bb, ab].map((f) => windowMeans(f, width, height));
  let sum = 0;
  for (let i = 0; i < ma.length; i++) {
    const va = maa[i] - ma[i] * ma[i];
    const vb = mbb[i] - mb[i] * mb[i];
    const cov = mab[i] - ma[i] * mb[i];
    sum += ((2 * ma[i] * mb[i] + c1) * (2 * cov + c2)) / ((ma[i] * ma[i] + mb[i] * mb[i] + c1) * (va + vb + c2));
  }
  return sum / ma.length;
}

export interface Fidelity {
  psnr: number;
  ssim: number;
}

/** PSNR and SSIM of a reconstruction against its original on luma, `border` pixels in (the scale factor, by convention). */
export function fidelity(result: Plane, original: Plane, border: number): Fidelity {
  if (result.width !== original.width || result.height !== original.height) {
    throw new Error(`the reconstruction is ${result.width}×${result.height}, the original ${original.width}×${original.height}`);
  }
  const a = cropBorder(luma(result), result.width, result.height, border);
  const b = cropBorder(luma(original), original.width, original.height, border);
  return { psnr: psnr(a.data, b.data), ssim: ssim(a.data, b.data, a.width, a.height) };
}
