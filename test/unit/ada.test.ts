/**
 * ADA's augmentations and its controller: blits move pixels exactly and undo
 * exactly, the resampling's gradient is its transpose (on both CPU
 * backends: the scatter-add must sum pixels read twice), the augmented
 * distribution keeps the original as its most likely form below the leaking
 * bound, and p follows D's confidence on the reals at the stated rate.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADA_IMAGES, ADA_INTERVAL, ADA_MAX_P, AdaController, adaAugment, applyAda, bilinearTaps, planAda, sampleTaps, type AdaPlan } from '../../main/engine/ada.js';
import { Rng } from '../../main/engine/rng.js';
import { maxAbsDiff, onBackend, tf } from '../support/helpers.js';

const I4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
/** A plan of given inverse geometries (one per image), colour left alone. */
function geometryPlan(mats: number[][]): AdaPlan {
  const n = mats.length;
  const geometry = new Float64Array(9 * n);
  mats.forEach((m, i) => geometry.set(m, 9 * i));
  const colour = new Float64Array(16 * n);
  for (let i = 0; i < n; i++) colour.set(I4, 16 * i);
  return { n, geometry, colour, warps: true, tints: false };
}
const rot90 = [0, -1, 0, 1, 0, 0, 0, 0, 1];
const rot270 = [0, 1, 0, -1, 0, 0, 0, 0, 1];
const xflip = [-1, 0, 0, 0, 1, 0, 0, 0, 1];
const shiftInv = (dx: number, dy: number) => [1, 0, -dx, 0, 1, -dy, 0, 0, 1];

function randomImages(seed: number, n: number, h: number, w: number, c: number): tf.Tensor4D {
  return tf.tensor4d(Rng.fromSeed(seed).fillUniform(new Float32Array(n * h * w * c)).map((v) => 2 * v - 1), [n, h, w, c]);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ADA's resampling on the ${backend} backend`, () => {
    before(() => onBackend(backend));

    test('blits copy pixels exactly: an x-flip is a mirror, a 90° turn a transpose, and each undoes exactly', () => {
      tf.tidy(() => {
        const x = randomImages(1, 2, 6, 6, 3);
        const flipped = applyAda(x, geometryPlan([xflip, xflip]));
        assert.equal(maxAbsDiff(flipped.dataSync(), tf.reverse(x, 2).dataSync()), 0);
        const turned = applyAda(x, geometryPlan([rot90, rot90]));
        const byTranspose = [tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 2), tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1)];
        assert.ok(byTranspose.some((t) => maxAbsDiff(turned.dataSync(), t.dataSync()) === 0), 'a quarter turn of the pixel grid');
        assert.equal(maxAbsDiff(applyAda(turned, geometryPlan([rot270, rot270])).dataSync(), x.dataSync()), 0);
        // An integer shift moves the interior exactly; the edge it uncovers is the image reflected.
        const shifted = applyAda(x, geometryPlan([shiftInv(2, 0), shiftInv(0, -1)])).arraySync() as number[][][][];
        const src = x.arraySync() as number[][][][];
        for (let y = 0; y < 6; y++) for (let c = 0; c < 3; c++) {
          for (let col = 2; col < 6; col++) assert.equal(shifted[0][y][col][c], src[0][y][col - 2][c]);
          assert.equal(shifted[0][y][1][c], src[0][y][1][c], 'reflected about the edge pixel');
        }
        for (let y = 0; y < 5; y++) for (let col = 0; col < 6; col++) assert.equal(shifted[1][y][col][0], src[1][y + 1][col][0]);
      });
    });

    test('a half-pixel shift reads the mean of two neighbours', () => {
      tf.tidy(() => {
        const x = randomImages(2, 1, 4, 5, 1);
        const out = applyAda(x, geometryPlan([shiftInv(-0.5, 0)])).arraySync() as number[][][][];
        const src = x.arraySync() as number[][][][];
        for (let y = 0; y < 4; y++) for (let col = 0; col < 4; col++) assert.ok(Math.abs(out[0][y][col][0] - (src[0][y][col][0] + src[0][y][col + 1][0]) / 2) < 1e-6);
      });
    });

    test('the gradient is the transpose of the resampling: ⟨A x, y⟩ = ⟨x, Aᵀ y⟩ for a full random plan', () => {
      tf.tidy(() => {
        const x = randomImages(3, 4, 8, 8, 3);
        const y = randomImages(4, 4, 8, 8, 3);
        const plan = planAda(Rng.fromSeed(5), 4, 8, 8, 0.75);
        assert.ok(plan.warps && plan.tints);
        const taps = bilinearTaps(plan, 8, 8);
        // Several output pixels read the same input pixel (scaling, reflection): the scatter must add them.
        assert.ok(new Set(taps.index).size < taps.index.length / 2);
        const forward = tf.sum(tf.mul(sampleTaps(x, taps), y)).dataSync()[0];
        const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(sampleTaps(v as tf.Tensor4D, taps), y)))(x);
        const adjoint = tf.sum(tf.mul(x, grad)).dataSync()[0];
        assert.ok(Math.abs(forward - adjoint) < 1e-3 * Math.max(1, Math.abs(forward)), `${forward} vs ${adjoint}`);
        // Through colour as well: G's gradient through the whole pipeline is finite and reaches every image.
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(applyAda(v as tf.Tensor4D, plan), y)))(x);
        const perImage = tf.sum(tf.abs(g), [1, 2, 3]).dataSync();
        assert.ok([...perImage].every((v) => Number.isFinite(v) && v > 0));
      });
    });

    test('an augmentation step leaks no tensors, forward or backward', () => {
      const x = randomImages(6, 2, 8, 8, 3);
      const plan = planAda(Rng.fromSeed(7), 2, 8, 8, 0.6);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        tf.grad((v: tf.Tensor) => tf.sum(applyAda(v as tf.Tensor4D, plan)))(x);
      });
      assert.equal(tf.memory().numTensors, before);
      x.dispose();
    });
  });
}

describe('ADA below the leaking bound', () => {
  before(() => onBackend('wasm'));

  test('at p = 0 the images go through as they are, with no draws; a plan at p = 0 changes nothing', () => {
    const rng = Rng.fromSeed(1);
    const state = rng.state();
    const x = randomImages(9, 3, 8, 8, 3);
    assert.equal(adaAugment(rng, 0, x), x);
    assert.deepEqual(rng.state(), state);
    const plan = planAda(rng, 3, 8, 8, 0);
    assert.ok(!plan.warps && !plan.tints);
    x.dispose();
  });

  test('below the bound the augmented images keep the images’ mean: geometry keeps it, colour keeps its sign by the paper’s expectation', () => {
    const size = 8;
    // A lopsided grey image: a bright top-right corner on a dark ground.
    const px = new Float32Array(size * size * 3).fill(-0.8);
    for (let y = 0; y < 3; y++) for (let x = 5; x < 8; x++) for (let c = 0; c < 3; c++) px[(y * size + x) * 3 + c] = 0.9;
    const m = px.reduce((a, b) => a + b, 0) / px.length;
    const p = 0.79;
    const draws = 4096;
    const [geometric, coloured] = tf.tidy(() => {
      const x = tf.tile(tf.tensor4d(px, [1, size, size, 3]), [draws, 1, 1, 1]);
      const rng = Rng.fromSeed(11);
      return [false, true].map((tints) => {
        const plan = planAda(rng, draws, size, size, p);
        if (tints) plan.warps = false;
        else plan.tints = false;
        return tf.mean(applyAda(x, plan)).dataSync()[0];
      });
    });
    // Reflected borders keep the pixels' mass up to the corner's share of the edge.
    assert.ok(Math.abs(geometric - m) < 0.04, `geometry: mean ${geometric} vs ${m}`);
    // Brightness adds zero-mean noise, hue and saturation leave grey alone, the luma
    // flip (p/2) scales the mean by 1 − p and contrast by E[2^(0.5 N)] when applied.
    const contrast = 1 + p * (Math.exp((0.5 * Math.LN2) ** 2 / 2) - 1);
    const expected = m * (1 - p) * contrast;
    assert.ok(Math.abs(coloured - expected) < 0.02, `colour: mean ${coloured}, expected ${expected}`);
    assert.ok(Math.sign(coloured) === Math.sign(m), 'the luma flip does not win below p = 1');
  });
});

describe('ADA’s controller', () => {
  test('p climbs by the images seen over ADA_IMAGES while D is sure of the reals, stops at the bound, and falls when it is not', () => {
    const a = new AdaController();
    const n = 32;
    let p = 0;
    for (let step = 1; step <= 8; step++) {
      p = a.observe(n, n);
      assert.equal(p, step % ADA_INTERVAL === 0 ? Math.fround(((step / ADA_INTERVAL) * ADA_INTERVAL * n) / ADA_IMAGES) : p, `step ${step}`);
    }
    assert.ok(Math.abs(p - (8 * n) / ADA_IMAGES) < 1e-6);
    for (let step = 0; step < 4 * ADA_IMAGES; step++) p = a.observe(n, n);
    assert.equal(p, Math.fround(ADA_MAX_P));
    // r_t = 0.5, under the target: p falls at the same rate.
    for (let step = 0; step < ADA_INTERVAL; step++) p = a.observe(0.5 * n, n);
    assert.ok(Math.abs(p - (ADA_MAX_P - (ADA_INTERVAL * n) / ADA_IMAGES)) < 1e-6);
    const fresh = new AdaController();
    for (let step = 0; step < 40; step++) fresh.observe(-n, n);
    assert.equal(fresh.p, 0, 'never below 0');
  });

  test('its state round-trips exactly through a checkpoint’s float32s, mid-interval included', () => {
    const a = new AdaController();
    for (let step = 0; step < 4 * ADA_INTERVAL + 2; step++) a.observe(20, 32);
    const b = AdaController.fromState(Float32Array.from(a.state()));
    for (let step = 0; step < 3 * ADA_INTERVAL + 1; step++) assert.equal(b.observe(7, 32), a.observe(7, 32));
    assert.deepEqual(b.state(), a.state());
  });
});
