/** Messages between a training worker and the process that hosts it. */
import type { MessagePort } from 'node:worker_threads';
import type { BackendStatus } from '../engine/backends.js';
import type { StepMetrics } from '../engine/step-metrics.js';
import type { Evaluation } from '../evaluation/evaluation.js';

export interface TrainJob {
  home: string;
  runId: string;
  /** Continue from the run's newest checkpoint instead of starting at step 0. */
  resume: boolean;
  /** On resume: train this many steps more (default: up to the run's target). */
  addSteps?: number;
  /** Steps between preview grids of fixed latents. */
  previewEvery?: number;
  /** Measure each checkpoint with the dataset's judge (default true). */
  evaluate?: boolean;
}

export type ControlMessage =
  /** `enginePort`: a port to a step engine elsewhere (engine-protocol.ts); without it the steps run in the worker. */
  | { type: 'start'; job: TrainJob; enginePort?: MessagePort }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

export interface RunSummary {
  run: string;
  status: 'completed' | 'stopped';
  steps: number;
  /** Steps trained in this session. */
  trained: number;
  seconds: number;
  imagesPerSec: number;
  backend: string;
  final: StepMetrics | null;
  checkpoint: string | null;
}

export type TrainingEvent =
  | { type: 'started'; run: string; backend: BackendStatus; step: number; target: number; resumedFrom: number | null }
  | { type: 'warning'; message: string }
  | { type: 'step'; metrics: StepMetrics; target: number }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'preview'; step: number; path: string }
  | { type: 'evaluation'; evaluation: Evaluation }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; message: string };
