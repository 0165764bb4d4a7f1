/**
 * The one step loop every engine host runs: a worker thread of the CLI or the
 * server (Node, on any backend), or a browser worker on Chromium's WebGPU in
 * the desktop app. It trains, and hands out what must be kept — metrics,
 * checkpoints, preview images — to a sink; it never touches files or the
 * database, which stay with the host that owns them.
 */
import type { CheckpointData } from './checkpoint.js';
import type { ImageBatch } from '../core/image-batch.js';
import type { StepMetrics } from './step-metrics.js';
import { StudioError } from '../errors.js';

/** What the loop needs of a trainer: the GAN trainer and the super-resolution one alike. */
export interface StepTrainer<Ck extends CheckpointData = CheckpointData> {
  readonly step: number;
  trainStep(): Promise<StepMetrics>;
  toCheckpoint(): Promise<Ck>;
  /** The run's progress picture, its grid's columns, and the latent seed it was drawn from (0 when none). */
  preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }>;
  /** Steps where a checkpoint is kept whatever the interval: the end of a phase, so that it can be exported. */
  readonly milestones?: readonly number[];
  dispose(): void;
}

export interface StepControl {
  readonly stopRequested: boolean;
  readonly pauseRequested: boolean;
  /** Resolves when the run may go on (resumed or stopped). */
  waitForResume(): Promise<void>;
}

export interface StepPlan {
  /** Train until this step. */
  target: number;
  checkpointEvery: number;
  previewEvery: number;
}

export type StepEvent<Ck extends CheckpointData = CheckpointData> =
  | { type: 'step'; metrics: StepMetrics }
  | { type: 'checkpoint'; checkpoint: Ck }
  | { type: 'preview'; step: number; seed: number; batch: ImageBatch; columns: number }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number };

/** Awaited: a checkpoint is kept (written, or handed over) before the loop trains past it. */
export type StepSink<Ck extends CheckpointData = CheckpointData> = (e: StepEvent<Ck>) => void | Promise<void>;

export interface StepLoopResult {
  last: StepMetrics | null;
  /** Milliseconds spent in training steps, previews and checkpoints excluded. */
  busyMs: number;
}

// setImmediate where there is one (Node): a timeout would cost a millisecond a step.
// Also what lets a worker read a cancel message between two steps of a long job.
export const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

export async function runSteps<Ck extends CheckpointData>(t: StepTrainer<Ck>, plan: StepPlan, control: StepControl, sink: StepSink<Ck>): Promise<StepLoopResult> {
  let savedStep = t.step;
  let last: StepMetrics | null = null;
  let busyMs = 0;

  const preview = async () => {
    const { batch, columns, seed } = await t.preview();
    await sink({ type: 'preview', step: t.step, seed, batch, columns });
  };
  const save = async () => {
    await sink({ type: 'checkpoint', checkpoint: await t.toCheckpoint() });
    savedStep = t.step;
    await preview();
  };

  // At the start, and again on resume: a run resumed after a crash between a checkpoint and its preview still has every picture.
  await preview();
  while (t.step < plan.target) {
    // Between steps, so that pause and stop messages are heard.
    await yieldToEventLoop();
    if (control.pauseRequested && !control.stopRequested) {
      // Saved on pause so that closing the app while paused loses nothing.
      if (savedStep !== t.step) await save();
      await sink({ type: 'paused', step: t.step });
      await control.waitForResume();
      if (!control.stopRequested) await sink({ type: 'resumed', step: t.step });
    }
    if (control.stopRequested) break;
    last = await t.trainStep();
    busyMs += last.ms;
    await sink({ type: 'step', metrics: last });
    const losses = [last.dLoss, last.gLoss, last.content].filter((x): x is number => x != null);
    if (!losses.every(Number.isFinite)) {
      throw new StudioError(`training diverged at step ${last.step} (losses ${losses.join('/')}); resume from the last checkpoint with a lower learning rate`);
    }
    if (t.step % plan.checkpointEvery === 0 || t.milestones?.includes(t.step)) await save();
    else if (t.step % plan.previewEvery === 0) await preview();
  }
  if (savedStep !== t.step) await save();
  return { last, busyMs };
}
