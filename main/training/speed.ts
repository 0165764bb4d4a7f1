/**
 * A run's seconds per step on this machine, measured before it starts: a
 * worker thread trains the steps (speed-worker.ts) so the service never
 * waits on them, and ends with the measurement.
 */
import { median } from '../core/median.js';
import { Worker } from 'node:worker_threads';
import type { BackendStatus } from '../engine/backends.js';
import { StudioError } from '../errors.js';
import type { TrainConfig } from '../families/run-config.js';
import type { SpeedReply, SpeedRequest } from './speed-protocol.js';

export interface SpeedMeasurement {
  backend: BackendStatus;
  warmupSteps: number;
  /** Each timed step's milliseconds. */
  ms: number[];
  /** Their median, in seconds. */
  secondsPerStep: number;
}

/** Warm-up steps at least before the timed ones: the first steps compile kernels and allocate, and run several times slower. */
export const SPEED_WARMUP = 2;

export function measureSpeed(home: string, config: TrainConfig, timed: number, progress: (done: number, total: number) => void = () => {}): Promise<SpeedMeasurement> {
  const request: SpeedRequest = { home, config, warmup: SPEED_WARMUP, timed };
  const w = new Worker(new URL('./speed-worker.js', import.meta.url), { workerData: request });
  return new Promise<SpeedMeasurement>((resolve, reject) => {
    w.on('message', (m: SpeedReply) => {
      if (m.type === 'step') return progress(m.done, m.total);
      if (m.type === 'failed') reject(new StudioError(`measuring the training speed failed: ${m.message}`));
      else {
        resolve({ backend: m.backend, warmupSteps: m.warmup, ms: m.ms, secondsPerStep: median(m.ms) / 1000 });
      }
    });
    w.on('error', (err) => reject(new StudioError(`measuring the training speed failed: ${err.message}`)));
    w.on('exit', (code) => reject(new StudioError(`the speed measurement stopped (exit code ${code})`)));
  }).finally(() => void w.terminate());
}
