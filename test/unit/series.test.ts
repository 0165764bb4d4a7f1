import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../main/db/database.js';
import { MIGRATIONS } from '../../main/db/migrations/index.js';
import { RunStore } from '../../main/runs/store.js';
import { Rng } from '../../main/engine/rng.js';
import type { AdversarialStepMetrics as StepMetrics } from '../../main/engine/step-metrics.js';
import { tempDir, tinyConfig } from '../support/helpers.js';

function rowsOf(n: number, seed: number): StepMetrics[] {
  const rng = Rng.fromSeed(seed);
  const rows: StepMetrics[] = [];
  for (let step = 1; step <= n; step++) {
    // Noise with rare spikes: what downsampling must not hide.
    const spike = rng.uniform() < 0.001 ? (rng.uniform() < 0.5 ? -50 : 50) : 0;
    rows.push({ step, dLoss: Math.sin(step / 500) + rng.uniform() + spike, gLoss: rng.uniform(), dReal: 0.5, dFake: 0.5, accReal: 0.5, accFake: 0.5, ms: 10, imagesPerSec: 100 });
  }
  return rows;
}

/** Appends in batches, as a training run does. */
function append(store: RunStore, id: string, rows: StepMetrics[]): StepMetrics[] {
  for (let i = 0; i < rows.length; i += 997) store.appendMetrics(id, rows.slice(i, i + 997));
  return rows;
}

test('a short range comes back whole; a long one as at most N points that keep every bucket extreme', () => {
  const store = new RunStore(tempDir());
  const run = store.create(tinyConfig());
  const rows = append(store, run.id, rowsOf(50_000, 1));
  assert.deepEqual(store.series(run.id, 'd_loss', { from: 100, to: 150 }).map((p) => p.step), Array.from({ length: 51 }, (_, i) => 100 + i));

  for (const [from, to, points] of [[1, 50_000, 2000], [1, 50_000, 100], [12_345, 30_000, 500], [1, 3000, 400]] as const) {
    const series = store.series(run.id, 'd_loss', { from, to, points });
    assert.ok(series.length <= points, `${series.length} points for ${points}`);
    const inRange = rows.filter((r) => r.step >= from && r.step <= to);
    const values = new Map(inRange.map((r) => [r.step, Math.fround(r.dLoss)]));
    for (const p of series) assert.equal(Math.fround(p.value), values.get(p.step), `point at ${p.step} is not that step's value`);
    // Steps ascend, and the range's global extremes (the spikes) are kept.
    assert.deepEqual(series.map((p) => p.step), [...series.map((p) => p.step)].sort((a, b) => a - b));
    const lo = Math.min(...inRange.map((r) => r.dLoss));
    const hi = Math.max(...inRange.map((r) => r.dLoss));
    assert.ok(Math.abs(Math.min(...series.map((p) => p.value)) - lo) < 1e-9, `lost the minimum of [${from}, ${to}]`);
    assert.ok(Math.abs(Math.max(...series.map((p) => p.value)) - hi) < 1e-9, `lost the maximum of [${from}, ${to}]`);
  }
  store.close();
});

test('rollups follow metrics that a resume truncates and trains again', () => {
  const store = new RunStore(tempDir());
  const run = store.create(tinyConfig());
  append(store, run.id, rowsOf(20_000, 1));
  store.truncateMetrics(run.id, 9_000);
  append(store, run.id, rowsOf(20_000, 2).filter((r) => r.step > 9_000));
  const all = store.readMetrics(run.id);
  const hi = Math.max(...all.map((m) => m.dLoss!));
  const lo = Math.min(...all.map((m) => m.dLoss!));
  const series = store.series(run.id, 'd_loss', { points: 200 });
  assert.ok(Math.abs(Math.max(...series.map((p) => p.value)) - hi) < 1e-9);
  assert.ok(Math.abs(Math.min(...series.map((p) => p.value)) - lo) < 1e-9);
  // Nothing left from the discarded steps: every point is a value the run has now.
  const now = new Map(all.map((m) => [m.step, m.dLoss]));
  for (const p of series) assert.equal(p.value, now.get(p.step));
  store.close();
});

test('migration 002 builds rollups for metrics written under schema 1', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 1));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'd', '{}', 'completed', 9, 'now')").run();
  const insert = db.prepare('INSERT INTO metrics (run_id, step, d_loss) VALUES (?, ?, ?)');
  for (let step = 1; step <= 200; step++) insert.run('r', step, step === 77 ? -5 : step);
  migrate(db, MIGRATIONS.slice(0, 2));
  assert.equal(schemaVersion(db), 2);
  const r = db.prepare("SELECT lo_step, lo, hi_step, hi FROM metric_rollups WHERE run_id = 'r' AND metric = 'd_loss' AND size = 64 AND bucket = 1").get();
  assert.deepEqual({ ...(r as object) }, { lo_step: 77, lo: -5, hi_step: 127, hi: 127 });
  db.close();
});
