import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../main/runs/store.js';
import { studioHome } from '../main/runs/home.js';
import type { CheckpointData } from '../main/engine/checkpoint.js';
import type { StepMetrics } from '../main/engine/trainer.js';
import { tempDir, tinyConfig } from './helpers.js';

const metric = (step: number): StepMetrics => ({ step, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, ms: 1, imagesPerSec: 1 });
const ckpt = (step: number): CheckpointData => ({
  step,
  config: tinyConfig(),
  spec: { size: 28, channels: 1, zDim: 16, width: 8, numClasses: 0, dropout: 0.3 },
  rng: [1, 2, 3, 4],
  iterations: {},
  tensors: new Map([['G/a', { shape: [1], data: new Float32Array([step]) }]]),
});

test('the studio home follows GAN_STUDIO_HOME, else the platform application-data folder', () => {
  assert.equal(studioHome({ GAN_STUDIO_HOME: '/x/y' }, 'linux'), '/x/y');
  assert.match(studioHome({ XDG_CONFIG_HOME: '/cfg' }, 'linux'), /^\/cfg[\\/]GAN Studio$/);
  assert.match(studioHome({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32'), /Roaming[\\/]GAN Studio$/);
  assert.match(studioHome({}, 'darwin'), /Library[\\/]Application Support[\\/]GAN Studio$/);
});

test('runs are created, found by unique prefix, updated and listed', () => {
  const store = new RunStore(tempDir());
  const a = store.create(tinyConfig(), new Date(2026, 0, 2, 3, 4, 5));
  const b = store.create(tinyConfig({ loss: 'hinge' }), new Date(2026, 1, 2, 3, 4, 5));
  assert.match(a.id, /^20260102-030405-[0-9a-f]{4}$/);
  assert.equal(store.get('20260102').id, a.id);
  assert.throws(() => store.get('2026'), /ambiguous/);
  assert.throws(() => store.get('1999'), /no run "1999"/);
  store.update(b.id, { status: 'completed', step: 10 });
  assert.deepEqual(store.list().map((r) => [r.id, r.status, r.config.loss]), [[a.id, 'created', 'bce'], [b.id, 'completed', 'hinge']]);
});

test('a run whose process died is reported as interrupted; a damaged run.json is explained', () => {
  const store = new RunStore(tempDir());
  const r = store.create(tinyConfig());
  store.update(r.id, { status: 'running', pid: 2 ** 22 + 12345 });
  assert.equal(store.get(r.id).status, 'interrupted');
  store.update(r.id, { status: 'running', pid: process.pid });
  assert.equal(store.get(r.id).status, 'running');
  writeFileSync(join(store.dir(r.id), 'run.json'), '{"id": ');
  assert.throws(() => store.get(r.id), /damaged run\.json/);
  assert.deepEqual(store.list(), []);
});

test('metrics past the resumed checkpoint are dropped; a line cut by a crash is ignored', () => {
  const store = new RunStore(tempDir());
  const r = store.create(tinyConfig());
  store.appendMetrics(r.id, [1, 2, 3, 4, 5].map(metric));
  writeFileSync(join(store.dir(r.id), 'metrics.jsonl'), '{"step":6,"dLo', { flag: 'a' });
  assert.deepEqual(store.readMetrics(r.id).map((m) => m.step), [1, 2, 3, 4, 5]);
  store.truncateMetrics(r.id, 3);
  assert.deepEqual(store.readMetrics(r.id).map((m) => m.step), [1, 2, 3]);
});

test('the two newest checkpoints are kept, and a damaged newest falls back to the one before', () => {
  const store = new RunStore(tempDir());
  const r = store.create(tinyConfig());
  for (const s of [10, 20, 30]) store.saveCheckpoint(r.id, ckpt(s));
  assert.deepEqual(store.checkpointSteps(r.id), [20, 30]);
  // A save killed mid-way leaves a temporary file, which is never mistaken for a checkpoint.
  writeFileSync(store.checkpointPath(r.id, 40) + '.tmp-1-2', 'partial');
  writeFileSync(store.checkpointPath(r.id, 30), 'garbage');
  const skipped: string[] = [];
  const c = store.latestCheckpoint(r.id, (m) => skipped.push(m));
  assert.equal(c?.step, 20);
  assert.equal(skipped.length, 1);
  assert.match(skipped[0], /damaged/);
});
