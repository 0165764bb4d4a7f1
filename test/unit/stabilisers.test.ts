import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAugment, planAugment, type AugmentPlan } from '../../main/engine/augment.js';
import { PRESET_VALUES } from '../../main/engine/config.js';
import { resolveConfig, upgradeStoredConfig, type TrainConfig } from '../../main/families/run-config.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { discriminatorLoss, judgedReal, r1Penalty } from '../../main/engine/losses.js';
import { ParamSet } from '../../main/engine/params.js';
import { Rng } from '../../main/engine/rng.js';
import { addSpectralState, powerIterate, spectralWeight } from '../../main/engine/spectral.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import { maxAbsDiff, onBackend, tf, tinyConfig } from '../support/helpers.js';

const data = loadMnist();

/** Only translation and cutout: the colour draws set to the identity. */
function geometryOnly(plan: AugmentPlan): AugmentPlan {
  return { ...plan, brightness: plan.brightness.map(() => 0), saturation: plan.saturation.map(() => 1), contrast: plan.contrast.map(() => 1) };
}

describe('DiffAugment', () => {
  before(() => onBackend('cpu'));

  test('translation moves each image by its own shift with zero fill, and cutout zeroes a square of half the side', () => {
    const n = 3;
    const size = 8;
    const x = new Float32Array(n * size * size).map((_, i) => 1 + (i % 97));
    const plan = geometryOnly(planAugment(Rng.fromSeed(3), n, size, 1));
    const got = tf.tidy(() => applyAugment(tf.tensor4d(x, [n, size, size, 1]), plan).dataSync());
    for (let i = 0; i < n; i++) {
      const [dy, dx] = [plan.shifts[2 * i], plan.shifts[2 * i + 1]];
      assert.ok(Math.abs(dy) <= 1 && Math.abs(dx) <= 1, 'shift within 1/8 of the side');
      for (let y = 0; y < size; y++) {
        for (let c = 0; c < size; c++) {
          const sy = y - dy;
          const sx = c - dx;
          const inside = sy >= 0 && sy < size && sx >= 0 && sx < size;
          const want = (inside ? x[(i * size + sy) * size + sx] : 0) * plan.cutout[(i * size + y) * size + c];
          assert.equal(got[(i * size + y) * size + c], want, `image ${i} at ${y},${c}`);
        }
      }
    }
    // An 8 px image loses a 4×4 square, fewer pixels when it pokes over the edge.
    for (let i = 0; i < n; i++) {
      const cut = plan.cutout.subarray(i * size * size, (i + 1) * size * size).filter((v) => v === 0).length;
      assert.ok(cut > 0 && cut <= 16, `cut ${cut} pixels`);
    }
  });

  test('colour: brightness, saturation and contrast as the paper defines them', () => {
    const n = 2;
    const x = Float32Array.from({ length: n * 2 * 2 * 3 }, (_, i) => Math.sin(i));
    const plan = planAugment(Rng.fromSeed(5), n, 2, 3);
    const noGeometry = { ...plan, shifts: plan.shifts.map(() => 0), cutout: plan.cutout.map(() => 1) };
    const got = tf.tidy(() => applyAugment(tf.tensor4d(x, [n, 2, 2, 3]), noGeometry).dataSync());
    for (let i = 0; i < n; i++) {
      const img = Array.from(x.subarray(i * 12, (i + 1) * 12)).map((v) => v + plan.brightness[i]);
      for (let p = 0; p < 4; p++) {
        const px = img.slice(p * 3, p * 3 + 3);
        const m = (px[0] + px[1] + px[2]) / 3;
        for (let c = 0; c < 3; c++) img[p * 3 + c] = (px[c] - m) * plan.saturation[i] + m;
      }
      const m = img.reduce((a, b) => a + b, 0) / 12;
      const want = img.map((v) => (v - m) * plan.contrast[i] + m);
      assert.ok(maxAbsDiff(got.subarray(i * 12, (i + 1) * 12), want) < 1e-5);
    }
  });

  test('its gradient matches central differences', () => {
    const n = 2;
    const size = 4;
    const x0 = Float32Array.from({ length: n * size * size * 3 }, (_, i) => Math.cos(i * 0.7));
    const w = Float32Array.from({ length: x0.length }, (_, i) => Math.sin(i * 1.3));
    const plan = planAugment(Rng.fromSeed(11), n, size, 3);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(applyAugment(x as tf.Tensor4D, plan), tf.tensor4d(w, [n, size, size, 3])));
    const analytic = tf.tidy(() => tf.grad(f)(tf.tensor4d(x0, [n, size, size, 3])).dataSync());
    const h = 1e-2;
    const value = (x: Float32Array) => tf.tidy(() => f(tf.tensor4d(x, [n, size, size, 3])).dataSync()[0]);
    for (let i = 0; i < x0.length; i += 5) {
      const up = x0.slice();
      const down = x0.slice();
      up[i] += h;
      down[i] -= h;
      const numeric = (value(up) - value(down)) / (2 * h);
      assert.ok(Math.abs(numeric - analytic[i]) < 2e-2 * Math.max(1, Math.abs(numeric)), `element ${i}: ${analytic[i]} vs ${numeric}`);
    }
  });
});

describe('DiffAugment memory', () => {
  before(() => onBackend('wasm'));

  test('its backward pass grows with the batch, not with its square (64 px colour at batch 64 once ran wasm out of memory)', async () => {
    const peak = async (n: number) => {
      const plan = planAugment(Rng.fromSeed(3), n, 64, 3);
      const x = tf.randomNormal([n, 64, 64, 3]) as tf.Tensor4D;
      const info = await tf.profile(() => {
        const g = tf.grad((v: tf.Tensor) => tf.sum(applyAugment(v as tf.Tensor4D, plan)))(x);
        g.dispose();
      });
      x.dispose();
      return info.peakBytes;
    };
    const [p8, p32] = [await peak(8), await peak(32)];
    // Linear: ×4 for four times the images (batch²: ×16).
    assert.ok(p32 / p8 < 6, `peak ${p8} B at batch 8, ${p32} B at 32: ×${(p32 / p8).toFixed(1)}`);
  });
});

describe('spectral normalisation', () => {
  before(() => onBackend('cpu'));

  test('power iteration converges to the largest singular value, and the normalised weight has norm 1', () => {
    const p = new ParamSet('T');
    const rng = Rng.fromSeed(2);
    p.normal('w', [3, 3, 2, 5], rng, 1);
    addSpectralState(p, 'w', 5, rng);
    let uv = powerIterate(p, ['w']);
    for (let i = 0; i < 60; i++) {
      tf.dispose([uv.get('w')!.u, uv.get('w')!.v]);
      uv = powerIterate(p, ['w']);
    }
    // Reference: the largest eigenvalue of WᵀW by float64 power iteration, written out.
    const W = Array.from(p.get('w').dataSync());
    const rows = 18;
    const cols = 5;
    let v = new Float64Array(cols).fill(1);
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      const wv = new Float64Array(rows);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) wv[r] += W[r * cols + c] * v[c];
      const next = new Float64Array(cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) next[c] += W[r * cols + c] * wv[r];
      lambda = Math.hypot(...next);
      v = next.map((a) => a / lambda);
    }
    const sigma = Math.sqrt(lambda);
    const got = tf.tidy(() => {
      const normalised = spectralWeight(p.get('w'), uv.get('w')!);
      return tf.div(p.get('w'), normalised).dataSync()[0];
    });
    assert.ok(Math.abs(got - sigma) / sigma < 1e-3, `σ ${got}, reference ${sigma}`);
    tf.dispose([uv.get('w')!.u, uv.get('w')!.v]);
    p.dispose();
  });
});

describe('losses of the stabilisers', () => {
  before(() => onBackend('cpu'));

  test('one-sided label smoothing aims real images at 1 − s and leaves fakes at 0', () => {
    const real = [2, -1, 0.5];
    const fake = [-2, 0.3, 1];
    const s = 0.1;
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const want =
      mean(real.map((r) => -(1 - s) * Math.log(sig(r)) - s * Math.log(1 - sig(r)))) + mean(fake.map((f) => -Math.log(1 - sig(f))));
    const got = tf.tidy(() => discriminatorLoss('bce', tf.tensor1d(real), tf.tensor1d(fake), s).dataSync()[0]);
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
    const lsgan = tf.tidy(() => discriminatorLoss('lsgan', tf.tensor1d(real), tf.tensor1d(fake), s).dataSync()[0]);
    assert.ok(Math.abs(lsgan - 0.5 * (mean(real.map((r) => (r - 0.9) ** 2)) + mean(fake.map((f) => f * f)))) < 1e-5);
  });

  test('R1 on a linear critic is γ/2·‖w‖² exactly', () => {
    const w = Float32Array.from({ length: 2 * 2 * 1 }, (_, i) => i - 1.5);
    const got = tf.tidy(() => {
      const wt = tf.tensor4d(w, [1, 2, 2, 1]);
      const critic = (x: tf.Tensor4D) => tf.sum(tf.mul(x, wt), [1, 2, 3]) as tf.Tensor1D;
      return r1Penalty(critic, tf.randomNormal([3, 2, 2, 1]) as tf.Tensor4D, 4).dataSync()[0];
    });
    const norm2 = w.reduce((a, v) => a + v * v, 0);
    assert.ok(Math.abs(got - 2 * norm2) < 1e-4, `${got} vs ${2 * norm2}`);
  });

  test("D's accuracy counts verdicts at ½", () => {
    const got = tf.tidy(() => judgedReal('bce', tf.tensor1d([2, -1, 0.1, -0.1])).dataSync()[0]);
    assert.equal(got, 0.5);
  });
});

describe('presets', () => {
  test('the default is the quality preset, and what the user sets wins over it', () => {
    const c = resolveConfig({ dataset: 'builtin:mnist' });
    assert.equal(c.preset, 'quality');
    for (const [k, v] of Object.entries(PRESET_VALUES.quality)) assert.deepEqual(c[k as keyof TrainConfig], v, k);
    const t = resolveConfig({ dataset: 'builtin:mnist', preset: 'tutorial', lrD: 1e-3 });
    assert.equal(t.emaDecay, 0);
    assert.equal(t.spectralNorm, false);
    assert.equal(t.lrD, 1e-3);
    assert.equal(t.loss, 'bce', "the tutorial's loss");
  });

  test("the preset's loss: hinge for quality GANs, bce for the tutorial and for text-to-image runs; a chosen loss wins", () => {
    assert.equal(resolveConfig({ dataset: 'builtin:mnist' }).loss, 'hinge');
    assert.equal(resolveConfig({ dataset: 'builtin:mnist', model: 'cdcgan' }).loss, 'hinge');
    assert.equal(resolveConfig({ dataset: 'builtin:mnist', preset: 'tutorial' }).loss, 'bce');
    assert.equal(resolveConfig({ dataset: 'captioned', model: 'text' }).loss, 'bce');
    assert.equal(resolveConfig({ dataset: 'builtin:mnist', loss: 'lsgan' }).loss, 'lsgan');
    // WGAN-GP chosen under quality keeps its own critic settings.
    const w = resolveConfig({ dataset: 'builtin:mnist', loss: 'wgan-gp' });
    assert.deepEqual([w.dSteps, w.lrD, w.beta1D], [5, 2e-4, 0]);
    assert.equal(resolveConfig({ dataset: 'x', task: 'superres' }).loss, 'bce', 'not a GAN preset');
  });

  test('a configuration stored before the stabilisers existed trains as it did then', () => {
    const old = { dataset: 'builtin:mnist', model: 'dcgan', loss: 'bce', lrG: 2e-4, lrD: 2e-4, emaDecay: 0.999 } as unknown as TrainConfig;
    const c = upgradeStoredConfig(old);
    assert.equal(c.spectralNorm, false);
    assert.equal(c.r1, 0);
    assert.equal(c.augment, 'off');
    assert.equal(c.labelSmoothing, 0);
    assert.equal(c.emaDecay, 0.999);
  });
});

describe('trainer with every stabiliser on', () => {
  const all = { augment: 'on', spectralNorm: true, r1: 1, labelSmoothing: 0.1, emaDecay: 0.9 } as const;

  test('wasm: a step leaks no tensors and reports D accuracies as shares', async () => {
    await onBackend('wasm');
    const t = Trainer.create(tinyConfig(all), data);
    await t.trainStep();
    const after1 = tf.memory().numTensors;
    // Four steps cross an R1 step (every R1_INTERVAL D updates).
    for (let i = 0; i < 4; i++) {
      const m = await await t.trainStep();
      for (const v of [m.accReal, m.accFake]) assert.ok(v >= 0 && v <= 1 && Number.isFinite(v));
    }
    assert.equal(tf.memory().numTensors, after1);
    t.dispose();
  });

  test('cpu: resume continues the same run bit for bit (augment draws, power-iteration vectors, R1)', async () => {
    await onBackend('cpu');
    const config = tinyConfig(all);
    const straight = Trainer.create(config, data);
    for (let i = 0; i < 5; i++) await straight.trainStep();
    const want = await straight.toCheckpoint();
    straight.dispose();
    const first = Trainer.create(config, data);
    for (let i = 0; i < 2; i++) await first.trainStep();
    const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await first.toCheckpoint())));
    first.dispose();
    assert.ok(saved.tensors.has('D/conv0/W/u'), 'the power-iteration vector is checkpointed');
    const second = Trainer.create(config, data, saved);
    for (let i = 0; i < 3; i++) await second.trainStep();
    const got = await second.toCheckpoint();
    second.dispose();
    for (const [name, t] of want.tensors) assert.deepEqual(got.tensors.get(name)!.data, t.data, `${name} differs`);
  });
});
