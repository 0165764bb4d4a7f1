/**
 * Walking a generator's latent space: straight and great-circle paths
 * between latents, truncation towards the prior's mean, and principal
 * directions of what the generator draws (GANSpace, Härkönen et al. 2020).
 * Latents are plain Float32Arrays so this runs anywhere without tensors.
 */

export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + (b[i] - a[i]) * t;
  return out;
}

/**
 * Spherical interpolation: with a Gaussian prior, points on the straight line
 * between two samples have too small a norm and look washed out; the arc
 * keeps the norm in between theirs.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const na = Math.hypot(...a);
  const nb = Math.hypot(...b);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] / na) * (b[i] / nb);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot)));
  // Nearly parallel: the arc is a line.
  if (Math.abs(Math.sin(omega)) < 1e-6) return lerp(a, b, t);
  const s = Math.sin(omega);
  const wa = Math.sin((1 - t) * omega) / s;
  const wb = Math.sin(t * omega) / s;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

/**
 * A walk through keyframes: `frames` latents from the first keyframe to the
 * last, spread evenly over the segments, ending exactly on the last.
 */
export function walk(keyframes: Float32Array[], frames: number, spherical: boolean): Float32Array[] {
  if (keyframes.length < 2) throw new RangeError('a walk needs at least two keyframes');
  if (frames < keyframes.length) throw new RangeError(`${keyframes.length} keyframes need at least ${keyframes.length} frames`);
  const segments = keyframes.length - 1;
  const out: Float32Array[] = [];
  for (let f = 0; f < frames; f++) {
    const pos = (f / (frames - 1)) * segments;
    const seg = Math.min(segments - 1, Math.floor(pos));
    const t = pos - seg;
    out.push((spherical ? slerp : lerp)(keyframes[seg], keyframes[seg + 1], t));
  }
  return out;
}

/**
 * The truncation trick: latents pulled towards the prior's mean (zero) by
 * psi ∈ [0, 1] trade variety for typical-looking samples; 1 changes nothing.
 */
export function truncate(z: Float32Array, psi: number, mean?: Float32Array): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const m = mean ? mean[i % mean.length] : 0;
    out[i] = m + psi * (z[i] - m);
  }
  return out;
}

export interface Directions {
  /** k unit directions in latent space, each zDim long. */
  directions: Float32Array[];
  /** Share of the output variance each principal component explains. */
  explained: number[];
}

/**
 * Principal directions of the generator's output, carried back into latent
 * space: PCA of n generated images X (n × d) gives components; each latent
 * direction is the least-squares map from z to that component's score.
 */
export function pcaDirections(z: Float32Array, x: Float32Array, n: number, k: number, iterations = 60): Directions {
  const zDim = z.length / n;
  const d = x.length / n;
  const xc = center(x, n, d);
  const zc = center(z, n, zDim);
  // Components by power iteration with deflation on the n × n Gram matrix (n ≪ d for images).
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) s += xc[i * d + p] * xc[j * d + p];
      gram[i * n + j] = gram[j * n + i] = s;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += gram[i * n + i];
  const scores: Float64Array[] = [];
  const explained: number[] = [];
  for (let c = 0; c < k; c++) {
    let v = new Float64Array(n).map((_, i) => Math.sin(i * 12.9898 + c * 78.233));
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += gram[i * n + j] * v[j];
        w[i] = s;
      }
      lambda = Math.hypot(...w);
      if (lambda === 0) break;
      v = w.map((x) => x / lambda);
    }
    // Deflate, so the next component is orthogonal to this one.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gram[i * n + j] -= lambda * v[i] * v[j];
    // Scores of each sample on the component: the eigenvector scaled by sqrt(lambda).
    scores.push(v.map((x) => x * Math.sqrt(lambda)));
    explained.push(total > 0 ? lambda / total : 0);
  }
  const ztz = new Float64Array(zDim * zDim);
  for (let a = 0; a < zDim; a++) {
    for (let b = a; b < zDim; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += zc[i * zDim + a] * zc[i * zDim + b];
      ztz[a * zDim + b] = ztz[b * zDim + a] = s;
    }
  }
  const directions = scores.map((score) => {
    const rhs = new Float64Array(zDim);
    for (let a = 0; a < zDim; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += zc[i * zDim + a] * score[i];
      rhs[a] = s;
    }
    const u = solveSymmetric(ztz, rhs, zDim);
    const norm = Math.hypot(...u) || 1;
    return Float32Array.from(u, (x) => x / norm);
  });
  return { directions, explained };
}

function center(x: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let p = 0; p < d; p++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + p];
    m /= n;
    for (let i = 0; i < n; i++) out[i * d + p] = x[i * d + p] - m;
  }
  return out;
}

/** Solves (A + εI) u = b for symmetric positive semi-definite A by Cholesky; ε keeps it solvable. */
function solveSymmetric(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += a[i * m + i];
  const eps = 1e-9 * (trace / m || 1);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j] + (i === j ? eps : 0);
      for (let k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
      l[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * m + j];
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * m + k] * y[k];
    y[i] = s / l[i * m + i];
  }
  const u = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < m; k++) s -= l[k * m + i] * u[k];
    u[i] = s / l[i * m + i];
  }
  return u;
}
