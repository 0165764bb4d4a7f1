/**
 * Attribute directions in latent space (InterFaceGAN, Shen et al. 2020): a
 * linear boundary between latents whose images have an attribute and those
 * whose images lack it; its unit normal is the direction that adds the
 * attribute. Plain arrays, no tensors: a few thousand latents of ~100
 * numbers fit in milliseconds.
 */

export interface Boundary {
  /** Unit normal, pointing towards the attribute. */
  direction: Float32Array;
  bias: number;
  /** Share of the fitted examples on the right side of the boundary. */
  accuracy: number;
  /** Examples used: positives and negatives. */
  positives: number;
  negatives: number;
}

/**
 * L2-regularised logistic regression by Newton's method (IRLS): latents n × d,
 * labels 0/1. Deterministic, and converges in a few iterations on separable
 * or nearly separable data, which the ridge keeps finite.
 */
export function fitLogistic(z: Float32Array, labels: Uint8Array, n: number, ridge = 1e-2, iterations = 25): Boundary {
  const d = z.length / n;
  if (!Number.isInteger(d) || labels.length !== n) throw new Error('latents and labels disagree');
  let positives = 0;
  for (const y of labels) positives += y;
  if (positives === 0 || positives === n) throw new Error('a boundary needs examples with and without the attribute');
  const m = d + 1;
  const w = new Float64Array(m);
  const row = (i: number, k: number) => (k < d ? z[i * d + k] : 1);
  for (let it = 0; it < iterations; it++) {
    const h = new Float64Array(m * m);
    const g = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += w[k] * row(i, k);
      const p = 1 / (1 + Math.exp(-s));
      const r = p - labels[i];
      const c = Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < m; a++) {
        const xa = row(i, a);
        g[a] += r * xa;
        for (let b = a; b < m; b++) h[a * m + b] += c * xa * row(i, b);
      }
    }
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < a; b++) h[a * m + b] = h[b * m + a];
      // The ridge leaves the bias free.
      if (a < d) {
        h[a * m + a] += ridge * n;
        g[a] += ridge * n * w[a];
      }
    }
    const step = solve(h, g, m);
    let change = 0;
    for (let k = 0; k < m; k++) {
      w[k] -= step[k];
      change = Math.max(change, Math.abs(step[k]));
    }
    if (change < 1e-7) break;
  }
  const norm = Math.hypot(...w.subarray(0, d)) || 1;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let s = w[d];
    for (let k = 0; k < d; k++) s += w[k] * z[i * d + k];
    if (s > 0 === (labels[i] === 1)) right++;
  }
  return { direction: Float32Array.from(w.subarray(0, d), (x) => x / norm), bias: w[d] / norm, accuracy: right / n, positives, negatives: n - positives };
}

/**
 * InterFaceGAN's recipe: of n latents scored for an attribute (a probability
 * or a measure), the `share` with the highest scores are positives and the
 * `share` with the lowest negatives; the uncertain middle is left out.
 */
export function fitFromScores(z: Float32Array, scores: Float32Array, n: number, share = 0.2): Boundary {
  const d = z.length / n;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const k = Math.max(1, Math.floor(n * Math.min(share, 0.5)));
  const chosen = [...order.slice(n - k), ...order.slice(0, k)];
  const sub = new Float32Array(chosen.length * d);
  const labels = new Uint8Array(chosen.length);
  chosen.forEach((i, j) => {
    sub.set(z.subarray(i * d, (i + 1) * d), j * d);
    labels[j] = j < k ? 1 : 0;
  });
  return fitLogistic(sub, labels, chosen.length);
}

/** From examples a person marked: latents with the attribute and latents without. */
export function fitMarked(positive: Float32Array[], negative: Float32Array[]): Boundary {
  if (positive.length === 0 || negative.length === 0) throw new Error('mark at least one example with the attribute and one without');
  const d = positive[0].length;
  const all = [...positive, ...negative];
  if (all.some((z) => z.length !== d)) throw new Error('the marked latents differ in length');
  const z = new Float32Array(all.length * d);
  all.forEach((v, i) => z.set(v, i * d));
  const labels = Uint8Array.from(all, (_, i) => (i < positive.length ? 1 : 0));
  // Few examples separate trivially; a stronger ridge keeps the direction from chasing any one of them.
  return fitLogistic(z, labels, all.length, 0.1);
}

/**
 * `a` with its component along `b` removed, renormalised (InterFaceGAN's
 * conditional manipulation): moving along it leaves the attribute of `b`
 * where it was, to first order.
 */
export function decorrelate(a: Float32Array, b: Float32Array): Float32Array {
  const nb = Math.hypot(...b);
  if (nb === 0) return Float32Array.from(a);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] * b[i]) / nb;
  const out = Float32Array.from(a, (x, i) => x - (dot * b[i]) / nb);
  const norm = Math.hypot(...out);
  if (norm < 1e-6) throw new Error('the two directions are the same; one cannot be moved without the other');
  return out.map((x) => x / norm);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot / (Math.hypot(...a) * Math.hypot(...b) || 1);
}

/** z moved along each unit direction by its amount (in standard deviations of the prior along it, which are 1). */
export function moveLatent(z: Float32Array, moves: { direction: Float32Array; amount: number }[]): Float32Array {
  const out = Float32Array.from(z);
  for (const { direction, amount } of moves) {
    if (direction.length !== z.length) throw new Error(`a direction of ${direction.length} numbers for a latent of ${z.length}`);
    for (let i = 0; i < out.length; i++) out[i] += amount * direction[i];
  }
  return out;
}

/** Gaussian elimination with partial pivoting, for the small Newton systems above. */
function solve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]) > Math.abs(A[p * m + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k], A[c * m + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    const piv = A[c * m + c] || 1e-12;
    for (let r = c + 1; r < m; r++) {
      const f = A[r * m + c] / piv;
      if (f === 0) continue;
      for (let k = c; k < m; k++) A[r * m + k] -= f * A[c * m + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < m; k++) s -= A[r * m + k] * x[k];
    x[r] = s / (A[r * m + r] || 1e-12);
  }
  return x;
}
