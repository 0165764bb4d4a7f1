/**
 * Canny edges (Canny 1986) as scikit-image computes them (skimage.feature.canny,
 * 0.19): Gaussian smoothing with the image's outside left out (a normalised
 * blur), Sobel gradients with mirrored borders, non-maximum suppression
 * interpolated along the gradient, and hysteresis that keeps each
 * 8-connected run of candidates touching a strong one. Written out because
 * the pairs edges → image are made from any dataset on the training path,
 * with no native dependency. Checked against scikit-image in the tests.
 */

export interface CannySettings {
  sigma: number;
  /** Hysteresis thresholds on the gradient magnitude of the 0–1 image. */
  low: number;
  high: number;
}

/** scipy.ndimage's Gaussian kernel: radius ⌊4σ + 0.5⌋, normalised. */
function gaussianKernel(sigma: number): Float64Array {
  const r = Math.floor(4 * sigma + 0.5);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** One axis of the blur; weights falling outside the image are dropped and the rest renormalised. */
function blurAxis(src: Float64Array, w: number, h: number, k: Float64Array, alongX: boolean): Float64Array {
  const out = new Float64Array(w * h);
  const r = (k.length - 1) / 2;
  const n = alongX ? w : h;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = alongX ? x : y;
      let acc = 0;
      let norm = 0;
      for (let i = -r; i <= r; i++) {
        const j = at + i;
        if (j < 0 || j >= n) continue;
        const v = alongX ? src[y * w + j] : src[j * w + x];
        acc += k[i + r] * v;
        norm += k[i + r];
      }
      out[y * w + x] = acc / norm;
    }
  }
  return out;
}

/** scipy's 'reflect' border: d c b a | a b c d | d c b a. */
const reflect = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);

/** Edges of a w×h image of 0–1 values: 1 on an edge, 0 elsewhere. */
export function canny(gray: ArrayLike<number>, w: number, h: number, s: CannySettings): Uint8Array {
  let smooth: Float64Array = Float64Array.from(gray);
  if (s.sigma > 0) {
    const k = gaussianKernel(s.sigma);
    smooth = blurAxis(blurAxis(smooth, w, h, k, true), w, h, k, false);
  }
  const at = (y: number, x: number) => smooth[reflect(y, h) * w + reflect(x, w)];
  // isobel: derivative down the rows (axis 0); jsobel: along the columns (axis 1); each smoothed 1-2-1 across.
  const isobel = new Float64Array(w * h);
  const jsobel = new Float64Array(w * h);
  const mag = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let gi = 0;
      let gj = 0;
      for (let d = -1; d <= 1; d++) {
        const wt = d === 0 ? 2 : 1;
        gi += wt * (at(y + 1, x + d) - at(y - 1, x + d));
        gj += wt * (at(y + d, x + 1) - at(y + d, x - 1));
      }
      isobel[y * w + x] = gi;
      jsobel[y * w + x] = gj;
      mag[y * w + x] = Math.hypot(gi, gj);
    }
  }
  const m = (y: number, x: number) => mag[y * w + x];
  const candidate = new Uint8Array(w * h);
  // The one-pixel border never holds an edge (scikit-image's eroded mask).
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const p = y * w + x;
      const v = mag[p];
      if (!(v > 0) || v < s.low) continue;
      const gi = isobel[p];
      const gj = jsobel[p];
      const ai = Math.abs(gi);
      const aj = Math.abs(gj);
      const same = (gi >= 0 && gj >= 0) || (gi <= 0 && gj <= 0);
      const opposite = (gi <= 0 && gj >= 0) || (gi >= 0 && gj <= 0);
      let keep = false;
      // The four sectors of the gradient's direction; each compares with the magnitude
      // interpolated between two neighbours on either side, as scikit-image does.
      if (same && ai >= aj) {
        const t = aj / ai;
        keep = m(y + 1, x + 1) * t + m(y + 1, x) * (1 - t) <= v && m(y - 1, x - 1) * t + m(y - 1, x) * (1 - t) <= v;
      }
      if (!keep && same && ai <= aj) {
        const t = ai / aj;
        keep = m(y + 1, x + 1) * t + m(y, x + 1) * (1 - t) <= v && m(y - 1, x - 1) * t + m(y, x - 1) * (1 - t) <= v;
      }
      if (!keep && opposite && ai <= aj) {
        const t = ai / aj;
        keep = m(y - 1, x + 1) * t + m(y, x + 1) * (1 - t) <= v && m(y + 1, x - 1) * t + m(y, x - 1) * (1 - t) <= v;
      }
      if (!keep && opposite && ai >= aj) {
        const t = aj / ai;
        keep = m(y - 1, x + 1) * t + m(y - 1, x) * (1 - t) <= v && m(y + 1, x - 1) * t + m(y + 1, x) * (1 - t) <= v;
      }
      if (keep) candidate[p] = 1;
    }
  }
  // Hysteresis: flood each strong candidate's 8-connected run of candidates.
  const out = new Uint8Array(w * h);
  const stack: number[] = [];
  for (let p = 0; p < w * h; p++) {
    if (!candidate[p] || out[p] || mag[p] < s.high) continue;
    out[p] = 1;
    stack.push(p);
    while (stack.length) {
      const q = stack.pop()!;
      const qy = Math.floor(q / w);
      const qx = q - qy * w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const y = qy + dy;
          const x = qx + dx;
          if (y < 0 || y >= h || x < 0 || x >= w) continue;
          const r = y * w + x;
          if (candidate[r] && !out[r]) {
            out[r] = 1;
            stack.push(r);
          }
        }
      }
    }
  }
  return out;
}
