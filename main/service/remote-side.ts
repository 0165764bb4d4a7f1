/**
 * The service's side of remote training: the studio's Redis when it has one
 * (its runs queued for workers, steered, and followed back into the
 * database), and the commands about the workers out there.
 */
import { StudioError } from '../errors.js';
import type { RedisTarget } from '../remote/connection.js';
import { RemoteRuns } from '../remote/remote-runs.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import type { CommandResults, EventName, StudioEvents } from './contract.js';
import type { TrainingQueue } from './training-queue.js';

type Emit = <E extends EventName>(event: E, payload: StudioEvents[E]) => void;

export class RemoteSide {
  private readonly remote: RemoteRuns | null = null;
  private readonly ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: RunStore,
    private readonly home: string,
    redis: RedisTarget | undefined,
    training: TrainingQueue,
    private readonly emit: Emit,
    private readonly previewEvery: number | undefined,
  ) {
    if (!redis) return;
    this.remote = new RemoteRuns(store, home, redis, {
      event: (id, e) => training.announce(id, e),
      finished: (id, summary, error) => {
        const r = store.find(id);
        if (r) emit('run.status', { id, status: r.status, error: r.error ?? error });
        emit('run.finished', { id, summary, error });
      },
    });
    // Commands that need Redis wait for it (and say why it is out of reach); the rest of the studio does not.
    this.ready = this.remote.open();
    this.ready.catch(() => {});
  }

  /** The studio follows this run on a worker: queued there, or training. */
  following(id: string): boolean {
    return this.remote?.following(id) ?? false;
  }

  /** The remote runs, once Redis answers; why not, when the studio has none or cannot reach it. */
  async queue(): Promise<RemoteRuns> {
    if (!this.remote) {
      throw new StudioError('no Redis is set for remote training; start the studio with --redis redis://host:6379 (or set GAN_STUDIO_REDIS) and run `gan-studio worker` where the GPU is', 'UNAVAILABLE');
    }
    await this.ready;
    return this.remote;
  }

  async submit(id: string, resume: boolean, addSteps?: number): Promise<RunRecord> {
    const r = await (await this.queue()).submit({ home: this.home, runId: id, resume, addSteps, previewEvery: this.previewEvery });
    this.emit('run.status', { id, status: r.status, error: null });
    return r;
  }

  /** Pause, resume or stop a remote run; a stopped run that had not left the queue is stopped here at once. */
  async steer(id: string, want: 'pause' | 'run' | 'stop'): Promise<RunRecord> {
    if (await (await this.queue()).control(id, want)) {
      const r = this.store.update(id, { status: 'stopped' });
      this.emit('run.status', { id, status: r.status, error: null });
      this.emit('run.finished', { id, summary: null, error: null });
    }
    return this.store.get(id);
  }

  async close(): Promise<void> {
    await this.remote?.close();
  }

  /** The Redis (password hidden) and the workers beating there; an error instead when it is out of reach. */
  async workers(): Promise<CommandResults['remote.workers']> {
    if (!this.remote) return { redis: null, workers: [], error: null };
    try {
      const remote = await this.queue();
      return { redis: remote.address, workers: await remote.workers(), error: null };
    } catch (err) {
      return { redis: null, workers: [], error: (err as Error).message };
    }
  }
}
