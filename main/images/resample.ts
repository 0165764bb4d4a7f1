/**
 * Resampling on plain arrays (super-resolution's inputs and baselines, translation's tiles): the low-resolution
 * version of an image (area: the mean of each s×s block; bicubic: MATLAB's
 * imresize, antialiased) and the bicubic upscaling every SR result is
 * compared with. MATLAB's conventions, as the SR literature's numbers use
 * them: Keys' cubic with a = −0.5, the kernel widened by the factor when
 * shrinking, symmetric (mirror) padding at the edges.
 */
/** An image as numbers: height × width × channels, row-major. */
export interface Plane {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels: number;
}

export type Downscale = 'area' | 'bicubic';

export interface Image {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

export function cubic(x: number): number {
  const a = Math.abs(x);
  if (a <= 1) return 1.5 * a ** 3 - 2.5 * a ** 2 + 1;
  if (a < 2) return -0.5 * a ** 3 + 2.5 * a ** 2 - 4 * a + 2;
  return 0;
}

/** Mirror an index into [0, n): -1 → 0, n → n − 1 (MATLAB's 'symmetric'). */
function mirror(i: number, n: number): number {
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
}

/** For each output index, the input indices and weights along one axis (MATLAB imresize's contributions). */
export function contributions(inSize: number, outSize: number): { index: Int32Array; weight: Float64Array; taps: number } {
  const scale = outSize / inSize;
  // Shrinking: the kernel stretched by 1/scale, so it low-passes (antialiasing).
  const stretch = scale < 1 ? scale : 1;
  const width = 4 / stretch;
  const taps = Math.ceil(width) + 2;
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) / scale - 0.5;
    const left = Math.floor(center - width / 2);
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const i = left + k;
      const w = stretch * cubic(stretch * (center - i));
      index[o * taps + k] = mirror(i, inSize);
      weight[o * taps + k] = w;
      sum += w;
    }
    for (let k = 0; k < taps; k++) weight[o * taps + k] /= sum;
  }
  return { index, weight, taps };
}

/** MATLAB's bicubic imresize to outWidth × outHeight (rows first, then columns, in float64). */
export function resizeBicubic(img: Plane, outWidth: number, outHeight: number): Image {
  const { width, height, channels } = img;
  const src = img.data;
  const cols = contributions(width, outWidth);
  const rows = contributions(height, outHeight);
  const mid = new Float64Array(height * outWidth * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < cols.taps; k++) s += cols.weight[x * cols.taps + k] * src[(y * width + cols.index[x * cols.taps + k]) * channels + c];
        mid[(y * outWidth + x) * channels + c] = s;
      }
    }
  }
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < rows.taps; k++) s += rows.weight[y * rows.taps + k] * mid[(rows.index[y * rows.taps + k] * outWidth + x) * channels + c];
        out[(y * outWidth + x) * channels + c] = s;
      }
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels };
}

/** The mean of every s×s block; the image must be a whole number of blocks. */
export function downscaleArea(img: Plane, s: number): Image {
  const { width, height, channels } = img;
  if (width % s || height % s) throw new Error(`a ${width}×${height} image is not a whole number of ${s}×${s} blocks`);
  const w = width / s;
  const h = height / s;
  const out = new Float32Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) sum += img.data[((y * s + dy) * width + x * s + dx) * channels + c];
        out[(y * w + x) * channels + c] = sum / (s * s);
      }
    }
  }
  return { data: out, width: w, height: h, channels };
}

/** The low-resolution version of an image that a model of factor s learns to undo. */
export function downscale(img: Plane, s: number, how: Downscale): Image {
  return how === 'area' ? downscaleArea(img, s) : resizeBicubic(img, img.width / s, img.height / s);
}

/** The largest top-left part of an image that is a whole number of s×s blocks. */
export function cropToMultiple(img: Plane, s: number): Image {
  const w = img.width - (img.width % s);
  const h = img.height - (img.height % s);
  const out = new Float32Array(w * h * img.channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w * img.channels; x++) out[y * w * img.channels + x] = img.data[y * img.width * img.channels + x];
  }
  return { data: out, width: w, height: h, channels: img.channels };
}
