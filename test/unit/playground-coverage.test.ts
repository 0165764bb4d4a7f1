/** The mode-coverage figures on hand-made point sets, and the playground's data sets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../main/engine/rng.js';
import { COVERAGE_SAMPLES, coverage, modeCoverage, supportCoverage } from '../../main/playground/coverage.js';
import { drawn, drawnSigma, grid, ring, spiral } from '../../main/playground/distributions.js';

/** n copies of one point, as x,y pairs. */
function repeat(x: number, y: number, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) ((out[2 * i] = x), (out[2 * i + 1] = y));
  return out;
}

test('every sample on one mode of the ring covers 1 of 8, all high quality', () => {
  const r = ring();
  const c = modeCoverage(repeat(r.modes![4], r.modes![5], COVERAGE_SAMPLES), r.modes!, r.sigma);
  assert.deepEqual([c.kind, c.covered, c.modes, c.highQualityPct, c.samples], ['modes', 1, 8, 100, 2500]);
});

test('a sample beyond 3σ of its nearest mode is not high quality and covers nothing', () => {
  const r = ring();
  const [x, y] = [r.modes![0], r.modes![1]];
  // Half the samples on mode 0, half 4σ out from mode 2 (nearest to it, but too far).
  const far = repeat(r.modes![4] + 4 * r.sigma, r.modes![5], 100);
  const samples = new Float32Array([...repeat(x, y, 100), ...far]);
  const c = modeCoverage(samples, r.modes!, r.sigma);
  assert.equal(c.covered, 1);
  assert.equal(c.highQualityPct, 50);
  assert.ok(Math.abs(c.radius - 0.06) < 1e-12);
});

test('exactly 3σ from a mode counts as high quality; a hair beyond does not', () => {
  // σ = 0.5 makes 3σ = 1.5, exact in binary, so the boundary is tested without rounding.
  const modes = [0, 0, 10, 0];
  assert.equal(modeCoverage([1.5, 0], modes, 0.5).highQualityPct, 100);
  assert.equal(modeCoverage([0, -1.5], modes, 0.5).covered, 1);
  assert.equal(modeCoverage([1.5000001, 0], modes, 0.5).highQualityPct, 0);
  assert.equal(modeCoverage([8.5, 0], modes, 0.5).covered, 1, 'the nearest mode is the one that counts');
});

test('a sample on a mode covers that mode, not its neighbour', () => {
  const g = grid();
  // One sample on each of the first 10 modes, the rest in the middle of a cell (1, 1): nowhere.
  const samples: number[] = [];
  for (let k = 0; k < 10; k++) samples.push(g.modes![2 * k], g.modes![2 * k + 1]);
  for (let k = 0; k < 30; k++) samples.push(1, 1);
  const c = modeCoverage(samples, g.modes!, g.sigma);
  assert.equal(c.covered, 10);
  assert.equal(c.modes, 25);
  assert.equal(c.highQualityPct, 25);
});

test('real data scores as a 2D Gaussian should: every mode, and P(r ≤ 3σ) = 1 − e^−4.5 ≈ 98.9 % high quality', () => {
  for (const d of [ring(), grid()]) {
    const c = coverage(d.sample(20_000, Rng.fromSeed(3)), d);
    assert.equal(c.covered, c.modes, d.name);
    assert.ok(Math.abs(c.highQualityPct - 100 * (1 - Math.exp(-4.5))) < 0.3, `${d.name}: ${c.highQualityPct}`);
  }
});

test('the benchmark set-ups: ring of radius 2 with σ 0.02, grid on {-4..4}² with σ 0.05', () => {
  const r = ring();
  assert.equal(r.modes!.length / 2, 8);
  for (let k = 0; k < 8; k++) assert.ok(Math.abs(Math.hypot(r.modes![2 * k], r.modes![2 * k + 1]) - 2) < 1e-12);
  assert.equal(r.sigma, 0.02);
  const g = grid();
  assert.deepEqual([...new Set(Array.from(g.modes!))].sort((a, b) => a - b), [-4, -2, 0, 2, 4]);
  assert.equal(g.modes!.length / 2, 25);
  assert.equal(g.sigma, 0.05);
  // Sampling is the seeded Rng's: the same seed, the same points.
  assert.deepEqual(g.sample(5, Rng.fromSeed(9)), g.sample(5, Rng.fromSeed(9)));
});

test('support data: within 3σ of the curve is high quality, and the share of the curve reached is reported', () => {
  const s = spiral();
  assert.equal(s.modes, null);
  const curve = Float32Array.from(s.support);
  const onCurve = supportCoverage(curve, s.support, s.sigma);
  assert.deepEqual([onCurve.kind, onCurve.modes, onCurve.covered, onCurve.highQualityPct, onCurve.supportCoveredPct], ['support', null, null, 100, 100]);
  // The first half of the trace only: every sample good, about half the curve reached.
  const half = supportCoverage(curve.subarray(0, curve.length / 2), s.support, s.sigma);
  assert.equal(half.highQualityPct, 100);
  assert.ok(half.supportCoveredPct! > 48 && half.supportCoveredPct! < 53, String(half.supportCoveredPct));
  // Far from everything: nothing.
  const lost = supportCoverage(repeat(4.9, -4.9, 50), s.support, s.sigma);
  assert.deepEqual([lost.highQualityPct, lost.supportCoveredPct], [0, 0]);
  // The boundary, as for modes: exactly 3σ from a support point counts.
  assert.equal(supportCoverage([1.5, 0], [0, 0], 0.5).highQualityPct, 100);
  assert.equal(supportCoverage([1.5000001, 0], [0, 0], 0.5).highQualityPct, 0);
});

test('a drawing gets its σ from the spacing of its points, bounded', () => {
  const line = Float64Array.from(Array.from({ length: 20 }, (_, i) => [i * 0.2, 0]).flat());
  assert.ok(Math.abs(drawnSigma(line) - 0.1) < 1e-9);
  assert.equal(drawnSigma(Float64Array.from([0, 0, 4, 4, -4, 4])), 0.25, 'sparse clicks are not smeared across the canvas');
  assert.equal(drawnSigma(Float64Array.from([1, 1, 1, 1, 1, 1])), 0.03, 'repeated points still make a blob');
  const d = drawn([[0, 0], [0.2, 0], [0.4, 0]]);
  const c = coverage(d.sample(5000, Rng.fromSeed(1)), d);
  assert.equal(c.kind, 'support');
  assert.ok(c.highQualityPct > 98, String(c.highQualityPct));
  assert.throws(() => drawn([[0, 0]]), /at least 3 points/);
});
