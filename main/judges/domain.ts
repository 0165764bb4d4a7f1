/**
 * Which of two domains an image belongs to, read from judge features: a
 * logistic regression fitted on the features of real images of each
 * (standardised, L2-regularised, full-batch gradient descent — a few hundred
 * images of 64 features fit in milliseconds). CycleGAN's evaluation asks it
 * what share of A→B outputs read as B.
 */

export interface DomainClassifier {
  /** Per feature: mean and scale of the training features, then the weights; and the bias. */
  mean: Float64Array;
  scale: Float64Array;
  w: Float64Array;
  b: number;
  /** Share of its own training features it classifies right. */
  trainAccuracy: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Fits p(B | features): `a` and `b` are [n × F] feature rows of real images of each domain. */
export function fitDomainClassifier(a: Float32Array, b: Float32Array, F: number, opts: { iterations?: number; l2?: number; lr?: number } = {}): DomainClassifier {
  const { iterations = 500, l2 = 1e-3, lr = 0.5 } = opts;
  const na = a.length / F;
  const nb = b.length / F;
  const n = na + nb;
  if (na < 1 || nb < 1) throw new Error('a domain classifier needs images of both domains');
  const row = (i: number) => (i < na ? a.subarray(i * F, (i + 1) * F) : b.subarray((i - na) * F, (i - na + 1) * F));
  const mean = new Float64Array(F);
  const scale = new Float64Array(F);
  for (let i = 0; i < n; i++) row(i).forEach((v, f) => (mean[f] += v / n));
  for (let i = 0; i < n; i++) row(i).forEach((v, f) => (scale[f] += (v - mean[f]) ** 2 / n));
  for (let f = 0; f < F; f++) scale[f] = Math.sqrt(scale[f]) || 1;
  const x = new Float64Array(n * F);
  for (let i = 0; i < n; i++) row(i).forEach((v, f) => (x[i * F + f] = (v - mean[f]) / scale[f]));
  // The two domains weigh alike whatever their sizes.
  const weightOf = (i: number) => (i < na ? n / (2 * na) : n / (2 * nb));
  const w = new Float64Array(F);
  let bias = 0;
  const grad = new Float64Array(F);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let z = bias;
      for (let f = 0; f < F; f++) z += w[f] * x[i * F + f];
      const err = (sigmoid(z) - (i < na ? 0 : 1)) * weightOf(i);
      for (let f = 0; f < F; f++) grad[f] += err * x[i * F + f];
      gb += err;
    }
    for (let f = 0; f < F; f++) w[f] -= lr * (grad[f] / n + l2 * w[f]);
    bias -= (lr * gb) / n;
  }
  const c: DomainClassifier = { mean, scale, w, b: bias, trainAccuracy: 0 };
  const wrongA = shareJudgedB(c, a, F) * na;
  c.trainAccuracy = (na - wrongA + shareJudgedB(c, b, F) * nb) / n;
  return c;
}

/** p(B) of each feature row. */
export function probabilityB(c: DomainClassifier, feats: Float32Array, F: number): Float64Array {
  const n = feats.length / F;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = c.b;
    for (let f = 0; f < F; f++) z += (c.w[f] * (feats[i * F + f] - c.mean[f])) / c.scale[f];
    out[i] = sigmoid(z);
  }
  return out;
}

/** Share of feature rows classified as B. */
export function shareJudgedB(c: DomainClassifier, feats: Float32Array, F: number): number {
  const p = probabilityB(c, feats, F);
  let k = 0;
  for (const v of p) if (v > 0.5) k++;
  return p.length ? k / p.length : Number.NaN;
}
