/**
 * Time to quality before a run starts: the seconds a step measured on a
 * throwaway copy match what the run then takes (within 30 %), and the
 * finished run joins the table that tells the next run of its kind how
 * many steps reached its FID — and a run of another kind learns nothing
 * from it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { StudioService } from '../../main/service/studio-service.js';
import { median } from '../../main/core/median.js';
import { tempDir } from '../support/helpers.js';
import { ok, until } from '../support/service.js';

const RUN = { dataset: 'builtin:mnist', width: 32, batch: 32, zDim: 32, backend: 'wasm', steps: 20, checkpointEvery: 20 };

function service(): StudioService {
  const s = new StudioService(tempDir(), { previewEvery: 100 });
  after(() => s.close());
  return s;
}

test('the measured seconds per step are within 30 % of the run’s own, and the finished run tells the next one what it needed', async () => {
  const s = service();
  const progress: number[] = [];
  s.on('estimate.progress', (p) => p.ticket === 't1' && progress.push(p.done));
  const before = await ok(s, 'runs.estimate', { config: RUN, timedSteps: 8, ticket: 't1' });
  // Warm-up for a few seconds (two steps at least), then the eight timed, every one announced.
  const warmup = before.speed!.warmupSteps;
  assert.ok(warmup >= 2 && warmup <= 40, `${warmup} warm-up steps`);
  assert.deepEqual(progress, Array.from({ length: warmup + 8 }, (_, i) => i + 1));
  assert.equal(before.speed?.backend, 'wasm');
  assert.equal(before.speed?.timedSteps, 8);
  assert.equal(before.similar.length, 0);
  assert.equal(before.reach, null);
  assert.deepEqual([before.size, before.channels, before.images, before.steps], [28, 1, 10_000, 20]);
  assert.ok(Math.abs(before.totalSeconds! - 20 * before.speed!.secondsPerStep) < 1e-9);
  // Nothing was made: the estimate's copy left no run behind.
  assert.equal((await ok(s, 'runs.list', {})).length, 0);

  const finished = until(s, 'run.finished', () => true);
  const run = await ok(s, 'runs.create', { config: RUN });
  await finished;
  const all = (await ok(s, 'metrics.series', { id: run.id, metric: 'ms' })).map((p) => p.value);
  assert.equal(all.length, 20);
  // Past its first two steps, as the estimate times past its warm-up.
  const measured = median(all.slice(2)) / 1000;
  const off = Math.abs(before.speed!.secondsPerStep - measured) / measured;
  assert.ok(off < 0.3, `estimated ${before.speed!.secondsPerStep.toFixed(4)} s a step, the run took ${measured.toFixed(4)} (${(off * 100).toFixed(0)} % off)`);

  const fids = await ok(s, 'metrics.series', { id: run.id, metric: 'fid' });
  assert.ok(fids.length >= 1);
  const best = fids.reduce((a, b) => (b.value < a.value ? b : a));
  const after1 = await ok(s, 'runs.estimate', { config: RUN, measure: false });
  assert.equal(after1.speed, null);
  assert.deepEqual(after1.similar.map((r) => [r.id, r.steps, r.bestFid, r.bestFidStep]), [[run.id, 20, best.value, best.step]]);
  // The table's speed: the median of all its steps (the upper middle of an even count).
  assert.equal(after1.similar[0].msPerStep, [...all].sort((a, b) => a - b)[10]);
  // The quality all similar runs reached is this run's best, first reached at its step.
  assert.deepEqual(after1.reach, { fid: best.value, asked: false, sameDataset: true, runs: 1, reached: 1, steps: best.step, seconds: null, theirSeconds: (best.step * after1.similar[0].msPerStep) / 1000 });
  // An FID it never reached: none did.
  const harder = await ok(s, 'runs.estimate', { config: RUN, measure: false, fid: best.value / 2 });
  assert.equal(harder.reach?.reached, 0);
  assert.equal(harder.reach?.steps, null);
  // Another network learns nothing from it.
  const other = await ok(s, 'runs.estimate', { config: { ...RUN, model: 'cdcgan' }, measure: false });
  assert.deepEqual([other.similar, other.reach], [[], null]);
  // Refused as runs.create refuses: the dataset must exist.
  const bad = await s.call('runs.estimate', { config: { ...RUN, dataset: 'nope' }, measure: false });
  assert.ok(!bad.ok && bad.error.code === 'NOT_FOUND' && /nope/.test(bad.error.message));
});
