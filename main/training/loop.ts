/**
 * A run's training as its host sees it: load the dataset and the checkpoint,
 * have a step engine train (step-host.ts: here, or in a browser worker), and
 * keep what it hands out — metric rows, checkpoint files, preview grids —
 * in the run's folder and the database, with the evaluator measuring each
 * checkpoint beside it. It runs inside a worker thread (worker.ts).
 */
import type { StepMetrics } from '../engine/step-metrics.js';
import type { RunStepSink } from '../families/run-checkpoint.js';
import { familyOfConfig } from '../families/registry.js';
import { loadDataset } from '../datasets/index.js';
import { applySubset } from '../datasets/subset.js';
import { StudioError, messageOf } from '../errors.js';
import { gridPng } from '../images/png.js';
import { RunStore } from '../runs/store.js';
import { RunRecorder } from './recorder.js';
import type { RunControl } from './control.js';
import { LocalStepEngine, type StepEngine } from './step-host.js';
import type { RunSummary, TrainJob, TrainingEvent } from './protocol.js';

const METRICS_FLUSH_MS = 2000;
/** How long a finished run waits for its last evaluation before closing without it. */
const FINAL_EVALUATION_MS = 120_000;

export async function runTrainingJob(
  job: TrainJob,
  control: RunControl,
  emit: (e: TrainingEvent) => void,
  engine: StepEngine = new LocalStepEngine(),
): Promise<RunSummary> {
  const store = new RunStore(job.home);
  try {
    return await train(store, job, control, emit, engine);
  } finally {
    store.close();
  }
}

async function train(store: RunStore, job: TrainJob, control: RunControl, emit: (e: TrainingEvent) => void, engine: StepEngine): Promise<RunSummary> {
  const record = store.get(job.runId);
  const id = record.id;
  if (record.status === 'running' || record.status === 'paused') {
    throw new StudioError(`run ${id} is already training (process ${record.pid})`);
  }
  const config = record.config;
  let started = false;
  const recorder = new RunRecorder(store, id, job.home, config.dataset, emit, job.evaluate !== false);
  const evaluator = recorder.evaluator;
  try {
    const data = applySubset(loadDataset(store.db, job.home, config.dataset), config.subset);
    const nameB = familyOfConfig(config).secondDataset?.(config);
    const dataB = nameB ? loadDataset(store.db, job.home, nameB) : null;
    let from = null;
    if (job.resume) {
      from = store.latestCheckpoint(id, (m) => emit({ type: 'warning', message: `skipped a damaged checkpoint: ${m}` }));
      if (!from && record.step > 0) emit({ type: 'warning', message: `run ${id} has no readable checkpoint; training restarts at step 0` });
    }
    const { backend, step: start } = await engine.prepare({ config, dataset: data, datasetB: dataB, from });
    store.truncateMetrics(id, start);
    store.discardCheckpointsAfter(id, start);
    const target = job.resume && job.addSteps != null ? start + job.addSteps : job.resume ? record.targetSteps : config.steps;
    if (start >= target) {
      throw new StudioError(`run ${id} is already at step ${start} of ${target}; pass --steps N to train N more`);
    }
    store.update(id, { status: 'running', pid: process.pid, backend: backend.detail, targetSteps: target, step: start, error: null });
    started = true;
    emit({ type: 'started', run: id, backend, step: start, target, resumedFrom: from ? from.step : null });

    const pending: StepMetrics[] = [];
    let lastFlush = performance.now();
    let checkpoint: string | null = null;
    let step = start;
    const flush = () => {
      store.appendMetrics(id, pending.splice(0));
      lastFlush = performance.now();
    };

    const keep: RunStepSink = async (e) => {
      switch (e.type) {
        case 'step':
          step = e.metrics.step;
          pending.push(e.metrics);
          emit({ type: 'step', metrics: e.metrics, target });
          if (performance.now() - lastFlush > METRICS_FLUSH_MS) flush();
          break;
        case 'checkpoint':
          flush();
          checkpoint = recorder.checkpoint(e.checkpoint);
          break;
        case 'preview':
          recorder.preview(e.step, e.seed, await gridPng(e.batch, { columns: e.columns }));
          break;
        case 'paused':
          store.update(id, { status: 'paused' });
          emit({ type: 'paused', step: e.step });
          break;
        case 'resumed':
          store.update(id, { status: 'running' });
          emit({ type: 'resumed', step: e.step });
          break;
      }
    };

    const previewEvery = job.previewEvery ?? Math.min(50, config.checkpointEvery);
    let result;
    try {
      result = await engine.run({ target, checkpointEvery: config.checkpointEvery, previewEvery }, control, keep);
    } finally {
      // A run that diverged keeps its metrics up to the step that did.
      flush();
    }
    // A person who pressed stop is not kept waiting for a report card.
    await evaluator?.drain(control.stopRequested ? 5000 : FINAL_EVALUATION_MS);
    const status = step >= target ? 'completed' : 'stopped';
    store.update(id, { status, pid: null, step });
    const trained = step - start;
    return {
      run: id,
      status,
      steps: step,
      trained,
      seconds: result.busyMs / 1000,
      imagesPerSec: result.busyMs > 0 ? (trained * config.batch * 1000) / result.busyMs : 0,
      backend: backend.name,
      final: result.last,
      checkpoint,
    };
  } catch (err) {
    // A run that never started (bad request) keeps its state; one that broke mid-way says why.
    if (started) store.update(id, { status: 'failed', pid: null, error: messageOf(err) });
    throw err;
  } finally {
    engine.dispose();
    await recorder.close();
  }
}
