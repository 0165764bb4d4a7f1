/**
 * The studio's side of remote runs: it reads each followed run's event
 * stream from where it last stopped (the cursor is saved in the same
 * transaction as the rows an entry adds, so nothing is read twice or lost
 * when the studio closes mid-way) and keeps what it says as a local run's
 * records are kept: metric rows, checkpoint files, preview grids, and an
 * evaluation of each checkpoint here.
 */
import type { Redis } from 'ioredis';
import { decodeCheckpoint } from '../families/run-checkpoint.js';
import { messageOf } from '../errors.js';
import type { RunStore } from '../runs/store.js';
import { followedRemoteRuns, setRemoteCursor, setRemoteWorker, unfollowRemote } from '../runs/remote-jobs.js';
import { RunRecorder } from '../training/recorder.js';
import type { RunSummary, TrainingEvent } from '../training/protocol.js';
import type { StepMetrics } from '../engine/step-metrics.js';
import { deleteBlob, getBlob } from './blobs.js';
import { keys } from './keys.js';
import type { RemoteEvent } from './protocol.js';

export interface IngestListener {
  event(run: string, e: TrainingEvent): void;
  /** The run completed, stopped or failed on its worker; its last evaluation is in. */
  finished(run: string, summary: RunSummary | null, error: string | null): void;
}

/** How long a finished run waits for its last evaluation, as a local one does. */
const FINAL_EVALUATION_MS = 120_000;

type Entry = [id: Buffer, fields: Buffer[]];
type Done = { summary: RunSummary | null; error: string | null };
/** What a Redis command under way gives once the ingest closes. */
const CLOSED = Symbol('closed');

function parseEntry(fields: Buffer[]): { e: RemoteEvent | null; png: Buffer | null } {
  let e: RemoteEvent | null = null;
  let png: Buffer | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString();
    if (name === 'e') {
      try {
        e = JSON.parse(fields[i + 1].toString('utf8')) as RemoteEvent;
      } catch {
        // Not from a worker of ours: skipped (the cursor still moves past it).
        e = { type: 'warning', message: 'skipped an unreadable update in the run\'s stream' };
      }
    } else if (name === 'png') png = fields[i + 1];
  }
  return { e, png };
}

export class StreamIngest {
  private readonly recorders = new Map<string, RunRecorder>();
  private closed = false;
  private loop: Promise<void> | null = null;
  private readonly finishing = new Set<Promise<void>>();
  private signalClosed: () => void = () => {};
  /** Resolves on close: a command to a Redis that is gone would wait for ever (ioredis waits out reconnects). */
  private readonly closedSignal = new Promise<typeof CLOSED>((resolve) => (this.signalClosed = () => resolve(CLOSED)));

  constructor(
    private readonly store: RunStore,
    private readonly home: string,
    /** For blocking reads only. */
    private readonly reader: Redis,
    /** For everything else (checkpoint blobs, trimming). */
    private readonly redis: Redis,
    private readonly listener: IngestListener,
  ) {}

  start(): void {
    this.loop ??= this.read();
  }

  /** A Redis command, or CLOSED as soon as the ingest closes. */
  private unlessClosed<T>(command: Promise<T>): Promise<T | typeof CLOSED> {
    command.catch(() => {});
    return Promise.race([command, this.closedSignal]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.signalClosed();
    this.reader.disconnect();
    await this.loop?.catch(() => {});
    await Promise.allSettled([...this.finishing]);
    await Promise.allSettled([...this.recorders.values()].map((r) => r.close()));
    this.recorders.clear();
  }

  private async read(): Promise<void> {
    while (!this.closed) {
      const runs = followedRemoteRuns(this.store.db);
      if (runs.length === 0) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      let batch: [Buffer, Entry[]][] | null | typeof CLOSED;
      try {
        batch = (await this.unlessClosed(this.reader.xreadBuffer(
          'COUNT',
          200,
          'BLOCK',
          1000,
          'STREAMS',
          ...runs.map((r) => keys.events(r.runId)),
          ...runs.map((r) => r.cursor),
        ) as Promise<[Buffer, Entry[]][] | null>));
      } catch (err) {
        if (this.closed) return;
        // Redis restarting or unreachable: ioredis reconnects; the cursor waits.
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (batch === CLOSED) return;
      for (const [key, entries] of batch ?? []) {
        const run = runs.find((r) => keys.events(r.runId) === key.toString())!.runId;
        if (this.closed) return;
        await this.apply(run, entries);
        // What is kept here need not stay in Redis.
        const last = entries.at(-1)?.[0].toString();
        if (last) await this.unlessClosed(this.redis.xtrim(keys.events(run), 'MINID', last));
      }
    }
  }

  private recorder(run: string): RunRecorder {
    let r = this.recorders.get(run);
    if (!r) {
      const { dataset } = this.store.get(run).config;
      r = new RunRecorder(this.store, run, this.home, dataset, (e) => this.listener.event(run, e));
      this.recorders.set(run, r);
    }
    return r;
  }

  /** A batch of a run's entries in one transaction, the cursor with them; an entry that cannot be kept is skipped with a warning. */
  private async apply(run: string, entries: Entry[]): Promise<void> {
    const parsed = entries.map(([id, fields]) => ({ id: id.toString(), ...parseEntry(fields) }));
    // Fetched before the transaction: they wait on Redis.
    const blobs = new Map<number, Buffer | Error | null>();
    for (const { e } of parsed) {
      if (e?.type !== 'checkpoint') continue;
      const blob = await this.unlessClosed(getBlob(this.redis, keys.checkpoint(run, e.step)).catch((err: Error) => err));
      // Closed mid-way: the cursor stays before these entries, to be read again next time.
      if (blob === CLOSED) return;
      blobs.set(e.step, blob);
    }
    const { db } = this.store;
    let done: Done | null = null;
    let last: StepMetrics | null = null;
    db.transaction(() => {
      for (const { e, png } of parsed) {
        if (!e) continue;
        try {
          // A savepoint each: one bad entry does not undo the batch.
          db.transaction(() => {
            if (e.type === 'steps') last = e.metrics.at(-1) ?? last;
            done = this.applyOne(run, e, png, blobs) ?? done;
          })();
        } catch (err) {
          this.listener.event(run, { type: 'warning', message: `could not keep an update from the worker: ${messageOf(err)}` });
        }
      }
      setRemoteCursor(db, run, parsed.at(-1)!.id);
    })();
    // One progress event a batch: a studio catching up does not replay every step to its views.
    if (last) this.listener.event(run, { type: 'step', metrics: last, target: this.store.get(run).targetSteps });
    if (done) this.finish(run, done);
    for (const [step, blob] of blobs) if (blob instanceof Buffer) await this.unlessClosed(this.trimCheckpoints(run, step));
  }

  private applyOne(run: string, e: RemoteEvent, png: Buffer | null, blobs: Map<number, Buffer | Error | null>): Done | null {
    const { store } = this;
    switch (e.type) {
      case 'started':
        // A run resumed (on this worker or another) replaces what followed its checkpoint.
        store.truncateMetrics(run, e.step);
        store.discardCheckpointsAfter(run, e.step);
        store.update(run, { status: 'running', pid: null, backend: `${e.backend.detail} on ${e.worker}`, targetSteps: e.target, step: e.step, error: null });
        setRemoteWorker(store.db, run, e.worker);
        this.listener.event(run, { type: 'started', run, backend: e.backend, step: e.step, target: e.target, resumedFrom: e.resumedFrom });
        return null;
      case 'steps':
        store.appendMetrics(run, e.metrics);
        return null;
      case 'checkpoint': {
        const blob = blobs.get(e.step);
        if (blob instanceof Error) this.listener.event(run, { type: 'warning', message: `the checkpoint at step ${e.step} could not be read from Redis: ${blob.message}` });
        else if (!blob) this.listener.event(run, { type: 'warning', message: `the checkpoint at step ${e.step} expired from Redis before the studio read it` });
        else this.recorder(run).checkpoint(decodeCheckpoint(blob, `checkpoint at step ${e.step}`));
        return null;
      }
      case 'preview':
        if (png) this.recorder(run).preview(e.step, e.seed, png);
        return null;
      case 'paused':
      case 'resumed':
        store.update(run, { status: e.type === 'paused' ? 'paused' : 'running' });
        this.listener.event(run, { type: e.type, step: e.step });
        return null;
      case 'warning':
        this.listener.event(run, e);
        return null;
      case 'done': {
        const r = store.update(run, { status: e.status, pid: null, step: e.step });
        unfollowRemote(store.db, run);
        const { busyMs } = e.result;
        const summary: RunSummary = {
          run,
          status: e.status,
          steps: e.step,
          trained: e.trained,
          seconds: busyMs / 1000,
          imagesPerSec: busyMs > 0 ? (e.trained * r.config.batch * 1000) / busyMs : 0,
          backend: e.backend,
          final: e.result.last,
          checkpoint: store.checkpoints(run).at(-1)?.path ?? null,
        };
        return { summary, error: null };
      }
      case 'failed':
        store.update(run, { status: 'failed', pid: null, error: e.message });
        unfollowRemote(store.db, run);
        return { summary: null, error: e.message };
    }
  }

  /** Once kept here, a run's older checkpoints leave Redis; the newest two stay for a worker to resume from. */
  private async trimCheckpoints(run: string, kept: number): Promise<void> {
    const steps = (await this.redis.lrange(keys.checkpoints(run), 0, -1)).map(Number).filter((s) => s <= kept);
    for (const s of steps.slice(0, -2)) {
      await this.redis.lrem(keys.checkpoints(run), 0, String(s));
      await deleteBlob(this.redis, keys.checkpoint(run, s));
    }
  }

  /** After the run's last evaluation (or a wait for it), it is announced finished and its keys leave Redis. */
  private finish(run: string, { summary, error }: Done): void {
    const recorder = this.recorders.get(run);
    this.recorders.delete(run);
    const p = (async () => {
      await recorder?.evaluator?.drain(FINAL_EVALUATION_MS);
      await recorder?.close();
      await this.unlessClosed(this.forget(run));
      this.listener.finished(run, summary, error);
    })();
    this.finishing.add(p);
    void p.finally(() => this.finishing.delete(p));
  }

  /** A finished run's checkpoints, stream and control key, all kept here now. */
  private async forget(run: string): Promise<void> {
    const steps = await this.redis.lrange(keys.checkpoints(run), 0, -1);
    for (const s of steps) await deleteBlob(this.redis, keys.checkpoint(run, Number(s)));
    await this.redis.del(keys.checkpoints(run), keys.events(run), keys.control(run));
  }
}
