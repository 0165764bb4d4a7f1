import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { RunStore } from '../../main/runs/store.js';
import { TrainingSession } from '../../main/training/session.js';
import type { TrainingEvent } from '../../main/training/protocol.js';
import { tempDir, tinyConfig } from '../support/helpers.js';

function waitFor(events: TrainingEvent[], pred: (e: TrainingEvent) => boolean, session: TrainingSession): Promise<TrainingEvent> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const hit = events.find(pred);
      if (hit) {
        clearInterval(timer);
        resolve(hit);
      } else if (!session.running) {
        clearInterval(timer);
        reject(new Error(`session ended first: ${JSON.stringify(events.at(-1))}`));
      }
    }, 5);
  });
}

test('training runs in a worker: the host stays responsive, and pause, resume and stop work', async () => {
  const home = tempDir();
  const store = new RunStore(home);
  const run = store.create(tinyConfig({ backend: 'wasm', steps: 100_000, checkpointEvery: 100_000 }));
  after(() => store.close());
  const events: TrainingEvent[] = [];
  const session = TrainingSession.start({ home, runId: run.id, resume: false }, (e) => events.push(e));

  // The host's event loop keeps ticking while the worker trains.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  await waitFor(events, (e) => e.type === 'step' && e.metrics.step >= 5, session);
  clearInterval(ticker);
  assert.ok(ticks >= 3, `host event loop ticked only ${ticks} times`);
  assert.equal(store.get(run.id).status, 'running');

  session.pause();
  const paused = (await waitFor(events, (e) => e.type === 'paused', session)) as Extract<TrainingEvent, { type: 'paused' }>;
  // A pause saves a checkpoint, so closing the app while paused loses nothing.
  assert.ok(existsSync(store.checkpointPath(run.id, paused.step)));
  assert.equal(store.get(run.id).status, 'paused');
  const stepsAtPause = events.filter((e) => e.type === 'step').length;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(events.filter((e) => e.type === 'step').length, stepsAtPause, 'steps continued while paused');

  session.resume();
  await waitFor(events, (e) => e.type === 'step' && e.metrics.step >= paused.step + 3, session);
  const summary = await session.stop();
  assert.equal(summary.status, 'stopped');
  assert.ok(summary.steps >= paused.step + 3);
  assert.equal(store.get(run.id).status, 'stopped');
  assert.deepEqual(store.checkpointSteps(run.id).at(-1), summary.steps);
  // Every step trained is in the metrics file exactly once.
  assert.deepEqual(store.readMetrics(run.id).map((m) => m.step), Array.from({ length: summary.steps }, (_, i) => i + 1));

  // Resume continues from the stop, for the steps asked.
  const more = TrainingSession.start({ home, runId: run.id, resume: true, addSteps: 4 });
  const done = await more.done;
  assert.equal(done.status, 'completed');
  assert.equal(done.steps, summary.steps + 4);
  assert.equal(store.readMetrics(run.id).length, summary.steps + 4);
});

test('a run that cannot start reports why and leaves the run as it was', async () => {
  const home = tempDir();
  const store = new RunStore(home);
  const run = store.create(tinyConfig({ backend: 'wasm', steps: 3 }));
  after(() => store.close());
  await TrainingSession.start({ home, runId: run.id, resume: false }).done;
  const again = TrainingSession.start({ home, runId: run.id, resume: true });
  await assert.rejects(again.done, /already at step 3 of 3; pass --steps N/);
  assert.equal(store.get(run.id).status, 'completed');
});
