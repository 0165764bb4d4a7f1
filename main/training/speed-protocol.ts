/** Messages between the service and a speed worker (speed-worker.ts). */
import type { BackendStatus } from '../engine/backends.js';
import type { TrainConfig } from '../families/run-config.js';

export interface SpeedRequest {
  home: string;
  config: TrainConfig;
  /** Warm-up steps at least (more while they last under a few seconds). */
  warmup: number;
  timed: number;
}

export type SpeedReply =
  | { type: 'step'; done: number; total: number }
  | { type: 'done'; backend: BackendStatus; warmup: number; ms: number[] }
  | { type: 'failed'; message: string };
