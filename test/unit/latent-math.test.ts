import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../main/engine/rng.js';
import { lerp, pcaDirections, slerp, truncate, walk } from '../../main/latent/math.js';
import { maxAbsDiff } from '../support/helpers.js';

const v = (...x: number[]) => Float32Array.from(x);
const norm = (a: Float32Array) => Math.hypot(...a);

test('lerp and slerp start and end on their endpoints; slerp keeps to the arc', () => {
  const a = v(1, 0, 0);
  const b = v(0, 1, 0);
  for (const f of [lerp, slerp]) {
    assert.ok(maxAbsDiff(f(a, b, 0), a) < 1e-6 && maxAbsDiff(f(a, b, 1), b) < 1e-6, f.name);
  }
  assert.ok(maxAbsDiff(lerp(a, b, 0.5), v(0.5, 0.5, 0)) < 1e-7);
  // Halfway round the quarter circle: (a + b)/√2, still of unit length, where the chord dips to 0.707.
  assert.ok(maxAbsDiff(slerp(a, b, 0.5), v(Math.SQRT1_2, Math.SQRT1_2, 0)) < 1e-6);
  for (const t of [0.1, 0.3, 0.77]) assert.ok(Math.abs(norm(slerp(a, b, t)) - 1) < 1e-6, `|slerp(${t})|`);
  // Latents of the prior: the chord's midpoint loses norm, the arc's does not.
  const rng = Rng.fromSeed(5);
  const [p, q] = [rng.normal(100), rng.normal(100)];
  const ends = (norm(p) + norm(q)) / 2;
  assert.ok(norm(lerp(p, q, 0.5)) < 0.8 * ends);
  assert.ok(Math.abs(norm(slerp(p, q, 0.5)) - ends) < 0.05 * ends);
  // Parallel vectors have no arc: slerp falls back to the line instead of dividing by zero.
  assert.ok(maxAbsDiff(slerp(v(1, 1), v(2, 2), 0.5), v(1.5, 1.5)) < 1e-6);
});

test('a walk through three keyframes passes through the middle one and ends on the last', () => {
  const keys = [v(0, 0), v(10, 0), v(10, 10)];
  const frames = walk(keys, 9, false);
  assert.equal(frames.length, 9);
  assert.deepEqual(Array.from(frames[0]), [0, 0]);
  assert.deepEqual(Array.from(frames[4]), [10, 0]);
  assert.deepEqual(Array.from(frames[8]), [10, 10]);
  assert.deepEqual(Array.from(frames[2]), [5, 0]);
  assert.throws(() => walk([v(1)], 5, true), /at least two keyframes/);
  assert.throws(() => walk(keys, 2, true), /at least 3 frames/);
});

test('truncation pulls latents towards the mean: psi 1 keeps them, psi 0 collapses them, 0.5 halves the distance', () => {
  const z = v(2, -4, 6);
  assert.deepEqual(Array.from(truncate(z, 1)), [2, -4, 6]);
  assert.deepEqual(Array.from(truncate(z, 0)), [0, 0, 0]);
  assert.deepEqual(Array.from(truncate(z, 0.5)), [1, -2, 3]);
  assert.deepEqual(Array.from(truncate(z, 0.5, v(2, 0, 0))), [2, -2, 3]);
});

test('PCA directions recover the latent axes that move the output most, in order, with their variance shares', () => {
  // A "generator" whose output is 3·z0 along one pattern plus 1·z3 along an orthogonal one; the other latents do nothing.
  const n = 400;
  const zDim = 8;
  const d = 50;
  const rng = Rng.fromSeed(9);
  const z = rng.normal(n * zDim);
  const p1 = new Float32Array(d).map((_, i) => (i < 25 ? 1 : 0) / 5);
  const p2 = new Float32Array(d).map((_, i) => (i >= 25 ? 1 : 0) / 5);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) x[i * d + p] = 3 * z[i * zDim] * p1[p] + z[i * zDim + 3] * p2[p] + 0.001 * Math.sin(i * p);
  const { directions, explained } = pcaDirections(z, x, n, 2);
  assert.ok(Math.abs(Math.abs(directions[0][0]) - 1) < 0.01, `first direction ${Array.from(directions[0]).map((a) => a.toFixed(2))}`);
  assert.ok(Math.abs(Math.abs(directions[1][3]) - 1) < 0.01, `second direction ${Array.from(directions[1]).map((a) => a.toFixed(2))}`);
  // Variance 9 : 1 (up to sampling), nothing else.
  assert.ok(Math.abs(explained[0] - 0.9) < 0.03 && Math.abs(explained[1] - 0.1) < 0.03, `explained ${explained}`);
});
