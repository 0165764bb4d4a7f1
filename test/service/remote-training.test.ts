/**
 * Remote training through BullMQ on a real Redis (a redis-server of the
 * test's own on a loopback port): runs queued by the studio train in
 * separate `gan-studio worker` processes, and what lands in the studio's
 * database matches a local run of the same seed — through a worker killed
 * mid-run, a Redis restart, and a studio closed while the run trained.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { readCheckpoint } from '../../main/families/run-checkpoint.js';
import type { StepMetrics } from '../../main/engine/step-metrics.js';
import { databasePath } from '../../main/db/database.js';
import { StudioService } from '../../main/service/studio-service.js';
import { tempDir } from '../support/helpers.js';
import { hasRedis, startWorker, TestRedis } from '../support/redis.js';
import { ok, until } from '../support/service.js';

/**
 * On the WebAssembly engine (the same weights bit for bit from one seed, in
 * any process of one machine) at ~40 ms a step: long enough for a kill, a
 * Ctrl-C or a Redis restart to land seconds before the end, 15× faster than
 * the plain-JavaScript engine these tests began on.
 */
const STEPS = 160;
const EVERY = 40;
const CONFIG = { dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, backend: 'wasm', steps: STEPS, checkpointEvery: EVERY, seed: 7 } as const;

const stepOf = (m: StepMetrics) => [m.step, m.dLoss, m.gLoss, m.dReal, m.dFake];

function metricsOf(s: StudioService, id: string) {
  return s.store.readMetrics(id).map(stepOf);
}

async function trainRemote(s: StudioService, config: object = CONFIG) {
  const r = await ok(s, 'runs.create', { config, remote: true });
  assert.equal(r.status, 'queued');
  assert.deepEqual(r.remote, { worker: null, active: true });
  return r.id;
}

describe('remote training', { skip: !hasRedis && !process.env.CI && 'redis-server is not installed' }, () => {
  let redis: TestRedis;
  let reference: { metrics: unknown[]; checkpoints: number[]; samples: number[]; fid: number | null; weights: Map<string, Float32Array> };

  after(() => redis?.close());
  before(async () => {
    redis = await TestRedis.start();
    // The same seed trained here, for every remote run to match.
    const local = new StudioService(mkdtempSync(join(tmpdir(), 'gan-studio-local-')));
    const r = await ok(local, 'runs.create', { config: CONFIG });
    const done = await until(local, 'run.finished', (e) => e.id === r.id);
    assert.equal(done.summary?.status, 'completed');
    const last = local.store.checkpoints(r.id).at(-1)!;
    reference = {
      metrics: metricsOf(local, r.id),
      checkpoints: local.store.checkpointSteps(r.id),
      samples: local.store.sampleSteps(r.id),
      fid: local.store.lastEvaluation(r.id)?.fid ?? null,
      weights: tensorsOf(last.path),
    };
    await local.close();
    rmSync(local.home, { recursive: true, force: true });
    assert.equal(reference.metrics.length, STEPS);
  });

  function tensorsOf(path: string): Map<string, Float32Array> {
    const c = readCheckpoint(path);
    return new Map([...c.tensors].map(([k, t]) => [k, new Float32Array(t.data as Float32Array)]));
  }

  /** handedBack: the step a stopping worker saved its hand-back checkpoint (and its preview) at, which the reference run had no reason to make. */
  function assertMatchesReference(s: StudioService, id: string, handedBack?: number) {
    const r = s.store.get(id);
    assert.equal(r.status, 'completed');
    assert.equal(r.step, STEPS);
    assert.deepEqual(metricsOf(s, id), reference.metrics, 'metrics: each step once, as the local run trained it');
    assert.deepEqual(s.store.checkpointSteps(id), reference.checkpoints);
    const samples = handedBack === undefined ? reference.samples : [...new Set([...reference.samples, handedBack])].sort((a, b) => a - b);
    assert.deepEqual(s.store.sampleSteps(id), samples);
    const weights = tensorsOf(s.store.checkpoints(id).at(-1)!.path);
    assert.deepEqual([...weights.keys()], [...reference.weights.keys()]);
    for (const [k, w] of weights) assert.deepEqual(w, reference.weights.get(k), `checkpoint tensor ${k}`);
    assert.equal(s.store.lastEvaluation(id)?.fid, reference.fid, 'the last checkpoint is evaluated here, as a local run is');
    assert.equal(s.store.db.pragma('integrity_check', { simple: true }), 'ok');
  }

  test('a run queued by the studio trains on a worker process and lands as a local run of the same seed would', async () => {
    const home = tempDir('gan-studio-studio');
    const w = await startWorker(redis.url(), 'alpha');
    const s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      const id = await trainRemote(s);
      const started = await until(s, 'run.started', (e) => e.id === id);
      assert.equal(started.backend, 'wasm');
      const done = await until(s, 'run.finished', (e) => e.id === id);
      assert.equal(done.error, null);
      assert.equal(done.summary?.steps, STEPS);
      assertMatchesReference(s, id);
      assert.match(s.store.get(id).backend ?? '', /on alpha$/);
      assert.deepEqual(s.store.get(id).remote, { worker: 'alpha', active: false });
      const workers = await ok(s, 'remote.workers', {});
      assert.deepEqual(workers.workers.map((x) => x.name), ['alpha']);
      assert.match(w.log(), new RegExp(`run ${id}: completed at step ${STEPS}`));
    } finally {
      await s.close();
      w.proc.kill('SIGTERM');
    }
  });

  test('two workers share a queue of four runs, one run at a time each', async () => {
    const home = tempDir('gan-studio-studio');
    const workers = [await startWorker(redis.url(), 'left'), await startWorker(redis.url(), 'right')];
    const s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      const ids = [];
      for (let seed = 1; seed <= 4; seed++) ids.push(await trainRemote(s, { ...CONFIG, steps: 2 * EVERY, seed }));
      const finished = new Set<string>();
      await new Promise<void>((resolve) => s.on('run.finished', (e) => finished.add(e.id) && finished.size === 4 && resolve()));
      const by = new Map<string, number>();
      for (const id of ids) {
        const r = s.store.get(id);
        assert.equal(r.status, 'completed');
        assert.equal(s.store.readMetrics(id).length, 2 * EVERY);
        by.set(r.remote!.worker!, (by.get(r.remote!.worker!) ?? 0) + 1);
      }
      assert.deepEqual([...by.keys()].sort(), ['left', 'right'], `runs per worker: ${JSON.stringify([...by])}`);
      // One slot each: a worker's log never has two runs started before the first completed.
      for (const w of workers) {
        let open = 0;
        for (const line of w.log().split('\n')) {
          if (/: started on/.test(line)) assert.equal(++open, 1, w.log());
          if (/: completed at step/.test(line)) open--;
        }
      }
    } finally {
      await s.close();
      for (const w of workers) w.proc.kill('SIGTERM');
    }
  });

  test('a worker killed mid-run: the job is found stalled, another worker resumes it from its last checkpoint, nothing duplicated', async () => {
    const home = tempDir('gan-studio-studio');
    const a = await startWorker(redis.url(), 'doomed', ['--lock-ms', '1500']);
    const s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      const id = await trainRemote(s);
      await until(s, 'run.checkpoint', (e) => e.id === id && e.step >= 2 * EVERY);
      a.proc.kill('SIGKILL');
      const resumedAt = until(s, 'run.started', (e) => e.id === id);
      const finished = until(s, 'run.finished', (e) => e.id === id);
      const b = await startWorker(redis.url(), 'rescuer', ['--lock-ms', '1500']);
      const resumed = await resumedAt;
      assert.ok(resumed.resumedFrom !== null && resumed.resumedFrom >= 2 * EVERY, `resumed from ${resumed.resumedFrom}`);
      await finished;
      assertMatchesReference(s, id);
      assert.match(s.store.get(id).backend ?? '', /on rescuer$/);
      b.proc.kill('SIGTERM');
    } finally {
      await s.close();
    }
  });

  test('a worker stopped with Ctrl-C or SIGTERM hands its run back to the queue at a checkpoint; the next worker finishes it', async () => {
    const home = tempDir('gan-studio-studio');
    const a = await startWorker(redis.url(), 'leaving');
    const s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      const id = await trainRemote(s);
      await until(s, 'run.checkpoint', (e) => e.id === id && e.step >= EVERY);
      const exited = new Promise((r) => a.proc.once('exit', r));
      a.proc.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.doesNotMatch(a.log(), /failed|stopped at/, 'the run was handed back, not ended');
      // Listening before the next worker starts: it may take the run within the moment startWorker waits.
      const resumedAt = until(s, 'run.started', (e) => e.id === id);
      const finished = until(s, 'run.finished', (e) => e.id === id);
      const b = await startWorker(redis.url(), 'arriving');
      const resumed = await resumedAt;
      assert.ok(resumed.resumedFrom !== null && resumed.resumedFrom >= EVERY);
      await finished;
      // The stop lands between steps: at the step-40 checkpoint or a step or more past it, saved then.
      assertMatchesReference(s, id, resumed.resumedFrom);
      b.proc.kill('SIGTERM');
    } finally {
      await s.close();
    }
  });

  test('a studio closed while its remote run trains catches up when it opens again, and loses nothing', async () => {
    const home = tempDir('gan-studio-studio');
    const w = await startWorker(redis.url(), 'steady');
    let s = new StudioService(home, { redis: { url: redis.url() } });
    const id = await trainRemote(s);
    await until(s, 'run.checkpoint', (e) => e.id === id && e.step >= EVERY);
    await s.close();
    for (let i = 0; i < 600 && !w.log().includes(`run ${id}: completed`); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(w.log(), new RegExp(`run ${id}: completed`));
    s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      await until(s, 'run.finished', (e) => e.id === id);
      assertMatchesReference(s, id);
    } finally {
      await s.close();
      w.proc.kill('SIGTERM');
    }
  });

  test('Redis restarted mid-run (append-only persistence on): the run completes as if nothing happened', async () => {
    const home = tempDir('gan-studio-studio');
    const w = await startWorker(redis.url(), 'patient');
    const s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      const id = await trainRemote(s);
      await until(s, 'run.checkpoint', (e) => e.id === id && e.step >= EVERY);
      await redis.restart();
      await until(s, 'run.finished', (e) => e.id === id);
      assertMatchesReference(s, id);
    } finally {
      await s.close();
      w.proc.kill('SIGTERM');
    }
  });

  test('pause, resume and stop reach the worker; a run still waiting in the queue stops at once', async () => {
    const home = tempDir('gan-studio-studio');
    const s = new StudioService(home, { redis: { url: redis.url() } });
    try {
      // No worker yet: the run waits, and stopping it takes it out of the queue.
      const waiting = await trainRemote(s);
      const stopped = await ok(s, 'runs.stop', { id: waiting });
      assert.equal(stopped.status, 'stopped');
      assert.deepEqual(stopped.remote, { worker: null, active: false });

      const w = await startWorker(redis.url(), 'obedient');
      const id = await trainRemote(s, { ...CONFIG, steps: 4000, checkpointEvery: 1000 });
      await until(s, 'run.progress', (e) => e.id === id && e.metrics.step >= 3);
      await ok(s, 'runs.pause', { id });
      await until(s, 'run.status', (e) => e.id === id && e.status === 'paused');
      const at = s.store.lastMetrics(id)!.step;
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(s.store.lastMetrics(id)!.step, at, 'a paused run kept stepping');
      assert.ok(s.store.checkpointSteps(id).includes(at), 'a pause saves a checkpoint');
      await ok(s, 'runs.resume', { id });
      await until(s, 'run.progress', (e) => e.id === id && e.metrics.step > at);
      await ok(s, 'runs.stop', { id });
      const done = await until(s, 'run.finished', (e) => e.id === id);
      assert.equal(done.summary?.status, 'stopped');
      const r = s.store.get(id);
      assert.equal(r.status, 'stopped');
      assert.ok(r.step > at && r.step < 4000);
      assert.equal(s.store.checkpointSteps(id).at(-1), r.step, 'a stop saves a checkpoint');
      assert.equal(s.store.readMetrics(id).length, r.step);
      w.proc.kill('SIGTERM');
    } finally {
      await s.close();
    }
  });

  test('malformed and hostile jobs are refused by the worker, which goes on taking runs', async () => {
    const w = await startWorker(redis.url(), 'guard');
    const queue = new Queue('train', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'gan-studio' });
    try {
      const hash = 'a'.repeat(64);
      const good = { v: 1, run: '20260101-000000-abcd', config: { ...CONFIG }, target: 8, previewEvery: 4, dataset: { hash, bytes: 10 }, datasetB: null, from: 'test' };
      const hostile: [string, unknown, RegExp][] = [
        ['not an object', 'rm -rf /', /Expected object/],
        ['a path as the run', { ...good, run: '../../../../tmp/owned' }, /run: is not a run id/],
        ['a path as the dataset hash', { ...good, dataset: { hash: '../../etc/passwd', bytes: 10 } }, /dataset\.hash: is not a SHA-256/],
        ['a path as the dataset name', { ...good, config: { ...CONFIG, dataset: '../../etc/passwd' } }, /names a path/],
        ['an extra field', { ...good, outDir: '/etc' }, /outDir/],
        ['a negative target', { ...good, target: -5 }, /target/],
      ];
      for (const [what, data] of hostile) await queue.add('train', data, { jobId: what.replace(/\W/g, '-'), attempts: 1 });
      for (const [what, , reason] of hostile) {
        const job = (await queue.getJob(what.replace(/\W/g, '-')))!;
        for (let i = 0; i < 200 && (await job.getState()) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
        const failed = (await queue.getJob(job.id!))!;
        assert.equal(await failed.getState(), 'failed', what);
        assert.match(failed.failedReason, /^refused job/, what);
        assert.match(failed.failedReason, reason, what);
        assert.equal(failed.attemptsMade, 1, `${what}: not retried`);
      }
      // A well-formed job whose dataset is not in Redis fails with what to do, and the worker lives on.
      await queue.add('train', good, { jobId: 'missing-dataset', attempts: 1 });
      const missing = (await queue.getJob('missing-dataset'))!;
      for (let i = 0; i < 200 && (await missing.getState()) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
      assert.match((await queue.getJob('missing-dataset'))!.failedReason, /no longer in Redis; queue the run again/);
      assert.equal(w.proc.exitCode, null);
    } finally {
      await queue.close();
      w.proc.kill('SIGTERM');
    }
  });

  test('a Redis password: used, never shown or stored; a wrong one is a clear refusal', async () => {
    const secret = 'correct-horse-battery';
    const locked = await TestRedis.start(['--requirepass', secret]);
    after(() => locked.close());
    const home = tempDir('gan-studio-studio');
    const s = new StudioService(home, { redis: { url: locked.url(secret) } });
    const w = await startWorker(locked.url(secret), 'keyholder');
    try {
      const id = await trainRemote(s, { ...CONFIG, steps: 4 });
      await until(s, 'run.finished', (e) => e.id === id);
      assert.equal(s.store.get(id).status, 'completed');
      const info = await ok(s, 'remote.workers', {});
      assert.equal(info.redis, `redis://:***@127.0.0.1:${locked.port}`);
      assert.ok(!readFileSync(databasePath(home)).includes(secret), 'the password is not in the database');
      assert.ok(!w.log().includes(secret), 'nor in the worker log');
    } finally {
      await s.close();
      w.proc.kill('SIGTERM');
    }
    const wrong = new StudioService(tempDir('gan-studio-studio'), { redis: { url: locked.url('guess') } });
    try {
      const r = await wrong.call('runs.create', { config: CONFIG, remote: true });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, 'UNAVAILABLE');
        assert.match(r.error.message, /WRONGPASS|invalid username-password/i);
        assert.ok(!r.error.message.includes('guess'));
      }
      assert.deepEqual(wrong.store.list(), [], 'nothing is created when the queue is out of reach');
    } finally {
      await wrong.close();
    }
  });

  test('a worker told to stop while Redis is gone quits after a bounded wait instead of hanging', async () => {
    const lonely = await TestRedis.start();
    after(() => lonely.close());
    const w = await startWorker(lonely.url(), 'stranded', ['--stop-wait', '2']);
    await lonely.stop();
    const exited = new Promise((r) => w.proc.once('exit', r));
    w.proc.kill('SIGTERM');
    assert.equal(await exited, 1);
    assert.match(w.log(), /did not answer within 2 s; quitting/);
  });

  test('without --redis, remote training says how to set it up, and local training is untouched', async () => {
    const s = new StudioService(tempDir('gan-studio-studio'));
    try {
      const r = await s.call('runs.create', { config: CONFIG, remote: true });
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, /--redis redis:\/\/host:6379.*gan-studio worker/);
      assert.deepEqual((await ok(s, 'remote.workers', {})).redis, null);
    } finally {
      await s.close();
    }
  });
});
