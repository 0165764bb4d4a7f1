import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { METRICS, RunStore } from '../../main/runs/store.js';
import { studioHome } from '../../main/runs/home.js';
import type { CheckpointData } from '../../main/families/run-checkpoint.js';
import { resolveConfig } from '../../main/families/run-config.js';
import type { StepMetrics } from '../../main/engine/step-metrics.js';
import { tempDir, tinyConfig } from '../support/helpers.js';
import { nearestPictureSteps, readNearestPictures, saveNearestPictures } from '../../main/runs/nearest-pictures.js';

const metric = (step: number): StepMetrics => ({ step, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, accReal: 0.5, accFake: 0.5, ms: 1, imagesPerSec: 1 });
const ckpt = (step: number): CheckpointData => ({
  step,
  config: tinyConfig(),
  spec: { size: 28, channels: 1, zDim: 16, width: 8, numClasses: 0, dropout: 0.3 },
  rng: [1, 2, 3, 4],
  iterations: {},
  tensors: new Map([['G/a', { shape: [1], data: new Float32Array([step]) }]]),
});

function store(): RunStore {
  return new RunStore(tempDir());
}

test('the studio home follows GAN_STUDIO_HOME, else the platform application-data folder', () => {
  assert.equal(studioHome({ GAN_STUDIO_HOME: '/x/y' }, 'linux'), '/x/y');
  assert.match(studioHome({ XDG_CONFIG_HOME: '/cfg' }, 'linux'), /^\/cfg[\\/]GAN Studio$/);
  assert.match(studioHome({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32'), /Roaming[\\/]GAN Studio$/);
  assert.match(studioHome({}, 'darwin'), /Library[\\/]Application Support[\\/]GAN Studio$/);
});

test('runs are created queued, found by unique prefix, updated and listed', () => {
  const s = store();
  const a = s.create(tinyConfig(), new Date(2026, 0, 2, 3, 4, 5));
  const b = s.create(tinyConfig({ loss: 'hinge' }), new Date(2026, 1, 2, 3, 4, 5));
  assert.match(a.id, /^20260102-030405-[0-9a-f]{4}$/);
  assert.equal(a.status, 'queued');
  assert.deepEqual(a.config, tinyConfig());
  assert.equal(s.get('20260102').id, a.id);
  assert.throws(() => s.get('2026'), /ambiguous/);
  assert.throws(() => s.get('1999'), /no run "1999"/);
  // A prefix with LIKE wildcards matches only itself.
  assert.throws(() => s.get('2026%'), /no run "2026%"/);
  const running = s.update(b.id, { status: 'running', pid: process.pid });
  assert.ok(running.startedAt);
  const done = s.update(b.id, { status: 'completed', step: 10, pid: null });
  assert.ok(done.endedAt);
  assert.deepEqual(s.list().map((r) => [r.id, r.status, r.config.loss]), [[a.id, 'queued', 'bce'], [b.id, 'completed', 'hinge']]);
  s.close();
});

test('a run whose process died becomes interrupted, in the database too', () => {
  const s = store();
  const r = s.create(tinyConfig());
  // As a killed process leaves it: running, under a process id that no longer exists.
  s.db.prepare("UPDATE runs SET status = 'running', pid = ? WHERE id = ?").run(2 ** 22 + 12345, r.id);
  const other = s.create(tinyConfig());
  s.update(other.id, { status: 'running', pid: process.pid });
  assert.equal(s.markInterrupted(), 1);
  const row = s.db.prepare('SELECT status, pid FROM runs WHERE id = ?').get(r.id);
  assert.deepEqual({ ...(row as object) }, { status: 'interrupted', pid: null });
  assert.equal(s.get(other.id).status, 'running');
  s.close();
});

test('metrics are stored in batches; those past a resumed checkpoint are dropped', () => {
  const s = store();
  const r = s.create(tinyConfig());
  s.appendMetrics(r.id, [1, 2, 3, 4, 5].map(metric));
  // A step trained again after a crash replaces its row instead of doubling it.
  s.appendMetrics(r.id, [{ ...metric(5), dLoss: 9 }]);
  assert.deepEqual(s.readMetrics(r.id).map((m) => [m.step, m.dLoss]), [[1, 1], [2, 1], [3, 1], [4, 1], [5, 9]]);
  s.truncateMetrics(r.id, 3);
  assert.deepEqual(s.readMetrics(r.id).map((m) => m.step), [1, 2, 3]);
  s.close();
});

test("an evaluation and a step's metrics share its row in either order, and neither erases the other", () => {
  const s = store();
  const r = s.create(tinyConfig());
  const ev = (step: number, fid: number) => ({ step, fid, kid: 0.1, diversity: 0.9, nearDuplicates: 0.02, classesCovered: 9, numClasses: 10, classAccuracy: null, judge: 'shipped', ms: 5 });
  s.recordEvaluation(r.id, ev(2, 40)); // the judge was faster than the metrics flush
  s.appendMetrics(r.id, [metric(1), metric(2), metric(3)]);
  s.recordEvaluation(r.id, ev(3, 30));
  assert.deepEqual(s.readMetrics(r.id).map((m) => m.step), [1, 2, 3]);
  assert.deepEqual(s.series(r.id, 'fid'), [{ step: 2, value: 40 }, { step: 3, value: 30 }]);
  assert.equal(s.lastEvaluation(r.id)?.fid, 30);
  assert.equal(s.lastEvaluation(r.id)?.classesCovered, 9);
  assert.equal(s.lastMetrics(r.id)?.accReal, 0.5);
  assert.deepEqual(s.recentMetrics(r.id, 2).map((m) => m.step), [2, 3]);
  s.close();
});

test("the charted metrics are the metrics table's columns: the shared ones and each family's, from the registry", () => {
  const s = store();
  const columns = (s.db.prepare('PRAGMA table_info(metrics)').all() as { name: string }[]).map((c) => c.name);
  // Keys and the class balance (JSON, shown as bars) are not series.
  const series = columns.filter((c) => !['run_id', 'step', 'class_balance'].includes(c));
  assert.deepEqual([...METRICS].sort(), series.sort());
  // A family's own column is charted and rolled up like the shared ones.
  const r = s.create(tinyConfig());
  s.recordEvaluation(r.id, { step: 5, fid: 1, kid: 0, diversity: 1, nearDuplicates: 0, classesCovered: null, numClasses: 0, classAccuracy: null, judge: 'shipped', ms: 1, fidelity: { psnr: 27.5, ssim: 0.8, psnrBicubic: 25, ssimBicubic: 0.7, fidBicubic: 3 } });
  assert.deepEqual(s.series(r.id, 'psnr_bicubic'), [{ step: 5, value: 25 }]);
  assert.throws(() => s.series(r.id, 'step'), /no metric "step"/);
  s.close();
});

test('a family’s pinned checkpoint (the end of super-resolution’s PSNR phase) outlives the pruning of the ones after it', () => {
  const s = store();
  const config = resolveConfig({ task: 'superres', dataset: 'builtin:mnist', steps: 60, batch: 4, superres: { scale: 2, crop: 28, psnrSteps: 20 } });
  const r = s.create(config);
  for (const step of [10, 20, 30, 40, 50]) s.saveCheckpoint(r.id, { ...ckpt(step), config });
  assert.deepEqual(s.checkpointSteps(r.id), [20, 40, 50]);
  assert.ok(existsSync(s.checkpointPath(r.id, 20)) && !existsSync(s.checkpointPath(r.id, 30)));
  // A GAN pins none.
  const g = s.create(tinyConfig());
  for (const step of [10, 20, 30, 40]) s.saveCheckpoint(g.id, ckpt(step));
  assert.deepEqual(s.checkpointSteps(g.id), [30, 40]);
  s.close();
});

test('the two newest checkpoints are kept, and a damaged newest falls back to the one before', () => {
  const s = store();
  const r = s.create(tinyConfig());
  for (const step of [10, 20, 30]) s.saveCheckpoint(r.id, ckpt(step));
  assert.deepEqual(s.checkpointSteps(r.id), [20, 30]);
  assert.ok(!existsSync(s.checkpointPath(r.id, 10)));
  // A save killed mid-way leaves a temporary file, which no row names.
  writeFileSync(s.checkpointPath(r.id, 40) + '.tmp-1-2', 'partial');
  writeFileSync(s.checkpointPath(r.id, 30), 'garbage');
  const skipped: string[] = [];
  assert.equal(s.latestCheckpoint(r.id, (m) => skipped.push(m))?.step, 20);
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /damaged/);
  // Resuming from step 20 sets the damaged one aside, so pruning never drops the good one for it.
  s.discardCheckpointsAfter(r.id, 20);
  assert.deepEqual(s.checkpointSteps(r.id), [20]);
  assert.ok(existsSync(s.checkpointPath(r.id, 30) + '.damaged'));
  s.saveCheckpoint(r.id, ckpt(25));
  assert.deepEqual(s.checkpointSteps(r.id), [20, 25]);
  s.close();
});

test('deleting a run removes its rows and files', () => {
  const s = store();
  const r = s.create(tinyConfig());
  s.appendMetrics(r.id, [metric(1)]);
  s.saveCheckpoint(r.id, ckpt(1));
  s.addSample(r.id, 1, 7, s.samplePath(r.id, 1));
  s.delete(r.id);
  for (const table of ['runs', 'metrics', 'checkpoints', 'samples']) {
    assert.equal((s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 0, table);
  }
  assert.ok(!existsSync(s.dir(r.id)));
  s.close();
});

test('a run resumed at a step loses the memorisation pictures of the evaluations after it, with their metrics', () => {
  const s = store();
  const r = s.create(tinyConfig(), new Date(2026, 0, 2, 3, 4, 5));
  for (const step of [2, 4, 6]) saveNearestPictures(s.dir(r.id), { step, threshold: 1, pairs: [] });
  assert.deepEqual(nearestPictureSteps(s.dir(r.id)), [2, 4, 6]);
  s.truncateMetrics(r.id, 4);
  assert.deepEqual(nearestPictureSteps(s.dir(r.id)), [2, 4]);
  assert.equal(readNearestPictures(s.dir(r.id))?.step, 4);
  s.close();
});
