/**
 * `gan-studio worker`: takes runs from the studio's BullMQ queue and trains
 * them here. Everything a run produces goes to Redis — step metrics in
 * batches, checkpoints (stored before the progress past them is reported),
 * preview grids — for the studio to ingest whenever it is open. A run picks
 * up from its newest checkpoint in Redis, so a job BullMQ finds stalled (this
 * worker killed, or cut off) resumes on whichever worker takes it next.
 */
import { hostname } from 'node:os';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointData } from '../families/run-checkpoint.js';
import { formatZodError, type BackendChoice } from '../engine/config.js';
import type { StepMetrics } from '../engine/step-metrics.js';
import { applySubset } from '../datasets/subset.js';
import type { Dataset } from '../core/dataset.js';
import { StudioError, messageOf } from '../errors.js';
import { writeFileAtomic } from '../fsx.js';
import { gridPng } from '../images/png.js';
import { RunControl } from '../training/control.js';
import { LocalStepEngine } from '../training/step-host.js';
import { BLOB_TTL_S, deleteBlob, getBlob, putBlob, sha256 } from './blobs.js';
import { checkReachable, connect, bullConnection, type RedisTarget } from './connection.js';
import { unpackDataset } from './dataset-pack.js';
import { keys, PREFIX, QUEUE } from './keys.js';
import { parseJob, RunEvents, type ControlState, type RemoteJob } from './protocol.js';

/** Metric rows go out at most this often: one stream entry per batch. */
const FLUSH_MS = 500;
/** The worker's heartbeat and its look at the studio's pause/stop. */
const BEAT_MS = 1000;
/** Checkpoints a run keeps in Redis: enough for a studio closed a while to find each one. */
export const KEEP_REMOTE_CHECKPOINTS = 20;

export interface WorkerOptions {
  redis: RedisTarget;
  /** Where packed datasets are kept between runs. */
  cacheDir: string;
  name?: string;
  backend?: BackendChoice;
  concurrency?: number;
  /** BullMQ's lock: a worker silent this long is taken for dead and its run handed on. */
  lockMs?: number;
  say?: (line: string) => void;
}

export class RemoteWorker {
  readonly name: string;
  private readonly redis: Redis;
  private worker: Worker | null = null;
  private readonly say: (line: string) => void;
  private readonly running = new Map<string, { control: RunControl; step: number; shutdown: boolean }>();
  private beat: NodeJS.Timeout | null = null;

  constructor(private readonly opts: WorkerOptions) {
    this.name = opts.name ?? `${hostname()}-${process.pid}`;
    this.say = opts.say ?? (() => {});
    let last = '';
    this.redis = connect(opts.redis, `gan-studio-worker:${this.name}`, (err) => {
      // Once per change: a Redis that is down is retried every few seconds.
      if (err.message !== last) this.say(`redis: ${(last = err.message)}`);
    });
  }

  async start(): Promise<void> {
    await checkReachable(this.redis, this.opts.redis);
    mkdirSync(this.opts.cacheDir, { recursive: true });
    const lockDuration = this.opts.lockMs ?? 30_000;
    this.worker = new Worker(QUEUE, (job, token) => this.process(job, token), {
      connection: bullConnection(this.opts.redis, `gan-studio-queue:${this.name}`),
      prefix: PREFIX,
      concurrency: this.opts.concurrency ?? 1,
      lockDuration,
      stalledInterval: Math.max(1000, lockDuration / 2),
      // A run whose worker died several times in a row is failed, not handed on for ever.
      maxStalledCount: 5,
      name: this.name,
    });
    this.worker.on('error', (err) => this.say(`queue: ${err.message}`));
    this.worker.on('failed', (job, err) => this.say(`run ${job?.data?.run ?? job?.id}: ${err.message}`));
    this.beat = setInterval(() => void this.heartbeat().catch(() => {}), BEAT_MS);
    await this.heartbeat();
  }

  /** Stops taking runs; runs in training checkpoint and go back to the queue for the next worker. */
  async close(): Promise<void> {
    for (const r of this.running.values()) {
      r.shutdown = true;
      r.control.stop();
    }
    await this.worker?.close();
    if (this.beat) clearInterval(this.beat);
    await this.redis.del(keys.worker(this.name)).catch(() => {});
    this.redis.disconnect();
  }

  private async heartbeat(): Promise<void> {
    const runs = [...this.running.entries()].map(([run, r]) => ({ run, step: r.step }));
    await this.redis.set(keys.worker(this.name), JSON.stringify({ name: this.name, backend: this.opts.backend ?? 'auto', runs, beat: Date.now() }), 'EX', 30);
    // The studio's wishes for each run training here.
    for (const [run, r] of this.running) {
      const want = (await this.redis.get(keys.control(run))) as ControlState | null;
      if (want === 'stop' && !r.control.stopRequested) r.control.stop();
      else if (want === 'pause' && !r.control.pauseRequested) r.control.pause();
      else if (want === 'run' && r.control.pauseRequested) r.control.resume();
    }
  }

  private async process(bull: Job, token?: string): Promise<string> {
    const parsed = parseJob(bull.data);
    // Refused, not retried: nothing in it is acted on.
    if (!parsed.ok) throw new UnrecoverableError(`refused job ${String(bull.id).slice(0, 80)}: ${formatZodError(parsed.error)}`);
    const job = parsed.job;
    if (this.running.has(job.run)) throw new UnrecoverableError(`run ${job.run} is already training on this worker`);
    const events = new RunEvents(this.redis, job.run);
    const control = new RunControl();
    const state = { control, step: 0, shutdown: false };
    this.running.set(job.run, state);
    const engine = new LocalStepEngine();
    try {
      const want = await this.redis.get(keys.control(job.run));
      if (want === 'stop') {
        // Stopped before it started here: it stays at its newest checkpoint.
        const step = Number((await this.redis.lrange(keys.checkpoints(job.run), -1, -1))[0] ?? 0);
        await events.add({ type: 'done', status: 'stopped', step, trained: 0, result: { last: null, busyMs: 0 }, backend: '' });
        return 'stopped';
      }
      if (want === 'pause') control.pause();
      const dataset = applySubset(await this.dataset(job.dataset.hash), job.config.subset);
      const datasetB = job.datasetB ? await this.dataset(job.datasetB.hash) : null;
      const from = await this.latestCheckpoint(job.run, events);
      const config = { ...job.config, backend: this.opts.backend ?? job.config.backend };
      const { backend, step: start } = await engine.prepare({ config, dataset, datasetB, from });
      state.step = start;
      if (start >= job.target) throw new UnrecoverableError(`run ${job.run} is already at step ${start} of ${job.target}`);
      this.say(`run ${job.run}: ${from ? `resumed at step ${start}` : 'started'} on ${backend.detail}`);
      await events.add({ type: 'started', worker: this.name, backend, step: start, target: job.target, resumedFrom: from ? from.step : null });

      let pending: StepMetrics[] = [];
      let lastFlush = performance.now();
      const flush = async () => {
        if (pending.length === 0) return;
        const metrics = pending;
        pending = [];
        lastFlush = performance.now();
        await events.add({ type: 'steps', metrics });
        await bull.updateProgress({ step: state.step, target: job.target });
      };
      const result = await engine.run({ target: job.target, checkpointEvery: config.checkpointEvery, previewEvery: job.previewEvery }, control, async (e) => {
        switch (e.type) {
          case 'step':
            state.step = e.metrics.step;
            pending.push(e.metrics);
            if (performance.now() - lastFlush > FLUSH_MS) await flush();
            return;
          case 'checkpoint':
            await flush();
            // Durable in Redis before anything past it is reported.
            await this.saveCheckpoint(job.run, e.checkpoint);
            return events.add({ type: 'checkpoint', step: e.checkpoint.step });
          case 'preview':
            return events.add({ type: 'preview', step: e.step, seed: e.seed }, await gridPng(e.batch, { columns: e.columns }));
          case 'paused':
          case 'resumed':
            await flush();
            return events.add({ type: e.type, step: e.step });
        }
      }).finally(flush);
      if (state.shutdown) {
        // This worker is going away: the run waits for the next one, which resumes from the checkpoint just saved.
        await bull.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const status = state.step >= job.target ? 'completed' : 'stopped';
      await events.add({ type: 'done', status, step: state.step, trained: state.step - start, result, backend: backend.name });
      this.say(`run ${job.run}: ${status} at step ${state.step}`);
      return status;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const message = err instanceof StudioError || err instanceof UnrecoverableError ? err.message : `training failed: ${messageOf(err).split('\n')[0]}`;
      await events.add({ type: 'failed', message }).catch(() => {});
      // Training errors repeat on a retry (a diverged run diverges again): fail the job once.
      throw new UnrecoverableError(message);
    } finally {
      engine.dispose();
      this.running.delete(job.run);
    }
  }

  /** A packed dataset by its hash: from this worker's cache, or from Redis (then cached). */
  private async dataset(hash: string): Promise<Dataset> {
    const file = join(this.opts.cacheDir, `${hash}.dataset`);
    if (existsSync(file)) {
      const buf = readFileSync(file);
      if (sha256([buf]) === hash) return unpackDataset(buf);
    }
    const buf = await getBlob(this.redis, keys.blob(hash));
    if (!buf) throw new UnrecoverableError(`the run's dataset (${hash.slice(0, 12)}…) is no longer in Redis; queue the run again from the studio`);
    if (sha256([buf]) !== hash) throw new UnrecoverableError(`the run's dataset in Redis does not match its hash ${hash.slice(0, 12)}…`);
    writeFileAtomic(file, buf);
    return unpackDataset(buf);
  }

  /** The newest readable checkpoint of the run in Redis, or null to start at step 0. */
  private async latestCheckpoint(run: string, events: RunEvents): Promise<CheckpointData | null> {
    const steps = (await this.redis.lrange(keys.checkpoints(run), 0, -1)).map(Number);
    for (const step of steps.reverse()) {
      try {
        const buf = await getBlob(this.redis, keys.checkpoint(run, step));
        if (buf) return decodeCheckpoint(buf, `checkpoint at step ${step}`);
      } catch (err) {
        await events.add({ type: 'warning', message: `skipped a damaged checkpoint: ${messageOf(err)}` });
      }
    }
    return null;
  }

  private async saveCheckpoint(run: string, c: CheckpointData): Promise<void> {
    await putBlob(this.redis, keys.checkpoint(run, c.step), encodeCheckpoint(c));
    const list = keys.checkpoints(run);
    await this.redis.multi().lrem(list, 0, String(c.step)).rpush(list, String(c.step)).expire(list, BLOB_TTL_S).exec();
    const old = await this.redis.lrange(list, 0, -(KEEP_REMOTE_CHECKPOINTS + 1));
    for (const s of old) {
      await deleteBlob(this.redis, keys.checkpoint(run, Number(s)));
      await this.redis.lrem(list, 1, s);
    }
  }
}

export type { RemoteJob };
