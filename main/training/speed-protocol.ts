/** Messages between the service and a speed worker (speed-worker.ts). */
import type { BackendStatus } from '../engine/backends.js';
import type { TrainConfig } from '../families/run-config.js';

export interface SpeedRequest {
  home: string;
  config: TrainConfig;
  warmup: number;
  timed: number;
}

export type SpeedReply =
  | { type: 'step'; done: number; total: number }
  | { type: 'done'; backend: BackendStatus; ms: number[] }
  | { type: 'failed'; message: string };
