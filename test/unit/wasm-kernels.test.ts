/**
 * The wasm training kernels (Conv2DBackpropFilter, and Conv2DBackpropInput
 * rebuilt on Conv2D) against the cpu backend's reference kernels and against
 * numerical gradients.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../main/engine/rng.js';
import { maxAbs, maxAbsDiff, onBackend, tf } from '../support/helpers.js';

interface Case {
  x: [number, number, number, number];
  k: number;
  out: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 9, 9, 3], k: 5, out: 4, stride: 2, pad: 'same' },
  { x: [2, 9, 9, 3], k: 5, out: 4, stride: 2, pad: 'valid' },
  { x: [1, 7, 8, 2], k: 3, out: 5, stride: 1, pad: 'same' },
  { x: [1, 7, 8, 2], k: 3, out: 5, stride: 1, pad: 'valid' },
  { x: [3, 10, 10, 2], k: 4, out: 3, stride: 2, pad: 'same' },
  { x: [2, 11, 6, 1], k: 5, out: 2, stride: 2, pad: 'valid' },
  { x: [2, 5, 5, 4], k: 1, out: 3, stride: 2, pad: 'same' },
  { x: [2, 9, 6, 3], k: 5, out: 4, stride: 2, pad: 'same' },
  { x: [1, 6, 9, 2], k: 4, out: 2, stride: 1, pad: 'same' },
];

function label(c: Case): string {
  return `${c.x.join('×')} ${c.k}×${c.k} stride ${c.stride} ${c.pad}`;
}

function inputs(c: Case) {
  const rng = Rng.fromSeed(c.x.reduce((a, b) => a * 31 + b, c.k * 7 + c.stride));
  const wShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.out];
  const x = rng.normal(c.x.reduce((a, b) => a * b));
  const w = rng.normal(wShape.reduce((a, b) => a * b));
  // The output size, for a random weighting of the outputs (the upstream gradient).
  const outShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, c.stride, c.pad).shape);
  const r = rng.normal(outShape.reduce((a, b) => a * b));
  return { x, w, wShape, r, outShape };
}

/** Loss L = Σ conv(x, w) · r and its gradients on the current backend. */
function gradients(c: Case) {
  const { x, w, wShape, r, outShape } = inputs(c);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, c.x);
    const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
    const rt = tf.tensor(r, outShape);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), rt));
    const [dx, dw] = tf.grads(f)([xt, wt]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

/** Σ conv(x, w) · r on the current backend. */
function lossAt(c: Case, x: Float32Array, w: Float32Array): number {
  const { wShape, r, outShape } = inputs(c);
  return tf.tidy(() =>
    tf
      .sum(tf.mul(tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(w, wShape as [number, number, number, number]), c.stride, c.pad), tf.tensor(r, outShape)))
      .dataSync()[0],
  );
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe('wasm training kernels', () => {
  const reference = new Map<string, { dx: Float32Array; dw: Float32Array }>();
  before(async () => {
    await onBackend('cpu');
    for (const c of CASES) reference.set(label(c), gradients(c));
    await onBackend('wasm');
  });

  for (const c of CASES) {
    test(`match the cpu backend: ${label(c)}`, () => {
      const want = reference.get(label(c))!;
      const got = gradients(c);
      assert.ok(maxAbsDiff(got.dw, want.dw) <= 1e-4 * Math.max(1, maxAbs(want.dw)), `filter gradient differs by ${maxAbsDiff(got.dw, want.dw)}`);
      assert.ok(maxAbsDiff(got.dx, want.dx) <= 1e-4 * Math.max(1, maxAbs(want.dx)), `input gradient differs by ${maxAbsDiff(got.dx, want.dx)}`);
    });

    test(`match numerical gradients: ${label(c)}`, () => {
      // L is linear in x and in w, so a central difference along a random
      // direction v equals the directional derivative up to rounding.
      const { x, w } = inputs(c);
      const got = gradients(c);
      const rng = Rng.fromSeed(99);
      for (const [which, base, grad] of [['x', x, got.dx], ['w', w, got.dw]] as const) {
        const v = rng.normal(base.length);
        const plus = base.map((b, i) => b + v[i]);
        const minus = base.map((b, i) => b - v[i]);
        const numeric = which === 'x' ? (lossAt(c, plus, w) - lossAt(c, minus, w)) / 2 : (lossAt(c, x, plus) - lossAt(c, x, minus)) / 2;
        const analytic = dot(grad, v);
        assert.ok(Math.abs(numeric - analytic) <= 1e-3 * Math.max(1, Math.abs(analytic)), `d/d${which}: numeric ${numeric}, analytic ${analytic}`);
      }
    });
  }

  test('transposed convolutions (the generator upsampling) match the cpu backend', async () => {
    const rng = Rng.fromSeed(5);
    const shapes: { x: [number, number, number, number]; w: [number, number, number, number]; out: [number, number, number, number]; pad: 'same' | 'valid' }[] = [
      { x: [2, 7, 7, 6], w: [5, 5, 4, 6], out: [2, 14, 14, 4], pad: 'same' },
      { x: [1, 4, 4, 3], w: [5, 5, 2, 3], out: [1, 11, 11, 2], pad: 'valid' },
      { x: [2, 5, 5, 3], w: [4, 4, 1, 3], out: [2, 10, 10, 1], pad: 'same' },
    ];
    for (const s of shapes) {
      const x = rng.normal(s.x.reduce((a, b) => a * b));
      const w = rng.normal(s.w.reduce((a, b) => a * b));
      const run = () => tf.tidy(() => tf.conv2dTranspose(tf.tensor4d(x, s.x), tf.tensor4d(w, s.w), s.out, 2, s.pad).dataSync() as Float32Array);
      const got = run();
      await onBackend('cpu');
      const want = run();
      await onBackend('wasm');
      assert.ok(maxAbsDiff(got, want) <= 1e-4 * Math.max(1, maxAbs(want)), `${s.x} → ${s.out} ${s.pad}: differs by ${maxAbsDiff(got, want)}`);
    }
  });
});
