/**
 * A run's training loop: load, restore, train, checkpoint, draw previews.
 * It runs inside a worker thread (worker.ts) and yields between steps so
 * pause and stop messages are heard.
 */
import { useBackend } from '../engine/backends.js';
import { Trainer, type StepMetrics } from '../engine/trainer.js';
import { loadDataset } from '../datasets/index.js';
import { StudioError, messageOf } from '../errors.js';
import { writeFileAtomic } from '../fsx.js';
import { RunStore } from '../runs/store.js';
import { Evaluator } from '../evaluation/evaluator.js';
import { previewGrid, previewSeed } from './preview.js';
import type { RunSummary, TrainJob, TrainingEvent } from './protocol.js';

export interface LoopControl {
  readonly stopRequested: boolean;
  readonly pauseRequested: boolean;
  /** Resolves when the run may go on (resumed or stopped). */
  waitForResume(): Promise<void>;
}

const METRICS_FLUSH_MS = 2000;
/** How long a finished run waits for its last evaluation before closing without it. */
const FINAL_EVALUATION_MS = 120_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runTrainingJob(job: TrainJob, control: LoopControl, emit: (e: TrainingEvent) => void): Promise<RunSummary> {
  const store = new RunStore(job.home);
  try {
    return await train(store, job, control, emit);
  } finally {
    store.close();
  }
}

async function train(store: RunStore, job: TrainJob, control: LoopControl, emit: (e: TrainingEvent) => void): Promise<RunSummary> {
  const record = store.get(job.runId);
  const id = record.id;
  if (record.status === 'running' || record.status === 'paused') {
    throw new StudioError(`run ${id} is already training (process ${record.pid})`);
  }
  const config = record.config;
  let trainer: Trainer | null = null;
  let started = false;
  const evaluator =
    job.evaluate === false
      ? null
      : new Evaluator({
          result: (evaluation) => {
            store.recordEvaluation(id, evaluation);
            emit({ type: 'evaluation', evaluation });
          },
          note: (message) => emit({ type: 'warning', message }),
        });
  try {
    const backend = await useBackend(config.backend);
    const data = loadDataset(store.db, job.home, config.dataset);
    let from = null;
    if (job.resume) {
      from = store.latestCheckpoint(id, (m) => emit({ type: 'warning', message: `skipped a damaged checkpoint: ${m}` }));
      if (!from && record.step > 0) emit({ type: 'warning', message: `run ${id} has no readable checkpoint; training restarts at step 0` });
    }
    const t = Trainer.create(config, data, from ?? undefined);
    trainer = t;
    const start = t.step;
    store.truncateMetrics(id, start);
    store.discardCheckpointsAfter(id, start);
    const target = job.resume && job.addSteps != null ? start + job.addSteps : job.resume ? record.targetSteps : config.steps;
    if (start >= target) {
      throw new StudioError(`run ${id} is already at step ${start} of ${target}; pass --steps N to train N more`);
    }
    store.update(id, { status: 'running', pid: process.pid, backend: backend.detail, targetSteps: target, step: start, error: null });
    started = true;
    emit({ type: 'started', run: id, backend, step: start, target, resumedFrom: from ? from.step : null });

    const previewEvery = job.previewEvery ?? Math.min(50, config.checkpointEvery);
    const pending: StepMetrics[] = [];
    let lastFlush = performance.now();
    let last: StepMetrics | null = null;
    let checkpoint: string | null = null;
    let savedStep = start;
    let busyMs = 0;

    const flush = () => {
      store.appendMetrics(id, pending.splice(0));
      lastFlush = performance.now();
    };
    const save = async () => {
      flush();
      checkpoint = store.saveCheckpoint(id, t.toCheckpoint());
      savedStep = t.step;
      store.update(id, { step: t.step });
      emit({ type: 'checkpoint', step: t.step, path: checkpoint });
      evaluator?.request({ home: job.home, dataset: config.dataset, step: t.step, checkpoint });
      await preview();
    };
    const preview = async () => {
      const path = store.samplePath(id, t.step);
      writeFileAtomic(path, await previewGrid(t));
      store.addSample(id, t.step, previewSeed(t), path);
      emit({ type: 'preview', step: t.step, path });
    };

    if (start === 0) await preview();
    while (t.step < target) {
      await yieldToEventLoop();
      if (control.pauseRequested && !control.stopRequested) {
        // Saved on pause so that closing the app while paused loses nothing.
        if (savedStep !== t.step) await save();
        store.update(id, { status: 'paused' });
        emit({ type: 'paused', step: t.step });
        await control.waitForResume();
        if (!control.stopRequested) {
          store.update(id, { status: 'running' });
          emit({ type: 'resumed', step: t.step });
        }
      }
      if (control.stopRequested) break;
      last = t.trainStep();
      busyMs += last.ms;
      pending.push(last);
      emit({ type: 'step', metrics: last, target });
      if (!Number.isFinite(last.dLoss) || !Number.isFinite(last.gLoss)) {
        flush();
        throw new StudioError(
          `training diverged at step ${last.step} (loss is ${last.dLoss}/${last.gLoss}); resume from the last checkpoint with a lower learning rate`,
        );
      }
      if (t.step % config.checkpointEvery === 0) await save();
      else if (t.step % previewEvery === 0) await preview();
      if (performance.now() - lastFlush > METRICS_FLUSH_MS) flush();
    }
    if (savedStep !== t.step) await save();
    flush();
    // A person who pressed stop is not kept waiting for a report card.
    await evaluator?.drain(control.stopRequested ? 5000 : FINAL_EVALUATION_MS);
    const status = t.step >= target ? 'completed' : 'stopped';
    store.update(id, { status, pid: null, step: t.step });
    const trained = t.step - start;
    return {
      run: id,
      status,
      steps: t.step,
      trained,
      seconds: busyMs / 1000,
      imagesPerSec: busyMs > 0 ? (trained * config.batch * 1000) / busyMs : 0,
      backend: backend.name,
      final: last,
      checkpoint,
    };
  } catch (err) {
    // A run that never started (bad request) keeps its state; one that broke mid-way says why.
    if (started) store.update(id, { status: 'failed', pid: null, error: messageOf(err) });
    throw err;
  } finally {
    trainer?.dispose();
    await evaluator?.close();
  }
}
