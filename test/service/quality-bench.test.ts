/**
 * `bench:quality` on data of one's own: digits written as IDX files are
 * imported, judged by a judge trained on their labels, and each variant's
 * seeds summarised as mean and range; the class histogram is of the samples
 * scored. (Two steps: the bench's figures are the README's, not a test's.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../../main/datasets/mnist.js';
import { tempDir } from '../support/helpers.js';

function idx(type: number, dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

test('bench:quality --data: imports IDX digits, trains their judge, and reports each variant over seeds with spread, confidence and class shares', () => {
  const mnist = loadMnist();
  const n = 400;
  const dir = join(tempDir('gan-qbench'), 'digits');
  mkdirSync(dir);
  // builtin:mnist is sorted by digit: every 25th image takes all ten.
  const pick = Array.from({ length: n }, (_, i) => i * 25);
  const pixels = new Uint8Array(n * 784);
  pick.forEach((k, i) => pixels.set(mnist.pixels.subarray(k * 784, (k + 1) * 784), i * 784));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx(8, [n, 28, 28], pixels));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx(8, [n], Uint8Array.from(pick, (k) => mnist.labels![k])));
  const home = tempDir('gan-qbench-home');
  const script = fileURLToPath(new URL('../../bench/quality-bench.js', import.meta.url));
  const samples = 64;
  const args = [script, '--set', 'digits', '--data', dir, '--home', home, '--steps', '2', '--eval-every', '2', '--samples', String(samples), '--variants', 'tutorial,quality', '--seeds', '2', '--json'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const scores = lines.filter((l) => l.type === 'score');
  const summary = lines.at(-1);
  assert.equal(summary.type, 'summary');
  assert.deepEqual(summary.dataset, { name: 'digits-28', images: n, perClass: null, size: 28, channels: 1, classes: 10, judge: 'trained' });
  // A judge of 400 digits is barely trained: its confidence is a share, whatever it is.
  assert.ok(summary.realConfident >= 0 && summary.realConfident <= 1);
  // Seed-major: every variant's first seed before any second.
  assert.deepEqual(
    scores.map((s) => `${s.variant}/${s.seed}`),
    ['tutorial/1', 'quality/1', 'tutorial/2', 'quality/2'],
  );
  for (const v of summary.variants) {
    const mine = scores.filter((s) => s.variant === v.variant);
    assert.equal(v.seeds, 2);
    for (const k of ['fid', 'confident', 'classSpread']) {
      const xs = mine.map((s) => s[k]);
      assert.equal(v[k].min, Math.min(...xs));
      assert.equal(v[k].max, Math.max(...xs));
      assert.ok(Math.abs(v[k].mean - (xs[0] + xs[1]) / 2) < 1e-12);
    }
    for (const s of mine) {
      assert.equal(s.histogram.reduce((a: number, b: number) => a + b, 0), samples);
      const uniform = samples / 10;
      assert.ok(Math.abs(s.classSpread - Math.max(...s.histogram.map((h: number) => Math.abs(h / uniform - 1)))) < 1e-12);
    }
    assert.ok(Math.abs(v.fidRatioToFirst - summary.variants[0].fid.mean / v.fid.mean) < 1e-12);
  }
  // The same seed trains the same way: a second bench over seed 2 alone repeats its scores.
  const again = spawnSync(process.execPath, [...args.slice(0, -5), '--variants', 'quality', '--first-seed', '2', '--seeds', '1', '--json'], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(again.status, 0, again.stderr);
  const repeat = again.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.type === 'score');
  const first = scores.find((s) => s.variant === 'quality' && s.seed === 2);
  assert.equal(repeat.fid, first.fid);
});
