import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '../../main/datasets/mnist.js';
import { Rng } from '../../main/engine/rng.js';
import { SIZES } from '../../main/engine/networks.js';
import {
  builtinJudge,
  builtinJudgePath,
  classCoverage,
  createJudge,
  disposeJudge,
  embedImages,
  evaluateSamples,
  featureStats,
  frechetDistance,
  imagesAt,
  judgeAccuracy,
  judgeForward,
  judgeSpec,
  kernelDistance,
  kernelDistanceDetail,
  loadJudge,
  meanPairwiseDistance,
  nearDuplicateShare,
  nearDuplicateThreshold,
  realReference,
  saveJudge,
  trainJudge,
  type FeatureStats,
  type Judge,
} from '../../main/judges/index.js';
import { symmetricEigen } from '../../main/judges/linalg.js';
import { sample } from '../../main/judges/kid.js';
import { onBackend, tempDir, tf } from '../support/helpers.js';
import { balanceNote } from '../../main/evaluation/describe.js';

let judge: Judge;
const mnist = () => loadMnist();

before(async () => {
  await onBackend('wasm');
  judge = builtinJudge('builtin:mnist');
});

// ---------- float64 references written independently of main/judges ----------

function randomSpd(n: number, rng: Rng): Float64Array {
  // X Xᵀ / k + 0.1 I: full rank, eigenvalues spread over about two decades.
  const k = n + 3;
  const x = rng.normal(n * k);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += x[i * k + t] * x[j * k + t];
    a[i * n + j] = s / k + (i === j ? 0.1 : 0);
  }
  return a;
}

function mul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
    c[i * n + j] = s;
  }
  return c;
}

function inverse(a: Float64Array, n: number): Float64Array {
  // Gauss–Jordan with partial pivoting.
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let j = 0; j < n; j++) {
      [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j], inv[c * n + j]];
    }
    const d = m[c * n + c];
    for (let j = 0; j < n; j++) {
      m[c * n + j] /= d;
      inv[c * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return inv;
}

/** Tr (Σ₁Σ₂)^½ by the Denman–Beavers iteration on the non-symmetric product, as scipy's sqrtm would. */
function traceSqrtProduct(a: Float64Array, b: Float64Array, n: number): number {
  let y = mul(a, b, n);
  let z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  for (let it = 0; it < 60; it++) {
    const yi = inverse(y, n);
    const zi = inverse(z, n);
    y = y.map((v, i) => 0.5 * (v + zi[i]));
    z = z.map((v, i) => 0.5 * (v + yi[i]));
  }
  let t = 0;
  for (let i = 0; i < n; i++) t += y[i * n + i];
  return t;
}

function stats(mean: ArrayLike<number>, cov: Float64Array): FeatureStats {
  return { n: 1000, dim: mean.length, mean: Float64Array.from(mean), cov };
}

function gaussianFeatures(n: number, F: number, rng: Rng, shift = 0, scale = 1): Float32Array {
  // Correlated: each feature mixes its own noise with a shared factor.
  const out = new Float32Array(n * F);
  for (let i = 0; i < n; i++) {
    const shared = rng.normal(1)[0];
    const own = rng.normal(F);
    for (let f = 0; f < F; f++) out[i * F + f] = scale * (own[f] + 0.5 * shared) + shift;
  }
  return out;
}

// ---------- linear algebra and the Fréchet distance ----------

test('symmetric eigendecomposition reconstructs the matrix with orthonormal vectors, repeated eigenvalues included', () => {
  const rng = Rng.fromSeed(3);
  const n = 12;
  const cases = [randomSpd(n, rng)];
  // I + u uᵀ: eigenvalue 1 eleven times over, the case cyclic solvers stumble on.
  const u = rng.normal(n);
  cases.push(Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0) + u[Math.floor(k / n)] * u[k % n]));
  for (const a of cases) {
    const { values, vectors: V } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let rec = 0;
      let orth = 0;
      for (let k = 0; k < n; k++) {
        rec += V[i * n + k] * values[k] * V[j * n + k];
        orth += V[k * n + i] * V[k * n + j];
      }
      assert.ok(Math.abs(rec - a[i * n + j]) < 1e-10, `reconstruction (${i},${j}) off by ${rec - a[i * n + j]}`);
      assert.ok(Math.abs(orth - (i === j ? 1 : 0)) < 1e-10, `orthonormality (${i},${j})`);
    }
  }
});

test('featureStats matches the textbook mean and n−1 covariance', () => {
  const rng = Rng.fromSeed(4);
  const n = 50;
  const F = 5;
  const x = gaussianFeatures(n, F, rng, 2, 3);
  const s = featureStats(x, F);
  for (let a = 0; a < F; a++) {
    let ma = 0;
    for (let i = 0; i < n; i++) ma += x[i * F + a];
    ma /= n;
    assert.ok(Math.abs(s.mean[a] - ma) < 1e-9);
    for (let b = 0; b < F; b++) {
      let mb = 0;
      for (let i = 0; i < n; i++) mb += x[i * F + b];
      mb /= n;
      let c = 0;
      for (let i = 0; i < n; i++) c += (x[i * F + a] - ma) * (x[i * F + b] - mb);
      assert.ok(Math.abs(s.cov[a * F + b] - c / (n - 1)) < 1e-9, `cov (${a},${b})`);
    }
  }
});

test('Fréchet distance: ≈ 0 for a set against itself, symmetric, and the closed form for diagonal covariances', () => {
  const rng = Rng.fromSeed(5);
  const F = 16;
  const feats = gaussianFeatures(400, F, rng);
  const s = featureStats(feats, F);
  assert.ok(frechetDistance(s, s) < 1e-9, `self distance ${frechetDistance(s, s)}`);
  const other = featureStats(gaussianFeatures(400, F, rng, 0.3, 1.4), F);
  const ab = frechetDistance(s, other);
  assert.ok(ab > 1, `distinct sets at distance ${ab}`);
  assert.ok(Math.abs(ab - frechetDistance(other, s)) < 1e-9 * ab, 'symmetric');

  // Commuting (diagonal) covariances: Tr(Σ₁+Σ₂−2(Σ₁Σ₂)^½) = Σ(√a−√b)².
  const n = 10;
  const a = Array.from({ length: n }, () => 0.01 + 5 * rng.uniform());
  const b = Array.from({ length: n }, () => 0.01 + 5 * rng.uniform());
  const ma = Array.from(rng.normal(n));
  const mb = Array.from(rng.normal(n));
  const diag = (v: number[]) => Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? v[k % n] : 0));
  let expected = 0;
  for (let i = 0; i < n; i++) expected += (ma[i] - mb[i]) ** 2 + (Math.sqrt(a[i]) - Math.sqrt(b[i])) ** 2;
  const got = frechetDistance(stats(ma, diag(a)), stats(mb, diag(b)));
  assert.ok(Math.abs(got - expected) < 1e-10 * expected, `${got} vs ${expected}`);
});

test('Fréchet distance matches a Denman–Beavers sqrtm of Σ₁Σ₂ on random full covariances', () => {
  const rng = Rng.fromSeed(6);
  for (const n of [3, 6, 9]) {
    const A = randomSpd(n, rng);
    const B = randomSpd(n, rng);
    const ma = rng.normal(n);
    const mb = rng.normal(n);
    let expected = -2 * traceSqrtProduct(A, B, n);
    for (let i = 0; i < n; i++) expected += (ma[i] - mb[i]) ** 2 + A[i * n + i] + B[i * n + i];
    const got = frechetDistance(stats(ma, A), stats(mb, B));
    assert.ok(Math.abs(got - expected) < 1e-9 * Math.max(1, expected), `n=${n}: ${got} vs ${expected}`);
  }
});

test('Fréchet distance stays finite and ≥ 0 with singular covariances (fewer samples than features)', () => {
  const rng = Rng.fromSeed(7);
  const F = 32;
  const a = featureStats(gaussianFeatures(10, F, rng), F);
  const b = featureStats(gaussianFeatures(10, F, rng, 0.1), F);
  const d = frechetDistance(a, b);
  assert.ok(Number.isFinite(d) && d > 0, `distance ${d}`);
  assert.ok(frechetDistance(a, a) < 1e-8);
});

// ---------- kernel distance ----------

test('KID equals a brute-force unbiased MMD² with the cubic kernel when one subset is both sets', () => {
  const rng = Rng.fromSeed(8);
  const F = 6;
  const x = gaussianFeatures(40, F, rng);
  const y = gaussianFeatures(30, F, rng, 0.4);
  const k = (a: Float32Array, i: number, b: Float32Array, j: number) => {
    let d = 0;
    for (let f = 0; f < F; f++) d += a[i * F + f] * b[j * F + f];
    return (d / F + 1) ** 3;
  };
  // Equal sizes, so the whole sets form the one subset.
  const m = 30;
  const xs = x.subarray(0, m * F);
  let kxx = 0;
  let kyy = 0;
  let kxy = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    if (i !== j) kxx += k(xs, i, xs, j);
    if (i !== j) kyy += k(y, i, y, j);
    kxy += k(xs, i, y, j);
  }
  const expected = kxx / (m * (m - 1)) + kyy / (m * (m - 1)) - (2 * kxy) / (m * m);
  const got = kernelDistanceDetail(xs, y, F);
  assert.equal(got.subsets, 1);
  assert.ok(Math.abs(got.kid - expected) < 1e-9 * Math.abs(expected), `${got.kid} vs ${expected}`);
});

test('KID is ≈ 0 for two samples of one distribution and clearly positive for different ones', () => {
  const rng = Rng.fromSeed(9);
  const F = 16;
  const a = gaussianFeatures(600, F, rng);
  const b = gaussianFeatures(600, F, rng);
  const shifted = gaussianFeatures(600, F, rng, 0.5);
  const same = kernelDistanceDetail(a, b, F, { subsetSize: 300, subsets: 50 });
  const diff = kernelDistance(a, shifted, F, { subsetSize: 300, subsets: 50 });
  assert.equal(same.subsets, 50);
  assert.ok(diff > 0.1, `different distributions: ${diff}`);
  assert.ok(Math.abs(same.kid) < 0.05 * diff, `same distribution: ${same.kid} (different: ${diff})`);
  assert.ok(Math.abs(same.kid) < 4 * same.std + 1e-3, `same distribution ${same.kid} ± ${same.std}`);
});

// ---------- diversity, near-duplicates and class coverage on synthetic features ----------

test('mean pairwise distance and near-duplicate share on hand-made points', () => {
  // Four points on a line at 0, 1, 3, 3: distances 1,3,3,2,2,0 → mean 11/6.
  const pts = Float32Array.from([0, 0, 1, 0, 3, 0, 3, 0]);
  assert.ok(Math.abs(meanPairwiseDistance(pts, 2) - 11 / 6) < 1e-12);
  assert.equal(nearDuplicateShare(pts, 2, 0.5), 0.5);
  assert.equal(nearDuplicateShare(pts, 2, 1), 1);
  const rng = Rng.fromSeed(10);
  const real = gaussianFeatures(500, 8, rng);
  const t = nearDuplicateThreshold(real, 8);
  // By construction about 1% of the real samples fall under their own threshold.
  const share = nearDuplicateShare(real, 8, t);
  assert.ok(share >= 0.01 && share <= 0.03, `real share ${share}`);
});

test('class coverage counts covered classes, evenness, confident samples and the accuracy of requested labels', () => {
  const C = 4;
  const onehot = (cls: number[]) => Float32Array.from(cls.flatMap((c) => Array.from({ length: C }, (_, k) => (k === c ? 0.9 : 0.1 / 3))));
  const one = classCoverage(onehot(Array(20).fill(2)), C);
  assert.equal(one.classesCovered, 1);
  assert.deepEqual(Array.from(one.histogram), [0, 0, 20, 0]);
  assert.equal(one.evenness, 0);
  const even = classCoverage(onehot([0, 1, 2, 3, 0, 1, 2, 3]), C, { requested: [0, 1, 2, 3, 1, 1, 1, 1] });
  assert.equal(even.classesCovered, 4);
  assert.ok(Math.abs(even.evenness - 1) < 1e-12 && Math.abs(even.effectiveClasses - 4) < 1e-9);
  assert.equal(even.accuracy, 5 / 8);
  // One stray sample in 1000 is below 10% of the uniform share: not coverage.
  const stray = classCoverage(onehot([...Array(999).fill(0), 3]), C);
  assert.equal(stray.classesCovered, 1);
  // Confidence: the share of samples whose most likely class has probability ≥ 0.9 (0.9 itself counts).
  const probs = Float64Array.from([0.95, 0.05, 0, 0, 0.6, 0.4, 0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0.9, 0.1]);
  assert.equal(classCoverage(probs, C).confident, 2 / 4);
});

test('the class-balance note names the classes drawn furthest from the real mix, and says nothing when all are near it', () => {
  const names = ['0', '1', '2', '3'];
  // Real images evenly mixed; samples: class 1 at 1.6× its share, class 3 at 0.4×.
  assert.equal(balanceNote({ names, generated: [250, 400, 250, 100], real: [100, 100, 100, 100], confident: 0.5, realConfident: 0.9 }), ' (1 1.6× its share, 3 0.4×)');
  // Shares measured against the real mix, not uniform: a class rare in the data is not "under-drawn".
  assert.equal(balanceNote({ names, generated: [100, 100, 100, 700], real: [10, 10, 10, 70], confident: 0.5, realConfident: 0.9 }), '');
  assert.equal(balanceNote({ names, generated: [110, 90, 100, 100], real: [100, 100, 100, 100], confident: 0.5, realConfident: 0.9 }), '');
});

// ---------- the judge network and its files ----------

test('judge networks take every studio image size, 1 or 3 channels, and give F features and C logits', () => {
  for (const size of SIZES) {
    for (const channels of [1, 3] as const) {
      const spec = judgeSpec(size, channels, 5);
      const p = createJudge(spec, Rng.fromSeed(1));
      tf.tidy(() => {
        const { features, logits } = judgeForward(p, spec, tf.randomUniform([2, size, size, channels], -1, 1) as tf.Tensor4D);
        assert.deepEqual(features.shape, [2, spec.features]);
        assert.deepEqual(logits.shape, [2, 5]);
        assert.ok(logits.dataSync().every(Number.isFinite));
      });
      p.dispose();
    }
  }
  assert.throws(() => judgeSpec(48, 1, 10), /28, 32, 64, 128/);
});

test('the shipped MNIST judge loads and classifies its held-out digits at ≥ 97%', async () => {
  const data = mnist();
  assert.deepEqual([judge.spec.size, judge.spec.channels, judge.spec.numClasses], [28, 1, 10]);
  assert.deepEqual(judge.classNames, data.classNames);
  assert.ok(judge.heldOut.length >= 1000, `${judge.heldOut.length} held-out digits`);
  const acc = await judgeAccuracy(judge, data, judge.heldOut);
  assert.ok(acc >= 0.97, `held-out accuracy ${acc}`);
  // The recorded figure is the one this file's weights give.
  assert.ok(Math.abs(acc - judge.accuracy) < 0.005, `measured ${acc}, recorded ${judge.accuracy}`);
  assert.ok(readFileSync(builtinJudgePath('builtin:mnist')).length < 1_000_000, 'commit-sized');
});

test('a damaged, truncated or foreign judge file is refused with a clear error; a saved judge loads back identical', async () => {
  const dir = tempDir('judge-file');
  const good = join(dir, 'copy.judge');
  await saveJudge(good, judge);
  const again = loadJudge(good);
  assert.equal(again.id, judge.id);
  const x = imagesAt(mnist(), [0, 1, 2]);
  assert.deepEqual((await embedImages(again, x, 3)).features, (await embedImages(judge, x, 3)).features);
  disposeJudge(again);

  const bytes = readFileSync(builtinJudgePath('builtin:mnist'));
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length * 0.6)] ^= 0x10;
  writeFileSync(join(dir, 'flipped.judge'), flipped);
  assert.throws(() => loadJudge(join(dir, 'flipped.judge')), /flipped\.judge is damaged \(checksum mismatch\)/);
  writeFileSync(join(dir, 'short.judge'), bytes.subarray(0, bytes.length - 1000));
  assert.throws(() => loadJudge(join(dir, 'short.judge')), /damaged/);
  copyFileSync(new URL(import.meta.url), join(dir, 'foreign.judge'));
  assert.throws(() => loadJudge(join(dir, 'foreign.judge')), /not a GAN Studio judge/);
  assert.throws(() => loadJudge(join(dir, 'missing.judge')), /cannot read judge file .*ENOENT/);
  assert.throws(() => builtinJudge('flowers'), /no judge ships with the studio for flowers/);
});

test('trainJudge learns from a few labelled digits, keeps a share aside, and refuses unlabelled data', async () => {
  const data = mnist();
  const pick = sample(data.count, 1200, Rng.fromSeed(11));
  const sub = {
    name: 'mnist-1200',
    size: 28,
    channels: 1,
    count: pick.length,
    pixels: new Uint8Array(pick.length * 784),
    labels: new Int32Array(pick.length),
    classNames: data.classNames,
  };
  pick.forEach((k, i) => {
    sub.pixels.set(data.pixels.subarray(k * 784, (k + 1) * 784), i * 784);
    sub.labels[i] = data.labels![k];
  });
  const seen: number[] = [];
  const small = await trainJudge(sub, { seed: 2, epochs: 2, onProgress: (p) => p.accuracy !== undefined && seen.push(p.accuracy) });
  try {
    assert.equal(small.heldOut.length, 180);
    assert.equal(small.info.trainCount, 1020);
    assert.equal(seen.length, 2, 'one accuracy report per epoch');
    // Chance is 10%; two short epochs are far from the shipped judge but clearly learning.
    assert.ok(small.accuracy > 0.5, `accuracy ${small.accuracy}`);
    assert.equal(small.accuracy, seen[1]);
  } finally {
    disposeJudge(small);
  }
  await assert.rejects(() => trainJudge({ ...sub, labels: null }, { seed: 1 }), /mnist-1200 has no class labels/);
});

// ---------- the judge's figures on real and corrupted digits ----------

function corrupt(images: Float32Array, f: (x: Float32Array) => void): Float32Array {
  const out = Float32Array.from(images);
  f(out);
  return out;
}

function addNoise(sigma: number, rng: Rng) {
  return (x: Float32Array) => {
    const e = rng.normal(x.length);
    for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(-1, x[i] + sigma * e[i]));
  };
}

/** 3×3 box blur of 28×28 single-channel images, `times` times over. */
function blur(times: number) {
  return (x: Float32Array) => {
    const tmp = new Float32Array(784);
    for (let img = 0; img < x.length / 784; img++) {
      const o = img * 784;
      for (let t = 0; t < times; t++) {
        for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) {
          let s = 0;
          let k = 0;
          for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if (rr >= 0 && rr < 28 && cc >= 0 && cc < 28) {
              s += x[o + rr * 28 + cc];
              k++;
            }
          }
          tmp[r * 28 + c] = s / k;
        }
        x.set(tmp, o);
      }
    }
  };
}

test('judge FID and KID: real vs real is small, grows with noise and blur, and noise images are far', async () => {
  const data = mnist();
  const N = 500;
  const real = await realReference(judge, data, N, 1);
  const others = Int32Array.from(sample(data.count, data.count, Rng.fromSeed(2)).filter((k) => !real.indices.includes(k)).slice(0, N));
  const clean = imagesAt(data, others);
  const figures = async (images: Float32Array) => {
    const { features } = await embedImages(judge, images, N);
    return { fid: frechetDistance(featureStats(features, judge.spec.features), real.stats), kid: kernelDistance(features, real.features, judge.spec.features) };
  };
  const base = await figures(clean);
  const rng = Rng.fromSeed(3);
  const noisy = [];
  for (const s of [0.3, 0.6, 1]) noisy.push(await figures(corrupt(clean, addNoise(s, rng))));
  const blurred = [];
  for (const t of [1, 2, 4]) blurred.push(await figures(corrupt(clean, blur(t))));
  const pureNoise = await figures(Float32Array.from(rng.fillUniform(new Float32Array(N * 784)), (u) => 2 * u - 1));
  const fids = (xs: { fid: number }[]) => xs.map((x) => x.fid.toFixed(2)).join(' < ');
  for (const series of [[base, ...noisy], [base, ...blurred]]) {
    for (let i = 1; i < series.length; i++) {
      assert.ok(series[i].fid > series[i - 1].fid, `FID should grow: ${fids(series)}`);
      assert.ok(series[i].kid > series[i - 1].kid, `KID should grow: ${series.map((x) => x.kid.toFixed(4)).join(' < ')}`);
    }
  }
  assert.ok(base.fid < 0.05 * pureNoise.fid, `real vs real ${base.fid}, real vs noise ${pureNoise.fid}`);
  assert.ok(Math.abs(base.kid) < 0.02 * pureNoise.kid, `KID real vs real ${base.kid}, real vs noise ${pureNoise.kid}`);
});

test('evaluateSamples: real digits look diverse and cover every class; copies of one digit collapse', async () => {
  const data = mnist();
  const N = 500;
  const real = await realReference(judge, data, N, 4);
  assert.equal(real.coverage.classesCovered, 10);
  const pool = sample(data.count, data.count, Rng.fromSeed(5)).filter((k) => !real.indices.includes(k));
  const others = pool.slice(0, N);
  const good = await evaluateSamples(judge, real, imagesAt(data, others), N, Array.from(others, (k) => data.labels![k]));
  assert.ok(good.diversity > 0.9 && good.diversity < 1.1, `real diversity ${good.diversity}`);
  assert.ok(good.nearDuplicates < 0.05, `real near-duplicates ${good.nearDuplicates}`);
  assert.equal(good.classesCovered, 10);
  assert.ok(good.classAccuracy! > 0.95, `class accuracy ${good.classAccuracy}`);
  assert.ok(Math.abs(good.kid) < 0.03 && good.fid >= 0, `fid ${good.fid} kid ${good.kid}`);

  const seven = pool.find((k) => data.labels![k] === 7)!;
  const copies = imagesAt(data, Array(100).fill(seven));
  const collapsed = await evaluateSamples(judge, real, copies, 100, Array(100).fill(3));
  assert.ok(collapsed.diversity < 0.01, `collapsed diversity ${collapsed.diversity}`);
  assert.equal(collapsed.nearDuplicates, 1);
  assert.equal(collapsed.classesCovered, 1);
  assert.equal(collapsed.classHistogram[7], 100);
  assert.equal(collapsed.classAccuracy, 0, 'asked for 3s, drew 7s');
  assert.ok(collapsed.fid > 10 * good.fid, `collapsed fid ${collapsed.fid} vs ${good.fid}`);

  const stranger = { ...judge, id: 'another-judge' };
  await assert.rejects(() => evaluateSamples(stranger, real, copies, 100), /another judge/);
  await assert.rejects(() => evaluateSamples(judge, real, copies, 99), /expected 99 images/);
});
