/**
 * Fréchet distance between two sets of judge features, each summarised by a
 * Gaussian (Heusel et al. 2017, "FID" when the features are Inception's):
 *
 *   ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½)
 *
 * Σ₁Σ₂ is not symmetric, so its square root is not taken directly:
 * (Σ₁Σ₂)^½ is similar to (Σ₁^½ Σ₂ Σ₁^½)^½, which is symmetric positive
 * semi-definite, so Tr (Σ₁Σ₂)^½ = Σ √λᵢ over the eigenvalues of
 * Σ₁^½ Σ₂ Σ₁^½ — two symmetric eigendecompositions, no complex parts and no
 * ill-conditioned iteration (scipy's sqrtm, as in pytorch-fid, needs an
 * ε·I fix-up when a covariance is singular; this does not).
 */
import { matMul, sqrtPsd, symmetricEigen, trace } from './linalg.js';

export interface FeatureStats {
  /** Samples the statistics were computed from. */
  n: number;
  /** Feature dimension F. */
  dim: number;
  mean: Float64Array;
  /** F×F, row-major, with the n − 1 denominator (numpy's np.cov). */
  cov: Float64Array;
}

/** Mean and covariance of n feature vectors of F values each (row-major [n × F]). */
export function featureStats(feats: ArrayLike<number>, F: number): FeatureStats {
  const n = rows(feats, F);
  if (n < 2) throw new Error('feature statistics need at least 2 samples');
  const mean = new Float64Array(F);
  for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) mean[f] += feats[i * F + f];
  for (let f = 0; f < F; f++) mean[f] /= n;
  const cov = new Float64Array(F * F);
  const d = new Float64Array(F);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) d[f] = feats[i * F + f] - mean[f];
    for (let a = 0; a < F; a++) {
      const da = d[a];
      for (let b = a; b < F; b++) cov[a * F + b] += da * d[b];
    }
  }
  for (let a = 0; a < F; a++) {
    for (let b = a; b < F; b++) {
      const v = cov[a * F + b] / (n - 1);
      cov[a * F + b] = v;
      cov[b * F + a] = v;
    }
  }
  return { n, dim: F, mean, cov };
}

export function frechetDistance(a: FeatureStats, b: FeatureStats): number {
  if (a.dim !== b.dim) throw new Error(`feature dimensions differ: ${a.dim} vs ${b.dim}`);
  const F = a.dim;
  let meanTerm = 0;
  for (let f = 0; f < F; f++) meanTerm += (a.mean[f] - b.mean[f]) ** 2;
  const rootA = sqrtPsd(a.cov, F);
  const m = matMul(matMul(rootA, b.cov, F), rootA, F);
  const { values } = symmetricEigen(m, F);
  let traceRoot = 0;
  for (const l of values) traceRoot += Math.sqrt(Math.max(l, 0));
  const d = meanTerm + trace(a.cov, F) + trace(b.cov, F) - 2 * traceRoot;
  // The distance is ≥ 0; identical sets come out at −1e-13 or so from rounding.
  return Math.max(d, 0);
}

export function rows(feats: ArrayLike<number>, F: number): number {
  if (!Number.isInteger(F) || F < 1) throw new Error(`invalid feature dimension ${F}`);
  if (feats.length % F !== 0) throw new Error(`${feats.length} values are not whole rows of ${F} features`);
  return feats.length / F;
}
