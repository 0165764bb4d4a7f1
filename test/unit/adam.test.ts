import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam } from '../../main/engine/adam.js';
import { onBackend, tf } from '../support/helpers.js';

before(() => onBackend('cpu'));

test('Adam follows the published update rule (with bias correction) step by step, scaled by a schedule’s factor', () => {
  const settings = { lr: 0.1, beta1: 0.5, beta2: 0.999 };
  const start = [1.0, -2.0, 0.5];
  const target = [0.0, 1.0, 0.25];
  const x = tf.variable(tf.tensor1d(start));
  const opt = new Adam('adam', new Map([['x', x]]), settings);
  // Reference in float64: minimise Σ (x − target)².
  const ref = [...start];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const factors = [1, 0.5, 0.25, 1, 0.1];
  for (let t = 1; t <= 5; t++) {
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(x, tf.tensor1d(target)))) as tf.Scalar, [x]);
    opt.apply(grads, factors[t - 1]);
    tf.dispose(grads);
    for (let i = 0; i < 3; i++) {
      const g = 2 * (ref[i] - target[i]);
      m[i] = settings.beta1 * m[i] + (1 - settings.beta1) * g;
      v[i] = settings.beta2 * v[i] + (1 - settings.beta2) * g * g;
      // Kingma & Ba's efficient form: α_t = α·√(1−β2^t)/(1−β1^t), θ −= α_t·m/(√v + ε).
      const alpha = (settings.lr * factors[t - 1] * Math.sqrt(1 - settings.beta2 ** t)) / (1 - settings.beta1 ** t);
      ref[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + 1e-8);
    }
    const got = x.dataSync();
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - ref[i]) < 1e-5, `step ${t}: x[${i}] = ${got[i]}, expected ${ref[i]}`);
  }
  assert.equal(opt.iterations, 5);
  // The moments are saved under stable names, for checkpoints.
  assert.deepEqual([...opt.stateTensors().keys()], ['adam/m/x', 'adam/v/x']);
  opt.dispose();
  x.dispose();
});
