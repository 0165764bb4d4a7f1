/**
 * Messages between a training loop's host (which owns the run's files and
 * database rows) and a step engine elsewhere: in the desktop app, a browser
 * worker training on Chromium's WebGPU. Plain data and transferable buffers,
 * so they cross worker_threads ports, Electron's MessagePortMain and web
 * MessagePorts alike.
 */
import type { BackendStatus } from '../engine/backends.js';
import type { CheckpointData } from '../families/run-checkpoint.js';
import type { TrainConfig } from '../families/run-config.js';
import type { StepLoopResult, StepPlan } from '../engine/step-loop.js';
import type { RunStepEvent } from '../families/run-checkpoint.js';
import type { Dataset } from '../core/dataset.js';

export interface EngineInit {
  config: TrainConfig;
  dataset: Dataset;
  /** CycleGAN's domain B when it is a dataset of its own. */
  datasetB?: Dataset | null;
  /** The checkpoint to continue from, or null to start at step 0. */
  from: CheckpointData | null;
}

export type HostMessage =
  /** Which adapter the engine would train on, without building anything. */
  | { type: 'probe' }
  | { type: 'init'; init: EngineInit }
  | { type: 'run'; plan: StepPlan }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** The host kept event `id` (a checkpoint is durable, say): the engine may go on. */
  | { type: 'ack'; id: number };

export type EngineMessage =
  | { type: 'probed'; status: BackendStatus }
  | { type: 'prepared'; backend: BackendStatus; step: number }
  /** `id` is set when the engine waits for an ack before it goes on. */
  | { type: 'event'; event: RunStepEvent; id: number | null }
  | { type: 'done'; result: StepLoopResult }
  | { type: 'error'; message: string };

/** What both ends need of a port; Node's worker_threads ports and web MessagePorts are adapted to it. */
export interface PortLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (data: unknown) => void): void;
  /** When the other end is gone (a worker_threads port says so; a web port cannot). */
  onClose?(listener: () => void): void;
  close(): void;
}

/** A web MessagePort (a browser worker's, or a page's) as a PortLike. */
export function webPort(port: {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}): PortLike {
  return {
    postMessage: (m, transfer = []) => port.postMessage(m, transfer),
    onMessage(listener) {
      port.addEventListener('message', (e) => listener(e.data));
      port.start();
    },
    close: () => port.close(),
  };
}

/** The buffers of an event worth moving rather than copying: checkpoint tensors and preview images. */
export function transferablesOf(e: RunStepEvent): ArrayBuffer[] {
  if (e.type === 'checkpoint') return [...e.checkpoint.tensors.values()].map((t) => t.data.buffer as ArrayBuffer);
  if (e.type === 'preview') return [e.batch.data.buffer as ArrayBuffer];
  return [];
}
