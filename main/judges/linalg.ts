/**
 * The little dense linear algebra the judges need, in float64: a symmetric
 * eigendecomposition (cyclic Jacobi) and the square root of a positive
 * semi-definite matrix. Matrices are row-major Float64Arrays of n×n.
 *
 * Jacobi rather than a QR-based solver: for the 64×64 covariances of judge
 * features it is a few milliseconds, needs no dependency, and computes small
 * eigenvalues to high relative accuracy, which is what the trace of a matrix
 * square root is sensitive to.
 */

export interface SymmetricEigen {
  values: Float64Array;
  /** Eigenvectors as columns: vectors[i * n + k] is component i of vector k. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 60;

export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new Error(`expected a ${n}×${n} matrix, got ${a.length} values`);
  const A = new Float64Array(n * n);
  // Rounding makes computed covariances slightly asymmetric; Jacobi assumes symmetry.
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let norm2 = 0;
  for (let i = 0; i < n * n; i++) norm2 += A[i] * A[i];
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] * A[p * n + q];
    if (off <= 1e-30 * norm2 || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const app = A[p * n + p];
        const aqq = A[q * n + q];
        // The smaller of the two rotation angles that zero A[p][q] (Rutishauser), for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i];
  return { values, vectors: V };
}

/** V·diag(f(λ))·Vᵀ for a symmetric matrix. */
export function symmetricFunction(a: ArrayLike<number>, n: number, f: (lambda: number) => number): Float64Array {
  const { values, vectors: V } = symmetricEigen(a, n);
  const fl = values.map(f);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += V[i * n + k] * fl[k] * V[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * The positive semi-definite square root. Eigenvalues that rounding pushed
 * slightly below zero are taken as zero: the input is a covariance.
 */
export function sqrtPsd(a: ArrayLike<number>, n: number): Float64Array {
  return symmetricFunction(a, n, (l) => Math.sqrt(Math.max(l, 0)));
}

export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}

export function trace(a: ArrayLike<number>, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  return t;
}
