/**
 * Downsampled metric series on a run with 1,000,000 metric rows: the chart
 * query must come back in under 100 ms. `npm run bench:series [-- --json]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../main/families/run-config.js';
import { RunStore } from '../main/runs/store.js';
import type { StepMetrics } from '../main/engine/step-metrics.js';

const ROWS = 1_000_000;
const home = mkdtempSync(join(tmpdir(), 'gan-studio-series-'));
const store = new RunStore(home);
try {
  const run = store.create(resolveConfig({ dataset: 'builtin:mnist', steps: ROWS }));
  let t = performance.now();
  const batch: StepMetrics[] = [];
  for (let step = 1; step <= ROWS; step++) {
    batch.push({ step, dLoss: Math.sin(step / 1000) + Math.random(), gLoss: Math.random(), dReal: 0.5, dFake: 0.5, accReal: 0.5, accFake: 0.5, ms: 10, imagesPerSec: 100 });
    if (batch.length === 10_000) store.appendMetrics(run.id, batch.splice(0));
  }
  const insertSeconds = (performance.now() - t) / 1000;
  const cases = [
    { label: 'whole run, 2000 points', from: 1, to: ROWS },
    { label: 'middle 10%, 2000 points', from: 450_000, to: 550_000 },
    { label: 'last 3000 steps, 2000 points', from: ROWS - 3000, to: ROWS },
  ];
  const results = cases.map((c) => {
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < 21; i++) {
      t = performance.now();
      n = store.series(run.id, 'd_loss', { from: c.from, to: c.to, points: 2000 }).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { case: c.label, median_ms: Math.round(times[10] * 10) / 10, points: n };
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify({ rows: ROWS, insert_seconds: Math.round(insertSeconds * 10) / 10, queries: results }));
  else {
    console.log(`${ROWS.toLocaleString('en')} metric rows written in ${insertSeconds.toFixed(1)} s (with rollups)`);
    for (const r of results) console.log(`${r.case.padEnd(30)} median ${r.median_ms} ms, ${r.points} points`);
  }
} finally {
  store.close();
  rmSync(home, { recursive: true, force: true });
}
