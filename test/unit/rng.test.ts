import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../main/engine/rng.js';

test('the same seed gives the same stream, another seed another', () => {
  const a = Rng.fromSeed(7).normal(1000);
  const b = Rng.fromSeed(7).normal(1000);
  const c = Rng.fromSeed(8).normal(1000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('a saved state continues exactly where it stopped', () => {
  const r = Rng.fromSeed(3);
  r.normal(17);
  r.uint32();
  const saved = r.state();
  const expected = [r.uint32(), r.uniform(), ...r.normal(5), r.int(10)];
  const again = Rng.fromState(saved);
  assert.deepEqual([again.uint32(), again.uniform(), ...again.normal(5), again.int(10)], expected);
});

test('normals have mean 0 and variance 1; uniforms lie in [0, 1); ints in range', () => {
  const r = Rng.fromSeed(11);
  const x = r.normal(200_000);
  let s = 0;
  let s2 = 0;
  for (const v of x) {
    s += v;
    s2 += v * v;
  }
  const mean = s / x.length;
  const variance = s2 / x.length - mean * mean;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    counts[r.int(10)]++;
  }
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `int histogram ${counts}`);
});

test('a malformed state is refused', () => {
  assert.throws(() => Rng.fromState([1, 2, 3] as never));
});
