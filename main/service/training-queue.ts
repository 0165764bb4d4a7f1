/**
 * The studio's training queue: runs wait their turn (one trains at a time by
 * default), each trains in a worker thread — its steps there, or in the
 * desktop app's GPU engine — and what the worker reports becomes the
 * service's events.
 */
import type { MessagePort } from 'node:worker_threads';
import { probeBackends, type BackendStatus } from '../engine/backends.js';
import { StudioError, messageOf } from '../errors.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import type { EngineHost } from '../training/step-host.js';
import type { RunSummary, TrainJob, TrainingEvent } from '../training/protocol.js';
import { TrainingSession } from '../training/session.js';
import type { EventName, StudioEvents } from './contract.js';

export interface QueueOptions {
  concurrency?: number;
  previewEvery?: number;
  /** Where WebGPU runs when this process cannot run it itself (the desktop app's engine page). */
  gpuEngine?: EngineHost;
}

export class TrainingQueue {
  private readonly sessions = new Map<string, TrainingSession>();
  private readonly queue: TrainJob[] = [];
  /** What a queued run goes back to if its session cannot start. */
  private readonly statusBeforeQueue = new Map<string, RunRecord['status']>();

  constructor(
    private readonly store: RunStore,
    private readonly emit: <E extends EventName>(event: E, payload: StudioEvents[E]) => void,
    private readonly opts: QueueOptions,
  ) {}

  session(id: string): TrainingSession | undefined {
    return this.sessions.get(id);
  }

  /** Runs training here now. */
  get training(): number {
    return this.sessions.size;
  }

  /** Training, or waiting to. */
  has(id: string): boolean {
    return this.sessions.has(id) || this.queue.some((j) => j.runId === id);
  }

  /** Takes a waiting run out of the queue; false when it was not waiting. */
  dequeue(id: string): boolean {
    const i = this.queue.findIndex((j) => j.runId === id);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Empties the queue and stops every run (each saves a checkpoint). */
  async close(): Promise<void> {
    this.queue.length = 0;
    await Promise.allSettled([...this.sessions.values()].map((s) => s.stop()));
  }

  enqueue(job: TrainJob): RunRecord {
    if (this.has(job.runId)) throw new StudioError(`run ${job.runId} is already training or queued`, 'CONFLICT');
    this.queue.push({ previewEvery: this.opts.previewEvery, ...job });
    this.statusBeforeQueue.set(job.runId, this.store.get(job.runId).status);
    const r = this.store.update(job.runId, { status: 'queued', error: null });
    this.emit('run.status', { id: r.id, status: 'queued', error: null });
    this.pump();
    return this.store.get(job.runId);
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 1;
    while (this.sessions.size < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const id = job.runId;
      const session = TrainingSession.start(job, (e) => this.announce(id, e), () => this.enginePortFor(id));
      this.sessions.set(id, session);
      const finish = (summary: RunSummary | null, error: string | null) => {
        this.sessions.delete(id);
        const before = this.statusBeforeQueue.get(id);
        this.statusBeforeQueue.delete(id);
        let r = this.store.find(id);
        // A session refused before it started leaves the run as it was.
        if (r && r.status === 'queued' && before) r = this.store.update(id, { status: before });
        if (r) this.emit('run.status', { id, status: r.status, error: r.error ?? error });
        this.emit('run.finished', { id, summary, error });
        this.pump();
      };
      session.done.then(
        (summary) => finish(summary, null),
        (err) => finish(null, messageOf(err)),
      );
    }
  }

  /**
   * In the desktop app, a run on webgpu (asked for, or auto with a hardware
   * adapter there) trains its steps in the engine page; everything else, and
   * everything in the CLI and browser mode, in the training worker itself.
   */
  private async enginePortFor(id: string): Promise<MessagePort | undefined> {
    const host = this.opts.gpuEngine;
    const { backend } = this.store.get(id).config;
    if (!host || (backend !== 'webgpu' && backend !== 'auto')) return undefined;
    const status = await host.probe();
    if (!status.available || (backend === 'auto' && status.adapter?.software)) {
      if (backend === 'webgpu') throw new StudioError(`backend "webgpu" is not available: ${status.reason ?? 'no adapter'}`);
      return undefined;
    }
    return host.connect();
  }

  /** The backends as New run lists them: in the desktop app, WebGPU as its engine page has it. */
  async backends(): Promise<BackendStatus[]> {
    const local = await probeBackends();
    const host = this.opts.gpuEngine;
    if (!host) return local;
    const gpu = await host.probe().catch((err): BackendStatus => ({ name: 'webgpu', available: false, detail: 'WebGPU (Chromium)', reason: messageOf(err) }));
    return local.map((s) => (s.name === 'webgpu' ? gpu : s));
  }

  /** A run's training event as the service's events: from a worker thread here, or a remote run's stream. */
  announce(id: string, e: TrainingEvent): void {
    switch (e.type) {
      case 'step':
        return this.emit('run.progress', { id, metrics: e.metrics, target: e.target });
      case 'preview':
        return this.emit('run.sample', { id, step: e.step, file: e.path });
      case 'evaluation':
        return this.emit('run.evaluation', { id, evaluation: e.evaluation });
      case 'checkpoint':
        return this.emit('run.checkpoint', { id, step: e.step, path: e.path });
      case 'warning':
        return this.emit('run.warning', { id, message: e.message });
      case 'started':
        this.emit('run.started', { id, backend: e.backend.name, backendDetail: e.backend.detail, step: e.step, target: e.target, resumedFrom: e.resumedFrom });
        return this.emit('run.status', { id, status: 'running', error: null });
      case 'resumed':
        return this.emit('run.status', { id, status: 'running', error: null });
      case 'paused':
        return this.emit('run.status', { id, status: 'paused', error: null });
    }
  }
}
