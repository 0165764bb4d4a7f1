/**
 * A training process killed with SIGKILL at random moments never damages the
 * database or a completed checkpoint, and its run resumes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readCheckpoint } from '../../main/families/run-checkpoint.js';
import { RunStore } from '../../main/runs/store.js';
import { Rng } from '../../main/engine/rng.js';
import { tempDir } from '../support/helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
const TINY = ['--width', '8', '--batch', '8', '--z-dim', '16', '--backend', 'wasm', '--checkpoint-every', '3', '--json'];
const TRIALS = Number(process.env.GAN_STUDIO_CRASH_TRIALS ?? 20);

/** Starts the CLI and kills it `delay` ms after its first training step. Returns the run id it printed. */
function trainAndKill(args: string[], home: string, delay: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let run: string | null = null;
    let armed = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = JSON.parse(line) as { type: string; run?: string };
      if (e.type === 'started') run = e.run ?? null;
      if (e.type === 'step' && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(run) : reject(new Error(`exited ${code} before the kill: ${stderr}`))));
  });
}

test(`SIGKILL at ${TRIALS} random moments: database intact, run interrupted, no completed checkpoint lost, resumable`, async () => {
  const home = tempDir();
  const rng = Rng.fromSeed(2026);
  let run: string | null = null;
  let newest = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const delay = Math.floor(rng.uniform() * 600);
    const args: string[] = run ? ['resume', '--run', run, '--steps', '100000', ...TINY.filter((a) => a === '--json')] : ['train', '--steps', '100000', ...TINY];
    run = (await trainAndKill(args, home, delay)) ?? run;
    assert.ok(run, 'the first trial did not start a run');

    const store = new RunStore(home);
    try {
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok', `trial ${trial}`);
      assert.equal(store.get(run).status, 'interrupted', `trial ${trial}`);
      const steps = store.checkpointSteps(run);
      // Checkpoints only move forward, and every one the database names reads back whole.
      assert.ok((steps.at(-1) ?? 0) >= newest, `trial ${trial}: newest checkpoint went from ${newest} back to ${steps.at(-1)}`);
      newest = steps.at(-1) ?? 0;
      for (const s of steps) {
        assert.ok(existsSync(store.checkpointPath(run, s)));
        assert.equal(readCheckpoint(store.checkpointPath(run, s)).step, s);
      }
      const metricSteps = store.readMetrics(run).map((m) => m.step);
      assert.deepEqual(metricSteps, [...new Set(metricSteps)].sort((a, b) => a - b));
    } finally {
      store.close();
    }
  }
  assert.ok(newest > 0, 'no trial lived long enough to write a checkpoint');
  const listed = spawnSync(process.execPath, [BIN, 'runs', 'list', '--json'], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8' });
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { run: string; status: string }[]).map((r) => [r.run, r.status]),
    [[run, 'interrupted']],
  );

  const done = spawnSync(process.execPath, [BIN, 'resume', '--run', run!, '--steps', '4', '--json'], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8' });
  assert.equal(done.status, 0, done.stderr);
  const summary = JSON.parse(done.stdout.trim().split('\n').at(-1)!);
  assert.equal(summary.status, 'completed');
  assert.equal(summary.steps, newest + 4);
  const store = new RunStore(home);
  assert.equal(store.get(run!).status, 'completed');
  store.close();
});
