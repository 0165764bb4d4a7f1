/**
 * Where a run's steps execute, as the training loop (loop.ts) sees it: here,
 * in this worker thread, or at the far end of a port (the desktop app's
 * browser worker on Chromium's WebGPU). Either way the loop gets the same
 * events and keeps the files and database rows itself.
 */
import type { MessagePort } from 'node:worker_threads';
import { useBackend, type BackendStatus } from '../engine/backends.js';
import type { EngineInit, EngineMessage, HostMessage, PortLike } from './engine-protocol.js';
import { runSteps, type StepControl, type StepLoopResult, type StepPlan } from '../engine/step-loop.js';
import { type RunStepSink, type RunTrainer } from '../families/run-checkpoint.js';
import { createTrainer } from '../families/registry.js';
import { StudioError } from '../errors.js';
import type { RunControl } from './control.js';

/**
 * A place outside the Node process that can run step engines: the desktop
 * app's hidden engine page on Chromium's WebGPU (electron/engine-host.ts).
 */
export interface EngineHost {
  /** What it would train on (the webgpu backend's status there). */
  probe(): Promise<BackendStatus>;
  /** A port to a new step engine there, for a training worker to drive. */
  connect(): Promise<MessagePort>;
  close(): void;
}

export interface StepEngine {
  /** Builds the trainer on the engine's backend, from the checkpoint when there is one. */
  prepare(init: EngineInit): Promise<{ backend: BackendStatus; step: number }>;
  run(plan: StepPlan, control: RunControl, sink: RunStepSink): Promise<StepLoopResult>;
  dispose(): void;
}

/** Steps in this thread, on the backend the run asks for. */
export class LocalStepEngine implements StepEngine {
  private trainer: RunTrainer | null = null;

  async prepare(init: EngineInit) {
    const backend = await useBackend(init.config.backend);
    this.trainer = createTrainer(init.config, init.dataset, init.from ?? undefined, init.datasetB ?? null);
    return { backend, step: this.trainer.step };
  }

  run(plan: StepPlan, control: StepControl, sink: RunStepSink): Promise<StepLoopResult> {
    if (!this.trainer) throw new Error('prepare() first');
    return runSteps(this.trainer, plan, control, sink);
  }

  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }
}

/** A worker_threads port as a PortLike. */
export function nodePort(port: MessagePort): PortLike {
  return {
    postMessage: (m, transfer = []) => port.postMessage(m, transfer),
    onMessage: (listener) => port.on('message', listener),
    onClose: (listener) => port.on('close', listener),
    close: () => port.close(),
  };
}

/** Steps at the other end of a port that speaks engine-protocol.ts (engine-server.ts answers it). */
export class RemoteStepEngine implements StepEngine {
  private waiting: { resolve: (m: EngineMessage) => void; reject: (e: Error) => void } | null = null;
  private sink: RunStepSink | null = null;

  private closed = false;

  constructor(private readonly port: PortLike) {
    port.onMessage((data) => this.receive(data as EngineMessage));
    port.onClose?.(() => {
      if (this.closed) return;
      this.closed = true;
      this.settle({ type: 'error', message: 'the GPU engine stopped (its page or the GPU process ended); resume the run to continue from its last checkpoint' });
    });
  }

  private send(m: HostMessage, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
  }

  private receive(m: EngineMessage): void {
    if (m.type === 'event') {
      const sink = this.sink;
      if (!sink) return;
      void Promise.resolve(sink(m.event)).then(
        () => m.id !== null && this.send({ type: 'ack', id: m.id }),
        (err: Error) => this.settle({ type: 'error', message: err.message }),
      );
      return;
    }
    this.settle(m);
  }

  private settle(m: EngineMessage): void {
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    if (m.type === 'error') w.reject(new StudioError(m.message));
    else w.resolve(m);
  }

  private next(): Promise<EngineMessage> {
    if (this.closed) return Promise.reject(new StudioError('the GPU engine is not connected'));
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async prepare(init: EngineInit) {
    const answer = this.next();
    // Copied, not moved: the dataset stays loaded here for the evaluation of the run.
    this.send({ type: 'init', init });
    const m = await answer;
    if (m.type !== 'prepared') throw new StudioError(`the training engine answered ${m.type} to init`);
    return { backend: m.backend, step: m.step };
  }

  async run(plan: StepPlan, control: RunControl, sink: RunStepSink): Promise<StepLoopResult> {
    this.sink = sink;
    const off = control.onChange((what) => this.send({ type: what }));
    try {
      const answer = this.next();
      this.send({ type: 'run', plan });
      if (control.pauseRequested) this.send({ type: 'pause' });
      if (control.stopRequested) this.send({ type: 'stop' });
      const m = await answer;
      if (m.type !== 'done') throw new StudioError(`the training engine answered ${m.type} to run`);
      return m.result;
    } finally {
      off();
      this.sink = null;
    }
  }

  dispose(): void {
    this.closed = true;
    this.port.close();
  }
}
