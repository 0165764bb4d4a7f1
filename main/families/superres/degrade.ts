/**
 * How low-resolution training inputs are made. 'none': the clean downscale
 * (the literature's benchmark setting). 'realistic': Real-ESRGAN's first-order
 * synthesis — Gaussian blur, the downscale, Gaussian noise (colour or grey),
 * JPEG compression — with a fresh random draw per image, so a model learns
 * to restore photos as cameras and the web leave them rather than only to
 * invert one known filter. JPEG is simulated (8×8 DCT blocks quantised by the
 * IJG tables at a quality, YCbCr with 4:2:0 chroma, libjpeg's triangle
 * upsampling) because the trainer runs where no codec is at hand; the test
 * holds it to libjpeg's own round trip.
 */
import type { Rng } from '../../engine/rng.js';
import { downscale, type Downscale, type Image } from '../../images/resample.js';

export const SR_DEGRADATIONS = ['none', 'realistic'] as const;
export type Degradation = (typeof SR_DEGRADATIONS)[number];

export interface LowResSettings {
  scale: number;
  downscale: Downscale;
  degradation: Degradation;
}

/** Real-ESRGAN's first-order ranges (blur σ in high-resolution pixels at ×4, noise σ in 0–255 levels, JPEG quality). */
export const REALISTIC = { blur: [0.2, 3], noise: [1, 30], greyNoise: 0.4, jpeg: [30, 95] } as const;

/** The low-resolution input for a high-resolution image (0–255 floats), degraded as the settings say. */
export function lowResOf(hr: Image, s: LowResSettings, rng: Rng): Image {
  if (s.degradation !== 'realistic') return downscale(hr, s.scale, s.downscale);
  const between = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng.uniform();
  // The blur range is Real-ESRGAN's for ×4; at ×2 a pixel of blur is worth twice as much.
  const sigma = between(REALISTIC.blur) * (s.scale / 4);
  let img = downscale(gaussianBlur(hr, sigma), s.scale, s.downscale);
  img = addNoise(img, between(REALISTIC.noise), rng.uniform() < REALISTIC.greyNoise, rng);
  return jpegRoundTrip(img, Math.round(between(REALISTIC.jpeg)));
}

function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - m;
  return m;
}

/** Separable Gaussian blur, edges mirrored; σ below 0.1 pixel is no blur. */
export function gaussianBlur(img: Image, sigma: number): Image {
  if (sigma < 0.1) return img;
  const r = Math.ceil(3 * sigma);
  const k = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const { width: w, height: h, channels: c } = img;
  const pass = (src: Float32Array, along: 'x' | 'y') => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let t = -r; t <= r; t++) {
            const [yy, xx] = along === 'x' ? [y, mirror(x + t, w)] : [mirror(y + t, h), x];
            acc += k[t + r] * src[(yy * w + xx) * c + ch];
          }
          out[(y * w + x) * c + ch] = acc;
        }
      }
    }
    return out;
  };
  return { ...img, data: pass(pass(img.data, 'x'), 'y') };
}

/** Gaussian noise of σ levels, the same in every channel when `grey`. */
export function addNoise(img: Image, sigma: number, grey: boolean, rng: Rng): Image {
  const { width: w, height: h, channels: c } = img;
  const noise = rng.normal(grey ? w * h : w * h * c, 0, sigma);
  const data = img.data.map((v, i) => v + noise[grey ? Math.floor(i / c) : i]);
  return { ...img, data };
}

const LUMA_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24,
  35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_TABLE = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, ...new Array<number>(32).fill(99),
];

/** The IJG table for a quality 1–100, as libjpeg's jpeg_set_quality scales it (baseline: 1–255). */
export function quantTable(base: readonly number[], quality: number): Float64Array {
  const q = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  return Float64Array.from(base, (b) => Math.min(255, Math.max(1, Math.floor((b * q + 50) / 100))));
}

// cos((2x + 1)uπ/16) · C(u)/2, the orthonormal 8-point DCT-II basis.
const BASIS = Float64Array.from({ length: 64 }, (_, i) => {
  const [u, x] = [Math.floor(i / 8), i % 8];
  return (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
});

/** One plane (w and h multiples of 8, values level-shifted) quantised in 8×8 DCT blocks, in place. */
function quantisePlane(p: Float64Array, w: number, h: number, table: Float64Array): void {
  const block = new Float64Array(64);
  const tmp = new Float64Array(64);
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = p[(by + y) * w + bx + x];
      // Forward: rows, then columns.
      for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) { let a = 0; for (let x = 0; x < 8; x++) a += BASIS[u * 8 + x] * block[y * 8 + x]; tmp[y * 8 + u] = a; }
      for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) { let a = 0; for (let y = 0; y < 8; y++) a += BASIS[v * 8 + y] * tmp[y * 8 + u]; block[v * 8 + u] = Math.round(a / table[v * 8 + u]) * table[v * 8 + u]; }
      // Inverse: columns, then rows.
      for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) { let a = 0; for (let v = 0; v < 8; v++) a += BASIS[v * 8 + y] * block[v * 8 + u]; tmp[y * 8 + u] = a; }
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) { let a = 0; for (let u = 0; u < 8; u++) a += BASIS[u * 8 + x] * tmp[y * 8 + u]; p[(by + y) * w + bx + x] = a; }
    }
  }
}

/** An image compressed as a baseline JPEG at `quality` and decoded again (grey images as one plane). */
export function jpegRoundTrip(img: Image, quality: number): Image {
  const { width: w, height: h, channels: c } = img;
  const at = (x: number, y: number, ch: number) => Math.min(255, Math.max(0, Math.round(img.data[(Math.min(y, h - 1) * w + Math.min(x, w - 1)) * c + ch])));
  const out = new Float32Array(img.data.length);
  if (c === 1) {
    const [pw, ph] = [Math.ceil(w / 8) * 8, Math.ceil(h / 8) * 8];
    const y = Float64Array.from({ length: pw * ph }, (_, i) => at(i % pw, Math.floor(i / pw), 0) - 128);
    quantisePlane(y, pw, ph, quantTable(LUMA_TABLE, quality));
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) out[j * w + i] = Math.min(255, Math.max(0, Math.round(y[j * pw + i] + 128)));
    return { ...img, data: out };
  }
  // Padded to whole 16×16 macroblocks by repeating the last row and column, as libjpeg does.
  const [pw, ph] = [Math.ceil(w / 16) * 16, Math.ceil(h / 16) * 16];
  const Y = new Float64Array(pw * ph);
  const cb = new Float64Array(pw * ph);
  const cr = new Float64Array(pw * ph);
  for (let j = 0; j < ph; j++) {
    for (let i = 0; i < pw; i++) {
      const [r, g, b] = [at(i, j, 0), at(i, j, 1), at(i, j, 2)];
      const k = j * pw + i;
      Y[k] = Math.round(0.299 * r + 0.587 * g + 0.114 * b) - 128;
      cb[k] = -0.168736 * r - 0.331264 * g + 0.5 * b;
      cr[k] = 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }
  quantisePlane(Y, pw, ph, quantTable(LUMA_TABLE, quality));
  // 4:2:0: chroma as the mean of each 2×2 block, quantised at half size, brought back by libjpeg's triangle filter.
  const [cw, chh] = [pw / 2, ph / 2];
  const half = (p: Float64Array) => {
    const s = new Float64Array(cw * chh);
    for (let j = 0; j < chh; j++) for (let i = 0; i < cw; i++) s[j * cw + i] = Math.round((p[2 * j * pw + 2 * i] + p[2 * j * pw + 2 * i + 1] + p[(2 * j + 1) * pw + 2 * i] + p[(2 * j + 1) * pw + 2 * i + 1]) / 4);
    quantisePlane(s, cw, chh, quantTable(CHROMA_TABLE, quality));
    return s;
  };
  const full = (s: Float64Array, x: number, y: number) => {
    // Each full-resolution sample: ¾ of its own half-resolution sample and ¼ of the next one toward it, in both directions.
    const sx = Math.floor(x / 2), sy = Math.floor(y / 2);
    const nx = Math.min(cw - 1, Math.max(0, x % 2 ? sx + 1 : sx - 1)), ny = Math.min(chh - 1, Math.max(0, y % 2 ? sy + 1 : sy - 1));
    return (9 * s[sy * cw + sx] + 3 * s[sy * cw + nx] + 3 * s[ny * cw + sx] + s[ny * cw + nx]) / 16;
  };
  const [Cb, Cr] = [half(cb), half(cr)];
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const y = Y[j * pw + i] + 128;
      const [b, r] = [full(Cb, i, j), full(Cr, i, j)];
      const o = (j * w + i) * c;
      out[o] = y + 1.402 * r;
      out[o + 1] = y - 0.344136 * b - 0.714136 * r;
      out[o + 2] = y + 1.772 * b;
      for (let ch = 0; ch < 3; ch++) out[o + ch] = Math.min(255, Math.max(0, Math.round(out[o + ch])));
      for (let ch = 3; ch < c; ch++) out[o + ch] = img.data[(j * w + i) * c + ch];
    }
  }
  return { ...img, data: out };
}
