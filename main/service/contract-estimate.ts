/**
 * The contract's command that says what a run will take before it starts
 * (New run, `gan-studio train --estimate`): its speed measured here, and what
 * the studio's finished runs like it needed. Part of the one contract
 * (contract.ts spreads it into COMMANDS, CommandResults and the events).
 */
import { z } from 'zod';
import { TrainConfigSchema } from '../families/run-config.js';
import { RunId } from '../core/names.js';
import type { QualityReach, QualityRecord } from '../runs/time-to-quality.js';

export type { QualityReach, QualityRecord };

export const ESTIMATE_COMMANDS = {
  /**
   * measure: train `timedSteps` steps after a few seconds' warm-up (two
   * steps at least) of a throwaway copy of the run, in a worker (steps done come as estimate.progress with
   * the ticket); without it, only the table of finished runs. fid: the
   * quality to reach (default: the worst best-FID of the similar runs).
   */
  'runs.estimate': z
    .object({
      config: TrainConfigSchema,
      from: RunId.optional(),
      measure: z.boolean().default(true),
      timedSteps: z.number().int().min(1).max(50).default(5),
      fid: z.number().positive().max(1e6).optional(),
      ticket: z.string().min(1).max(64).optional(),
    })
    .strict(),
} as const;

export interface SpeedEstimate {
  backend: string;
  backendDetail: string;
  warmupSteps: number;
  timedSteps: number;
  secondsPerStep: number;
  /** The fastest and slowest timed step, in seconds. */
  range: [number, number];
  /** Runs training here while it measured: they share the CPU or GPU, so the figure is slower than alone. */
  busyRuns: number;
}

export interface TimeEstimate {
  task: string;
  model: string;
  dataset: string;
  size: number;
  channels: number;
  images: number;
  steps: number;
  /** null without measure. */
  speed: SpeedEstimate | null;
  /** The run's steps at the measured speed. */
  totalSeconds: number | null;
  /** Finished runs of the same network, size and channels, most alike first (FID series left out). */
  similar: Omit<QualityRecord, 'fids'>[];
  reach: QualityReach | null;
}

export interface EstimateResults {
  'runs.estimate': TimeEstimate;
}

export interface EstimateEvents {
  /** Steps done of a runs.estimate call with this ticket (warm-up included). */
  'estimate.progress': { ticket: string; done: number; total: number };
}
