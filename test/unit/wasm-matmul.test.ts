/** The wasm backend's matrix product with transposed operands, rewritten in main/engine/wasm-kernels.ts, against the cpu backend. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../main/engine/tf.js';
import { useBackend } from '../../main/engine/backends.js';
import { Rng } from '../../main/engine/rng.js';
import { maxAbsDiff } from '../support/helpers.js';

test('matMul with either or both operands transposed, and its gradients, match the cpu backend', async () => {
  const rng = Rng.fromSeed(5);
  const a = rng.normal(7 * 5);
  const b = rng.normal(5 * 3);
  const cases = [
    { ta: false, tb: false, as: [7, 5], bs: [5, 3] },
    { ta: true, tb: false, as: [5, 7], bs: [5, 3] },
    { ta: false, tb: true, as: [7, 5], bs: [3, 5] },
    { ta: true, tb: true, as: [5, 7], bs: [3, 5] },
  ];
  const run = () =>
    cases.map(({ ta, tb, as, bs }) =>
      tf.tidy(() => {
        const x = tf.tensor2d(a, as as [number, number]);
        const y = tf.tensor2d(b, bs as [number, number]);
        const f = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D, ta, tb)));
        const [gx, gy] = tf.grads(f)([x, y]);
        return [tf.matMul(x, y, ta, tb), gx, gy].map((t) => Array.from(t.dataSync()));
      }),
    );
  await useBackend('cpu');
  const expected = run();
  await useBackend('wasm');
  const actual = run();
  actual.forEach((outs, i) => outs.forEach((o, k) => assert.ok(maxAbsDiff(o, expected[i][k]) < 1e-4, `case ${i}, output ${k}`)));
});
