/**
 * The studio's remote training: runs queued on BullMQ for `gan-studio worker`
 * processes elsewhere, steered through Redis, and followed through their
 * event streams (ingest.ts) into the same database as local runs.
 */
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadDataset } from '../datasets/index.js';
import { showDataset } from '../datasets/store.js';
import { encodeCheckpoint } from '../families/run-checkpoint.js';
import { familyOfConfig } from '../families/registry.js';
import { StudioError } from '../errors.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import { followedRemoteRuns, followRemote, remoteRun, unfollowRemote } from '../runs/remote-jobs.js';
import type { TrainJob } from '../training/protocol.js';
import { deleteBlob, hasBlob, putBlob } from './blobs.js';
import { checkReachable, connect, redactUrl, bullConnection, type RedisTarget } from './connection.js';
import { packDataset } from './dataset-pack.js';
import { StreamIngest, type IngestListener } from './ingest.js';
import { keys, PREFIX, QUEUE } from './keys.js';
import { PRIORITY_VALUE, type Priority } from './priorities.js';
import { RunEvents, type ControlState, type RemoteJob } from './protocol.js';

/** What a worker says of itself in its heartbeat. */
export interface WorkerInfo {
  name: string;
  backend: string;
  runs: { run: string; step: number }[];
  /** Milliseconds since the epoch of its last heartbeat. */
  beat: number;
}

/** Jobs kept after they end, for BullMQ's own tools: a week, or the last thousand. */
const KEEP_ENDED = { age: 7 * 24 * 3600, count: 1000 };

/** Where a run waits for a worker, and when it is due. */
export interface QueueSpot {
  priority?: Priority;
  /** Milliseconds before a worker may take it. */
  delayMs?: number;
}

/** One of this studio's runs in the queue. */
export interface QueuedJob {
  run: string;
  /** training: a worker has it; waiting: in the order workers take them; delayed: not before `startsAt`. */
  state: 'training' | 'waiting' | 'delayed';
  priority: number;
  /** Milliseconds since the epoch when a delayed run becomes due. */
  startsAt: number | null;
  worker: string | null;
}

/** How often the studio looks for jobs BullMQ ended without a word from a worker. */
const RECONCILE_MS = 5000;

export class RemoteRuns {
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly ingest: StreamIngest;
  private reconciling: NodeJS.Timeout | null = null;
  /** Datasets already packed: their hash and size by name and import time. */
  private readonly packed = new Map<string, { hash: string; bytes: number }>();

  constructor(
    private readonly store: RunStore,
    private readonly home: string,
    readonly target: RedisTarget,
    listener: IngestListener,
    private readonly studioName = hostname(),
  ) {
    this.redis = connect(target, 'gan-studio');
    this.queue = new Queue(QUEUE, { connection: bullConnection(target, 'gan-studio-queue'), prefix: PREFIX });
    // Errors are reconnected from; commands that need Redis say so when it is out of reach.
    this.queue.on('error', () => {});
    this.ingest = new StreamIngest(store, home, connect(target, 'gan-studio-ingest'), this.redis, listener);
  }

  /** Where it points, without the password. */
  get address(): string {
    return redactUrl(this.target.url);
  }

  async open(): Promise<void> {
    await checkReachable(this.redis, this.target);
    this.ingest.start();
    // One look at a time: a slow Redis must not have two add the same failure.
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      void this.reconcile()
        .catch(() => {})
        .finally(() => (busy = false));
    };
    tick();
    this.reconciling = setInterval(tick, RECONCILE_MS);
    this.reconciling.unref();
  }

  async close(): Promise<void> {
    if (this.reconciling) clearInterval(this.reconciling);
    await this.ingest.close();
    await this.queue.close();
    this.redis.disconnect();
  }

  /** The studio follows this run's stream: it is queued or training on a worker. */
  following(id: string): boolean {
    return this.store.find(id)?.remote?.active === true;
  }

  /** Queues a run for a worker: its dataset and (on resume) its newest checkpoint go to Redis first. */
  async submit(job: TrainJob, spot: QueueSpot = {}): Promise<RunRecord> {
    const id = job.runId;
    const record = this.store.get(id);
    const config = record.config;
    const dataset = await this.upload(config.dataset);
    const nameB = familyOfConfig(config).secondDataset?.(config);
    const datasetB = nameB ? await this.upload(nameB) : null;

    const remoteSteps = (await this.redis.lrange(keys.checkpoints(id), 0, -1)).map(Number);
    let start = 0;
    if (job.resume) {
      const local = this.store.latestCheckpoint(id);
      const remote = remoteSteps.at(-1) ?? -1;
      if (local && local.step > remote) {
        await putBlob(this.redis, keys.checkpoint(id, local.step), encodeCheckpoint(local));
        await this.redis.rpush(keys.checkpoints(id), String(local.step));
      }
      start = Math.max(local?.step ?? 0, remote, 0);
    } else {
      // A fresh start: nothing of an earlier remote attempt may be resumed from.
      for (const s of remoteSteps) await deleteBlob(this.redis, keys.checkpoint(id, s));
      await this.redis.del(keys.checkpoints(id));
    }
    const target = job.resume && job.addSteps != null ? start + job.addSteps : job.resume ? record.targetSteps : config.steps;
    if (start >= target) throw new StudioError(`run ${id} is already at step ${start} of ${target}; pass --steps N to train N more`, 'CONFLICT');

    const last = (await this.redis.xrevrange(keys.events(id), '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
    const payload: RemoteJob = {
      v: 1,
      run: id,
      config,
      target,
      previewEvery: job.previewEvery ?? Math.min(50, config.checkpointEvery),
      dataset,
      datasetB,
      from: this.studioName.slice(0, 100),
    };
    await this.redis.set(keys.control(id), 'run' satisfies ControlState);
    // BullMQ ids may not contain ':'; a run queued again gets a new job.
    const jobId = `${id}-${Date.now().toString(36)}`;
    await this.queue.add('train', payload, {
      jobId,
      priority: PRIORITY_VALUE[spot.priority ?? 'normal'],
      delay: spot.delayMs || undefined,
      attempts: 1,
      removeOnComplete: KEEP_ENDED,
      removeOnFail: KEEP_ENDED,
    });
    followRemote(this.store.db, id, jobId, last);
    return this.store.update(id, { status: 'queued', error: null, targetSteps: target });
  }

  /**
   * Pause, resume or stop. A run still waiting in the queue is taken out at
   * once (true is returned); one training hears it at its worker's next heartbeat.
   */
  async control(id: string, want: ControlState): Promise<boolean> {
    await this.redis.set(keys.control(id), want);
    if (want !== 'stop') return false;
    const row = remoteRun(this.store.db, id);
    const job = row ? await this.queue.getJob(row.jobId) : undefined;
    const state = job ? await job.getState() : null;
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      await job.remove();
      unfollowRemote(this.store.db, id);
      return true;
    }
    return false;
  }

  /** This studio's runs in the queue: training, then waiting in the order workers take them, then delayed by when they are due. */
  async queued(): Promise<QueuedJob[]> {
    const ours = new Map(followedRemoteRuns(this.store.db).map((r) => [r.jobId, r]));
    const out: QueuedJob[] = [];
    // BullMQ's own order: `wait` (no priority) is taken before `prioritized`.
    const states = [
      ['active', 'training'],
      ['waiting', 'waiting'],
      ['prioritized', 'waiting'],
      ['delayed', 'delayed'],
    ] as const;
    for (const [bull, state] of states) {
      for (const job of await this.queue.getJobs([bull], 0, -1, true)) {
        const row = job?.id ? ours.get(job.id) : undefined;
        if (!row) continue;
        ours.delete(job.id!);
        out.push({ run: row.runId, state, priority: job.priority, startsAt: state === 'delayed' ? job.timestamp + job.delay : null, worker: row.worker });
      }
    }
    return out;
  }

  /** The waiting runs in this order (runs not named keep their order after them); the queue as it is then. */
  async reorder(runs: string[]): Promise<QueuedJob[]> {
    const waiting = (await this.queued()).filter((q) => q.state === 'waiting');
    const order = [...runs.map((id) => waiting.find((q) => q.run === id)).filter((q) => q !== undefined), ...waiting.filter((q) => !runs.includes(q.run))];
    const numbers = order.map((q) => q.priority || PRIORITY_VALUE.normal).sort((a, b) => a - b);
    // Each job re-added in turn: ties keep the order they are re-added in.
    for (const [i, q] of order.entries()) {
      const job = await this.queue.getJob(remoteRun(this.store.db, q.run)!.jobId);
      await job?.changePriority({ priority: numbers[i] });
    }
    return this.queued();
  }

  /**
   * Runs whose job BullMQ ended without the worker saying so — failed after
   * stalling too often, or removed from the queue by hand — get that as
   * their stream's last word, for the ingest to close them as any failure.
   */
  async reconcile(): Promise<void> {
    for (const row of followedRemoteRuns(this.store.db)) {
      const job = await this.queue.getJob(row.jobId);
      const state = job ? await job.getState() : 'unknown';
      if (state !== 'failed' && state !== 'unknown') continue;
      const events = new RunEvents(this.redis, row.runId);
      const last = await events.last();
      if (last?.type === 'done' || last?.type === 'failed') continue;
      // Followed still: the ingest has not closed it meanwhile.
      if (!remoteRun(this.store.db, row.runId) || !this.following(row.runId)) continue;
      const why = job ? `its job failed on the workers: ${job.failedReason || 'no reason given'}` : 'its job left the queue without finishing (removed outside the studio?)';
      await events.add({ type: 'failed', message: `${why}; resume it to train on from its last checkpoint` });
    }
  }

  /** Workers that beat within the last 30 s. */
  async workers(): Promise<WorkerInfo[]> {
    // SCAN, not KEYS: a shared Redis is not walked in one blocking command.
    const names: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', keys.workers, 'COUNT', 500);
      cursor = next;
      names.push(...found);
    } while (cursor !== '0');
    const values = names.length ? await this.redis.mget(...names) : [];
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as WorkerInfo).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * A dataset packed into Redis under its hash, unless it is there already.
   * A dataset never changes once imported, so its hash is kept by name and
   * import time: a sweep of 16 runs loads and hashes it once, not 16 times
   * (Fashion-MNIST: about 0.2 s each, on the studio's main thread).
   */
  private async upload(name: string): Promise<{ hash: string; bytes: number }> {
    const version = `${name}\n${showDataset(this.store.db, name)?.createdAt ?? ''}`;
    const known = this.packed.get(version);
    if (known && (await hasBlob(this.redis, keys.blob(known.hash)))) return known;
    const { parts, hash, bytes } = packDataset(loadDataset(this.store.db, this.home, name));
    if (!(await hasBlob(this.redis, keys.blob(hash)))) await putBlob(this.redis, keys.blob(hash), parts);
    this.packed.set(version, { hash, bytes });
    return { hash, bytes };
  }
}
