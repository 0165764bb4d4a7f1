/**
 * The service's side of remote training: the studio's Redis when it has one
 * (from --redis/GAN_STUDIO_REDIS, or set in Settings and saved without its
 * password), its runs queued for workers, steered, and followed back into
 * the database, and the commands about the workers out there.
 */
import { deleteSetting, readSetting, writeSetting } from '../db/settings.js';
import { StudioError, messageOf } from '../errors.js';
import { checkReachable, connect, redactUrl, redisOptions, type RedisTarget } from '../remote/connection.js';
import { RemoteRuns, type QueueSpot } from '../remote/remote-runs.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import type { CommandResults, EventName, StudioEvents } from './contract.js';
import type { QueueOptions, QueuedRun, RemoteSettings } from './contract-queue.js';
import type { TrainingQueue } from './training-queue.js';

type Emit = <E extends EventName>(event: E, payload: StudioEvents[E]) => void;

/** Where the desktop app keeps a secret: the OS keychain (Electron's safeStorage). Browser mode and the CLI have none. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** The saved Redis: its address without a password, and whether it needs one. */
interface SavedRedis {
  url: string;
  tls: boolean;
  password: boolean;
}

const SETTING = 'remote.redis';
const SECRET = 'redis-password';

/** The URL with `password` in it (or the one it has), and without one for saving. */
function withPassword(url: string, password: string | undefined): { full: string; bare: string; has: boolean } {
  const u = new URL(url);
  if (password !== undefined) u.password = encodeURIComponent(password);
  const full = u.toString();
  const has = u.password !== '';
  u.password = '';
  return { full, bare: u.toString(), has };
}

export class RemoteSide {
  private remote: RemoteRuns | null = null;
  private ready: Promise<void> = Promise.resolve();
  private target: RedisTarget | null = null;
  private from: RemoteSettings['from'] = null;
  /** Why there is no connection although an address is saved (its password is not kept). */
  private pending: string | null = null;

  constructor(
    private readonly store: RunStore,
    private readonly home: string,
    redis: RedisTarget | undefined,
    followSaved: boolean,
    private readonly training: TrainingQueue,
    private readonly emit: Emit,
    private readonly previewEvery: number | undefined,
    private readonly secrets?: SecretStore,
  ) {
    if (redis) {
      this.from = 'command line';
      this.use(redis);
      return;
    }
    const saved = followSaved ? readSetting<SavedRedis>(store.db, SETTING) : null;
    if (!saved) return;
    this.from = 'settings';
    const password = saved.password ? this.secrets?.get(SECRET) : undefined;
    if (saved.password && !password) {
      this.target = { url: saved.url, tls: saved.tls };
      this.pending = `the Redis at ${redactUrl(saved.url)} needs its password: enter it in Settings`;
      return;
    }
    this.use({ url: withPassword(saved.url, password ?? undefined).full, tls: saved.tls });
  }

  /** Follows runs through this Redis from now on; commands that need it wait for it (and say why it is out of reach). */
  private use(target: RedisTarget): void {
    this.target = target;
    this.pending = null;
    this.remote = new RemoteRuns(this.store, this.home, target, {
      event: (id, e) => this.training.announce(id, e),
      finished: (id, summary, error) => {
        const r = this.store.find(id);
        if (r) this.emit('run.status', { id, status: r.status, error: r.error ?? error });
        this.emit('run.finished', { id, summary, error });
      },
    });
    this.ready = this.remote.open();
    this.ready.catch(() => {});
  }

  /** The studio follows this run on a worker: queued there, or training. */
  following(id: string): boolean {
    return this.remote?.following(id) ?? false;
  }

  /** The remote runs, once Redis answers; why not, when the studio has none or cannot reach it. */
  async queue(): Promise<RemoteRuns> {
    if (this.pending) throw new StudioError(this.pending, 'UNAVAILABLE');
    if (!this.remote) {
      throw new StudioError('no Redis is set for remote training; set one in Settings (or start the studio with --redis redis://host:6379, or GAN_STUDIO_REDIS) and run `gan-studio worker` where the GPU is', 'UNAVAILABLE');
    }
    await this.ready;
    return this.remote;
  }

  async submit(id: string, resume: boolean, addSteps?: number, options?: QueueOptions): Promise<RunRecord> {
    const spot: QueueSpot = { priority: options?.priority, delayMs: (options?.delayMinutes ?? 0) * 60_000 };
    const r = await (await this.queue()).submit({ home: this.home, runId: id, resume, addSteps, previewEvery: this.previewEvery }, spot);
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
    const remote = this.remote;
    this.remote = null;
    await remote?.close();
  }

  /** Where the Redis comes from and whether it answers. */
  async settings(): Promise<RemoteSettings> {
    let error = this.pending;
    if (this.remote) await this.ready.catch((err) => (error = messageOf(err)));
    const t = this.target;
    return {
      redis: t ? redactUrl(t.url) : null,
      tls: !!t && (!!t.tls || t.url.startsWith('rediss:')),
      from: this.from,
      connected: !!this.remote && error === null,
      error,
      keychain: !!this.secrets,
    };
  }

  /** Settings' Redis: it must answer before it replaces the one in use; saved (without the password) when `remember`. */
  async connect(input: { url: string; password?: string; tls: boolean; remember: boolean }): Promise<RemoteSettings> {
    const { full, bare, has } = withPassword(input.url, input.password);
    const target: RedisTarget = { url: full, tls: input.tls };
    redisOptions(target);
    // A person waits on this: the first connection error is the answer (ioredis would retry it for ever).
    let refused: (err: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => (refused = (err) => reject(new StudioError(`Redis at ${redactUrl(target.url)}: ${err.message}`, 'UNAVAILABLE'))));
    failed.catch(() => {});
    const probe = connect(target, 'gan-studio-probe', (err) => refused(err));
    try {
      await Promise.race([checkReachable(probe, target), failed]);
    } finally {
      probe.disconnect();
    }
    await this.close();
    this.use(target);
    this.from = 'settings';
    if (input.remember) {
      writeSetting(this.store.db, SETTING, { url: bare, tls: input.tls, password: has } satisfies SavedRedis);
      const password = has ? decodeURIComponent(new URL(full).password) : null;
      if (password && this.secrets) this.secrets.set(SECRET, password);
      else this.secrets?.delete(SECRET);
    } else this.forget();
    return this.settings();
  }

  /** No Redis from now on, and none saved; remote runs keep what was read of them. */
  async disconnect(): Promise<RemoteSettings> {
    await this.close();
    this.forget();
    this.target = null;
    this.from = null;
    this.pending = null;
    return this.settings();
  }

  private forget(): void {
    deleteSetting(this.store.db, SETTING);
    this.secrets?.delete(SECRET);
  }

  /** This studio's runs in the queue, named; an error instead when Redis is out of reach. */
  async queued(): Promise<CommandResults['remote.queue']> {
    if (!this.remote && !this.pending) return { redis: null, runs: [], error: null };
    try {
      const remote = await this.queue();
      return { redis: remote.address, runs: this.named(await remote.queued()), error: null };
    } catch (err) {
      return { redis: null, runs: [], error: messageOf(err) };
    }
  }

  async reorder(ids: string[]): Promise<QueuedRun[]> {
    return this.named(await (await this.queue()).reorder(ids));
  }

  private named(jobs: Awaited<ReturnType<RemoteRuns['queued']>>): QueuedRun[] {
    return jobs.map((j) => ({ ...j, name: this.store.find(j.run)?.name ?? j.run }));
  }

  /** The Redis (password hidden) and the workers beating there; an error instead when it is out of reach. */
  async workers(): Promise<CommandResults['remote.workers']> {
    if (!this.remote && !this.pending) return { redis: null, workers: [], error: null };
    try {
      const remote = await this.queue();
      return { redis: remote.address, workers: await remote.workers(), error: null };
    } catch (err) {
      return { redis: null, workers: [], error: messageOf(err) };
    }
  }
}
