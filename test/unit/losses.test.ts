import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { discriminatorLoss, generatorLoss, gradientPenalty, verdict } from '../../main/engine/losses.js';
import { LOSSES } from '../../main/engine/config.js';
import { onBackend, tf } from '../support/helpers.js';

before(() => onBackend('cpu'));

const real = [2.0, -0.5, 0.3, 4.0];
const fake = [-1.5, 0.7, -3.0, 0.0];
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** The seeds' definitions, written out directly. */
const EXPECTED = {
  bce: {
    d: mean(real.map((r) => -Math.log(sigmoid(r)))) + mean(fake.map((f) => -Math.log(1 - sigmoid(f)))),
    g: mean(fake.map((f) => -Math.log(sigmoid(f)))),
  },
  hinge: {
    d: mean(real.map((r) => Math.max(0, 1 - r))) + mean(fake.map((f) => Math.max(0, 1 + f))),
    g: -mean(fake),
  },
  lsgan: {
    d: 0.5 * (mean(real.map((r) => (r - 1) ** 2)) + mean(fake.map((f) => f ** 2))),
    g: 0.5 * mean(fake.map((f) => (f - 1) ** 2)),
  },
  'wgan-gp': { d: mean(fake) - mean(real), g: -mean(fake) },
} as const;

for (const loss of LOSSES) {
  test(`${loss}: discriminator and generator losses follow their definitions`, () => {
    const [d, g] = tf.tidy(() => {
      const r = tf.tensor1d(real);
      const f = tf.tensor1d(fake);
      return [discriminatorLoss(loss, r, f).dataSync()[0], generatorLoss(loss, f).dataSync()[0]];
    });
    assert.ok(Math.abs(d - EXPECTED[loss].d) < 1e-5, `D loss ${d}, expected ${EXPECTED[loss].d}`);
    assert.ok(Math.abs(g - EXPECTED[loss].g) < 1e-5, `G loss ${g}, expected ${EXPECTED[loss].g}`);
  });
}

test('bce stays finite for confident logits and pushes D the right way', () => {
  const [d, grads] = tf.tidy(() => {
    const r = tf.tensor1d([80, -80]);
    const f = tf.tensor1d([-80, 80]);
    const value = discriminatorLoss('bce', r, f).dataSync()[0];
    const [gr, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => discriminatorLoss('bce', a as tf.Tensor1D, b as tf.Tensor1D))([r, f]);
    return [value, [...gr.dataSync(), ...gf.dataSync()]];
  });
  assert.ok(Number.isFinite(d) && d > 30, `loss ${d}`);
  // Descent raises real logits and lowers fake ones: dL/dreal < 0 where wrong, dL/dfake > 0 where wrong.
  assert.ok(grads[1] < 0 && grads[3] > 0, `gradients ${grads}`);
});

test('verdict is D as a probability; lsgan outputs are clipped to [0, 1]', () => {
  const [p, q] = tf.tidy(() => [verdict('bce', tf.tensor1d([0, 2])).dataSync(), verdict('lsgan', tf.tensor1d([-0.5, 0.4, 1.7])).dataSync()]);
  assert.ok(Math.abs(p[0] - 0.5) < 1e-6 && Math.abs(p[1] - sigmoid(2)) < 1e-6);
  assert.deepEqual(Array.from(q).map((v) => Math.round(v * 100) / 100), [0, 0.4, 1]);
});

test('gradient penalty is weight·(‖∇D(x̂)‖ − 1)² on the interpolates', () => {
  // A linear critic D(x) = Σ w·x has ∇D = w everywhere, so the penalty is known exactly.
  const w = [0.5, -1.5, 2.0, 0.0, 1.0, -0.5, 0.25, 3.0];
  const norm = Math.sqrt(w.slice(0, 4).reduce((s, v) => s + v * v, 0));
  const norm2 = Math.sqrt(w.slice(4).reduce((s, v) => s + v * v, 0));
  const gp = tf.tidy(() => {
    const wt = tf.tensor4d(w, [2, 2, 2, 1]);
    const critic = (x: tf.Tensor4D) => tf.sum(tf.mul(x, wt), [1, 2, 3]) as tf.Tensor1D;
    const real = tf.randomNormal([2, 2, 2, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const fake = tf.randomNormal([2, 2, 2, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const eps = tf.tensor4d([0.3, 0.8], [2, 1, 1, 1]);
    return gradientPenalty(critic, real, fake, eps, 10).dataSync()[0];
  });
  const expected = (10 * ((norm - 1) ** 2 + (norm2 - 1) ** 2)) / 2;
  assert.ok(Math.abs(gp - expected) < 1e-4, `penalty ${gp}, expected ${expected}`);
});
