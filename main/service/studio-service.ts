/**
 * The studio service: every command of the contract, validated, answered
 * with a typed result or a typed error; training runs queued and executed
 * in worker threads, their progress recorded and announced as events.
 */
import { GenerationHost } from '../generation/host.js';
import { PlaygroundHost } from '../playground/host.js';
import { trainingStatus, STATUS_WINDOW } from '../evaluation/status.js';
import type { CheckpointRef } from '../generation/protocol.js';
import { ZodError } from 'zod';
import { StudioError, messageOf } from '../errors.js';
import { formatZodError } from '../engine/config.js';
import { resolveConfig, type TrainConfig, type TrainConfigInput } from '../families/run-config.js';
import { BUILTIN_INFO, isBuiltin } from '../datasets/index.js';
import { datasetCover, galleryPage } from '../datasets/gallery.js';
import { ImportSession } from '../datasets/import/session.js';
import { deleteDataset, listDatasets, showDataset, sweepDatasetFolders } from '../datasets/store.js';
import { RunStore, type RunRecord } from '../runs/store.js';
import { TrainingQueue, type QueueOptions } from './training-queue.js';
import type { RedisTarget } from '../remote/connection.js';
import type { BackendChoice } from '../engine/config.js';
import { RemoteSide, type SecretStore } from './remote-side.js';
import {
  COMMANDS,
  type CommandHandlers,
  type CommandName,
  type CommandResult,
  type CommandResults,
  type ErrorCode,
  type EventName,
  type RunDetail,
  type StudioEvents,
} from './contract.js';
import { familyOfConfig, requireCapability } from '../families/registry.js';
import { editHandlers, type EditContext } from './edit-handlers.js';
import { imageHandlers } from './image-handlers.js';
import { textHandlers } from './text-handlers.js';
import { AugmentStudies, type StudyContext } from './augment-studies.js';
import { augmentHandlers } from './augment-handlers.js';
import { outputHandlers } from './output-handlers.js';
import { queueHandlers } from './queue-handlers.js';
import { estimateHandlers } from './estimate-handlers.js';
import { sameNetworks as sameNetworksAs } from './fine-tune.js';
import { checkNewRun } from './new-run.js';
import { fineTuneOf, saveFineTune } from '../runs/fine-tunes.js';


const ERROR_CODES: readonly string[] = ['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAVAILABLE', 'CANCELLED', 'FAILED'] satisfies ErrorCode[];

const fail = (code: ErrorCode, message: string) => new StudioError(message, code);
/** A place in the queue (priority, delay) is BullMQ's: only for runs queued on workers. */
const onlyRemote = (remote: boolean, queue: unknown) => {
  if (queue && !remote) throw fail('INVALID_INPUT', 'a place in the queue (priority, delay) is for runs on workers; add remote');
};
const notFound = (id: string) => fail('NOT_FOUND', `no run ${id}`);

export interface ServiceOptions extends QueueOptions {
  redis?: RedisTarget;
  secrets?: SecretStore;
  /** What images are drawn on (the CLI's --backend); the studio's own choice otherwise. */
  backend?: BackendChoice;
  /** The command line's own service: commands may write to the folders it names (`out`). Never for a page's. */
  localFiles?: boolean;
  /** Follow the Redis saved in Settings (false for a CLI command that only draws images). */
  savedRemote?: boolean;
}

export class StudioService {
  readonly store: RunStore;
  private readonly training: TrainingQueue;
  private readonly imports = new Map<string, ImportSession>();
  private readonly generation: GenerationHost;
  private readonly playground = new PlaygroundHost({
    frame: (f) => this.emit('playground.frame', f),
    finished: (s) => this.emit('playground.finished', s),
  });
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly studies: AugmentStudies;
  /** Runs on remote workers, when the studio is pointed at a Redis. */
  private readonly remote: RemoteSide;

  constructor(
    readonly home: string,
    private readonly opts: ServiceOptions = {},
  ) {
    this.generation = new GenerationHost(opts.backend);
    this.store = new RunStore(home);
    this.training = new TrainingQueue(this.store, (event, payload) => this.emit(event, payload), opts);
    this.store.markInterrupted();
    this.remote = new RemoteSide(this.store, home, opts.redis, opts.savedRemote ?? true, this.training, (event, payload) => this.emit(event, payload), opts.previewEvery, opts.secrets);
    this.studies = new AugmentStudies(this.studyContext());
    const insert = this.store.db.prepare(
      'INSERT OR IGNORE INTO datasets (id, name, source, size, channels, classes, image_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const d of BUILTIN_INFO) insert.run(d.name, d.name, d.source, d.size, d.channels, JSON.stringify(d.classes), d.imageCount, new Date().toISOString());
    sweepDatasetFolders(this.store.db, home);
  }

  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  private emit<E extends EventName>(event: E, payload: StudioEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: StudioEvents[E]) => void)(payload);
  }

  /** Runs a command from anywhere: the input is parsed against the contract first. */
  async call<C extends CommandName>(name: C, input: unknown): Promise<CommandResult<C>> {
    const schema = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : null;
    if (!schema) return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown command ${String(name).slice(0, 60)}` } };
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'INVALID_INPUT', message: `${name}: ${formatZodError(parsed.error)}` } };
    try {
      const handler = this.handlers[name] as (i: unknown) => Promise<CommandResults[C]> | CommandResults[C];
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof ZodError) return { ok: false, error: { code: 'INVALID_INPUT', message: `${name}: ${formatZodError(err)}` } };
      if (err instanceof StudioError) {
        return { ok: false, error: { code: ERROR_CODES.includes(err.code) ? (err.code as ErrorCode) : 'FAILED', message: err.message } };
      }
      return { ok: false, error: { code: 'FAILED', message: `${name} failed: ${messageOf(err).split('\n')[0]}` } };
    }
  }

  /** Stops every training run (each saves a checkpoint) and closes the database. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.imports.values()].map((s) => s.cancel()));
    // Before the workers go: a study's cell under way is dropped, not failed.
    await this.studies.close();
    await this.generation.close();
    await this.playground.close();
    await this.training.close();
    await this.remote.close();
    this.store.close();
  }

  private run(id: string): RunRecord {
    const r = this.store.find(id);
    if (!r) throw notFound(id);
    return r;
  }

  private detail(r: RunRecord): RunDetail {
    const { store } = this;
    const lastEvaluation = store.lastEvaluation(r.id);
    const numClasses = showDataset(store.db, r.config.dataset)?.classes.length ?? null;
    return {
      ...r,
      ...store.parentOf(r.id),
      startedFrom: fineTuneOf(store.db, r.id),
      checkpoints: store.checkpoints(r.id),
      sampleSteps: store.sampleSteps(r.id),
      lastMetrics: store.lastMetrics(r.id),
      lastEvaluation,
      trainingStatus: trainingStatus(store.recentMetrics(r.id, STATUS_WINDOW), lastEvaluation && { ...lastEvaluation, numClasses }),
    };
  }

  /** A run's checkpoint at `step` (the newest when absent), for the generation worker to read. */
  private checkpointRef(id: string, step?: number): CheckpointRef {
    this.run(id);
    const all = this.store.checkpoints(id);
    if (all.length === 0) throw fail('CONFLICT', `run ${id} has no checkpoint yet`);
    const c = step === undefined ? all[all.length - 1] : all.find((x) => x.step === step);
    if (!c) throw fail('NOT_FOUND', `run ${id} has no checkpoint at step ${step}; it has ${all.map((x) => x.step).join(', ')}`);
    return { path: c.path, step: c.step };
  }

  private dataset(name: string) {
    const d = showDataset(this.store.db, name);
    if (!d) throw fail('NOT_FOUND', `no dataset "${name}"`);
    return d;
  }

  /** What the editing commands need of the service, read when they run (the store is made after the handlers). */
  private editContext(): EditContext {
    const self = this;
    return {
      get home() {
        return self.home;
      },
      get localFiles() {
        return self.opts.localFiles ?? false;
      },
      get store() {
        return self.store;
      },
      get generation() {
        return self.generation;
      },
      run: (id) => this.run(id),
      runThatCan: (id, what) => {
        const r = this.run(id);
        requireCapability(familyOfConfig(r.config), what, id);
        return r;
      },
      checkpointRef: (id, step) => this.checkpointRef(id, step),
      emit: (event, payload) => this.emit(event, payload),
    };
  }

  /** What augmentation studies need of the service: runs made, queued and stopped as the commands do. */
  private studyContext(): StudyContext {
    return {
      home: this.home,
      store: this.store,
      generation: this.generation,
      dataset: (name) => this.dataset(name),
      checkpointRef: (id) => this.checkpointRef(id),
      createRun: (config, name) => {
        const r = this.createRun(config, name, true);
        this.store.setTags(r.id, ['augment-study'], []);
        return r;
      },
      restartRun: (id) => this.training.enqueue({ home: this.home, runId: id, resume: this.store.checkpointSteps(id).length > 0 }),
      stopRun: async (id) => void (await this.handlers['runs.stop']({ id })),
      isTraining: (id) => this.training.has(id),
      emit: (event, payload) => this.emit(event, payload),
    };
  }

  /**
   * A new run, its dataset and settings checked first; queued to train when
   * `start`. With `from`, it starts from that run's newest weights (fine-tuning).
   */
  private createRun(config: TrainConfigInput, name: string | undefined, start: boolean, from?: string): RunRecord {
    const { resolved, parent, tuned } = this.checkRun(config, from);
    const r = this.store.create(resolved, new Date(), name ?? (parent ? `${parent.name} → ${resolved.dataset}` : undefined));
    if (tuned) {
      this.store.saveCheckpoint(r.id, tuned.start());
      saveFineTune(this.store.db, r.id, tuned.origin);
    }
    return start ? this.training.enqueue({ home: this.home, runId: r.id, resume: !!tuned }) : r;
  }

  /** A new run's settings as it would train with them, or why not: runs.create and runs.estimate ask the same. */
  private checkRun(config: TrainConfigInput, from?: string) {
    return checkNewRun({ store: this.store, run: (id) => this.run(id), dataset: (n) => this.dataset(n) }, config, from);
  }

  // ---- commands ----

  private readonly handlers: CommandHandlers = {
    'system.backends': () => this.training.backends(),
    'datasets.list': () => listDatasets(this.store.db),
    'datasets.show': async ({ name }) => ({ ...this.dataset(name), cover: await datasetCover(this.store.db, this.home, name) }),
    'datasets.delete': ({ name }) => {
      this.dataset(name);
      if (isBuiltin(name)) throw fail('CONFLICT', `${name} is built in and cannot be deleted`);
      const users = this.store.list().filter((r) => r.config.dataset === name);
      if (users.length) throw fail('CONFLICT', `${name} is used by ${users.length} run(s), e.g. ${users[0].id}; delete them first`);
      deleteDataset(this.store.db, this.home, name);
      return { deleted: name };
    },
    'datasets.import': async (options) => {
      if (this.imports.has(options.name)) throw fail('CONFLICT', `"${options.name}" is already being imported`);
      const session = new ImportSession(this.home, options, (p) => this.emit('dataset.import.progress', p));
      this.imports.set(options.name, session);
      try {
        const report = await session.done;
        this.emit('dataset.import.finished', { name: options.name, report, error: null });
        return report;
      } catch (err) {
        this.emit('dataset.import.finished', { name: options.name, report: null, error: messageOf(err) });
        throw err;
      } finally {
        this.imports.delete(options.name);
      }
    },
    'datasets.cancelImport': async ({ name }) => {
      const session = this.imports.get(name);
      if (!session) throw fail('NOT_FOUND', `no import of "${name}" is running`);
      await session.cancel();
      return { cancelled: name };
    },
    'datasets.images': ({ name, offset, limit, label, text }) => galleryPage(this.store.db, this.home, name, { offset, limit, label, text }),
    'runs.create': async ({ name, config, start, remote, queue, from }) => {
      onlyRemote(remote && start, queue);
      if (!remote || !start) return this.createRun(config, name, start, from);
      await this.remote.queue();
      const r = this.createRun(config, name, false, from);
      try {
        return await this.remote.submit(r.id, this.store.checkpointSteps(r.id).length > 0, undefined, queue);
      } catch (err) {
        // Never queued: the new run goes, rather than wait for ever.
        this.store.delete(r.id);
        throw err;
      }
    },
    'runs.start': async ({ id, remote, queue }) => {
      onlyRemote(remote, queue);
      const r = this.run(id);
      if (r.status === 'running' || r.status === 'paused') throw fail('CONFLICT', `run ${id} is already ${r.status}`);
      if (r.status === 'completed') throw fail('CONFLICT', `run ${id} is complete; resume it with more steps`);
      if (this.remote.following(id)) throw fail('CONFLICT', `run ${id} is already queued or training on a worker`);
      const resume = this.store.checkpointSteps(id).length > 0;
      if (remote) return this.remote.submit(id, resume, undefined, queue);
      return this.training.enqueue({ home: this.home, runId: id, resume });
    },
    'runs.pause': async ({ id }) => {
      if (this.remote.following(id)) return this.remote.steer(id, 'pause');
      const session = this.training.session(this.run(id).id);
      if (!session) throw fail('CONFLICT', `run ${id} is not training`);
      session.pause();
      return this.run(id);
    },
    'runs.resume': async ({ id, steps, remote, queue }) => {
      onlyRemote(remote, queue);
      const r = this.run(id);
      if (this.remote.following(id)) {
        if (r.status === 'paused') return this.remote.steer(id, 'run');
        throw fail('CONFLICT', `run ${id} is already training or queued on a worker`);
      }
      if (remote) {
        if (this.training.has(id)) throw fail('CONFLICT', `run ${id} is already training or queued`);
        if (r.status === 'completed' && steps == null) throw fail('CONFLICT', `run ${id} is complete; give the steps to train more`);
        return this.remote.submit(id, true, steps, queue);
      }
      const session = this.training.session(id);
      if (session && r.status === 'paused') {
        session.resume();
        return this.run(id);
      }
      if (this.training.has(id)) throw fail('CONFLICT', `run ${id} is already training or queued`);
      if (r.status === 'completed' && steps == null) throw fail('CONFLICT', `run ${id} is complete; give the steps to train more`);
      return this.training.enqueue({ home: this.home, runId: id, resume: true, addSteps: steps });
    },
    'runs.stop': async ({ id }) => {
      this.run(id);
      if (this.remote.following(id)) return this.remote.steer(id, 'stop');
      if (this.training.dequeue(id)) {
        this.store.update(id, { status: 'stopped' });
        this.emit('run.status', { id, status: 'stopped', error: null });
      }
      await this.training.session(id)?.stop();
      return this.run(id);
    },
    'runs.fork': ({ id, name, changes, start }) => {
      const parent = this.run(id);
      const config: TrainConfig = resolveConfig({ ...parent.config, ...changes, dataset: parent.config.dataset });
      const sameNetworks = sameNetworksAs(config, parent.config);
      const child = this.store.create(config, new Date(), name ?? `${parent.name} (fork)`, { id: parent.id, kind: 'fork' });
      // Same networks: the fork continues from the parent's newest checkpoint with its new settings.
      const from = sameNetworks ? this.store.latestCheckpoint(parent.id) : null;
      if (from) {
        this.store.saveCheckpoint(child.id, { ...from, config });
        this.store.appendMetrics(child.id, this.store.readMetrics(parent.id).filter((m) => m.step <= from.step));
        // `steps` is a total: a fork of a finished run trains that many more.
        this.store.update(child.id, { step: from.step, targetSteps: config.steps > from.step ? config.steps : from.step + config.steps, status: 'stopped' });
      }
      return start ? this.training.enqueue({ home: this.home, runId: child.id, resume: !!from }) : this.run(child.id);
    },
    'runs.rename': ({ id, name }) => (this.run(id), this.store.update(id, { name })),
    'runs.tag': ({ id, add, remove }) => {
      this.run(id);
      this.store.setTags(id, add, remove);
      return this.run(id);
    },
    'runs.note': ({ id, notes }) => (this.run(id), this.store.update(id, { notes })),
    'runs.delete': ({ id }) => {
      const r = this.run(id);
      if (this.training.session(id) || r.status === 'running' || r.status === 'paused') throw fail('CONFLICT', `run ${id} is training; stop it first`);
      if (r.remote?.active) throw fail('CONFLICT', `run ${id} is queued or training on a worker; stop it first`);
      this.training.dequeue(id);
      this.store.delete(id);
      return { deleted: id };
    },
    'runs.list': ({ status, tag, dataset, text }) =>
      this.store
        .list()
        .filter((r) => (!status || r.status === status) && (!tag || r.tags.includes(tag)) && (!dataset || r.config.dataset === dataset))
        .filter((r) => !text || `${r.name}\n${r.notes}`.toLowerCase().includes(text.toLowerCase())),
    'runs.show': ({ id }) => this.detail(this.run(id)),
    'runs.compare': ({ ids }) => {
      const runs = ids.map((id) => this.detail(this.run(id)));
      const keys = Object.keys(runs[0].config) as (keyof TrainConfig)[];
      const differing = keys.filter((k) => runs.some((r) => JSON.stringify(r.config[k]) !== JSON.stringify(runs[0].config[k])));
      return { differingSettings: differing, runs };
    },
    ...outputHandlers(this.editContext(), (id) => !!this.training.session(id)),
    ...imageHandlers(this.editContext()),
    ...editHandlers(this.editContext()),
    ...augmentHandlers(() => this.studies),
    ...textHandlers(this.editContext()),
    // Read when a command runs: the handlers are made before the store and queues.
    ...estimateHandlers(() => ({ home: this.home, store: this.store, checkRun: (config, from) => this.checkRun(config, from).resolved, busyRuns: () => this.training.training, emit: (e, p) => this.emit(e, p) })),
    ...queueHandlers(() => ({ home: this.home, store: this.store, training: this.training, remote: this.remote, createRun: (config, name) => this.createRun(config, name, false) })),
    'playground.start': (settings) => this.playground.start(settings),
    'playground.control': ({ session, action }) => this.playground.control(session, action),
  };
}
