/** `gan-studio train` and `gan-studio resume`: a run in a worker, a progress bar or JSON lines. */
import { ZodError } from 'zod';
import { resolveConfig, type TrainConfig } from '../engine/config.js';
import { requireBackend } from '../engine/backends.js';
import { StudioError } from '../errors.js';
import { RunStore } from '../runs/store.js';
import { studioHome } from '../runs/home.js';
import { StudioService } from '../service/studio-service.js';
import type { CommandResult, StudioEvents } from '../service/contract.js';
import type { RunSummary } from '../training/protocol.js';
import type { StepMetrics } from '../engine/trainer.js';
import { backendChoice, explainConfigError, int, num, onOff, parseOptions } from './options.js';
import { STATUS_WINDOW, trainingStatus } from '../evaluation/status.js';
import type { Evaluation } from '../evaluation/evaluation.js';
import { ProgressBar } from './progress.js';

const TRAIN_OPTIONS = {
  dataset: { type: 'string' },
  model: { type: 'string' },
  loss: { type: 'string' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  'd-steps': { type: 'string' },
  'lr-g': { type: 'string' },
  'lr-d': { type: 'string' },
  'z-dim': { type: 'string' },
  width: { type: 'string' },
  ema: { type: 'string' },
  preset: { type: 'string' },
  augment: { type: 'string' },
  'spectral-norm': { type: 'string' },
  r1: { type: 'string' },
  'label-smoothing': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  'sample-every': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const RESUME_OPTIONS = {
  run: { type: 'string' },
  steps: { type: 'string' },
  'sample-every': { type: 'string' },
  json: { type: 'boolean' },
} as const;

function metricsJson(m: StepMetrics) {
  return {
    step: m.step,
    d_loss: m.dLoss,
    g_loss: m.gLoss,
    d_real: m.dReal,
    d_fake: m.dFake,
    acc_real: m.accReal,
    acc_fake: m.accFake,
    ms: Math.round(m.ms * 10) / 10,
    images_per_s: Math.round(m.imagesPerSec * 10) / 10,
  };
}

function evaluationJson(e: Evaluation) {
  return {
    step: e.step,
    fid: e.fid,
    kid: e.kid,
    diversity: e.diversity,
    near_duplicates: e.nearDuplicates,
    classes_covered: e.classesCovered,
    num_classes: e.numClasses,
    class_accuracy: e.classAccuracy,
    judge: e.judge,
  };
}

/** One line a person can read: the judges' figures at a step. */
export function describeEvaluation(e: Evaluation): string {
  const parts = [`FID ${e.fid.toFixed(2)}`, `KID ${e.kid.toFixed(3)}`, `diversity ${e.diversity.toFixed(2)}`, `near-duplicates ${(e.nearDuplicates * 100).toFixed(1)}%`];
  if (e.classesCovered != null) parts.push(`classes ${e.classesCovered}/${e.numClasses}`);
  if (e.classAccuracy != null) parts.push(`class accuracy ${(e.classAccuracy * 100).toFixed(0)}%`);
  if (e.judge === 'random-features') parts.push('(random-feature judge: unlabelled data)');
  return parts.join(', ');
}

export function summaryJson(s: RunSummary) {
  const f = s.final;
  return {
    type: 'summary',
    run: s.run,
    status: s.status,
    steps: s.steps,
    trained: s.trained,
    seconds: Math.round(s.seconds * 10) / 10,
    images_per_s: Math.round(s.imagesPerSec * 10) / 10,
    backend: s.backend,
    d_loss: f?.dLoss ?? null,
    g_loss: f?.gLoss ?? null,
    d_real: f?.dReal ?? null,
    d_fake: f?.dFake ?? null,
    checkpoint: s.checkpoint,
  };
}

export async function trainCommand(args: string[]): Promise<number> {
  const o = parseOptions('train', args, TRAIN_OPTIONS);
  const dataset = o.dataset ?? 'builtin:mnist';
  let config: TrainConfig;
  try {
    config = resolveConfig({
      dataset,
      model: o.model as TrainConfig['model'] | undefined,
      loss: o.loss as TrainConfig['loss'] | undefined,
      steps: int('steps', o.steps),
      batch: int('batch', o.batch),
      dSteps: int('d-steps', o['d-steps']),
      lrG: num('lr-g', o['lr-g']),
      lrD: num('lr-d', o['lr-d']),
      zDim: int('z-dim', o['z-dim']),
      width: int('width', o.width),
      emaDecay: num('ema', o.ema),
      preset: o.preset as TrainConfig['preset'] | undefined,
      augment: o.augment as TrainConfig['augment'] | undefined,
      spectralNorm: onOff('spectral-norm', o['spectral-norm']),
      r1: num('r1', o.r1),
      labelSmoothing: num('label-smoothing', o['label-smoothing']),
      checkpointEvery: int('checkpoint-every', o['checkpoint-every']),
      seed: int('seed', o.seed, 0),
      backend: backendChoice(o.backend),
    });
  } catch (err) {
    if (err instanceof ZodError) throw explainConfigError(err);
    throw err;
  }
  // Refused before a run is created.
  if (config.backend !== 'auto') await requireBackend(config.backend);
  const home = studioHome();
  return runThroughService(home, !!o.json, int('sample-every', o['sample-every']), (service) => service.call('runs.create', { config, start: true }));
}

export async function resumeCommand(args: string[]): Promise<number> {
  const o = parseOptions('resume', args, RESUME_OPTIONS);
  if (!o.run) throw new StudioError('resume: --run ID is required; `gan-studio runs` lists them');
  const home = studioHome();
  const store = new RunStore(home);
  let id: string;
  try {
    // The CLI takes unique prefixes; the service wants whole ids.
    const r = store.get(o.run);
    id = r.id;
    if (r.status === 'completed' && o.steps === undefined) {
      throw new StudioError(`run ${id} is already at step ${r.step} of ${r.targetSteps}; pass --steps N to train N more`);
    }
  } finally {
    store.close();
  }
  const steps = int('steps', o.steps);
  return runThroughService(home, !!o.json, int('sample-every', o['sample-every']), (service) => service.call('runs.resume', { id, steps }));
}

/** A training run driven through the studio service, shown as a progress bar or JSON lines. */
async function runThroughService(home: string, json: boolean, previewEvery: number | undefined, begin: (service: StudioService) => Promise<CommandResult<'runs.create' | 'runs.resume'>>): Promise<number> {
  const tty = !json && process.stderr.isTTY;
  let bar: ProgressBar | null = null;
  let lastLogged = 0;
  let runId: string | null = null;
  const say = (text: string) => (bar ? bar.interrupt(text) : console.error(text));
  const mine = (id: string) => runId === null || id === runId;
  const service = new StudioService(home, { previewEvery });
  const recent: StepMetrics[] = [];
  let evaluation: Evaluation | null = null;

  service.on('run.started', (e) => {
    if (!mine(e.id)) return;
    if (json) {
      console.log(JSON.stringify({ type: 'started', run: e.id, backend: e.backend, backend_detail: e.backendDetail, step: e.step, target: e.target }));
      return;
    }
    console.error(`run ${e.id} on ${e.backend} (${e.backendDetail})${e.resumedFrom != null ? `, resumed at step ${e.resumedFrom}` : ''} → step ${e.target}`);
    if (tty) bar = new ProgressBar(process.stderr, e.step, e.target);
  });
  service.on('run.progress', ({ id, metrics: m, target }) => {
    if (!mine(id)) return;
    recent.push(m);
    if (recent.length > STATUS_WINDOW) recent.shift();
    if (json) console.log(JSON.stringify({ type: 'step', ...metricsJson(m) }));
    else if (bar) bar.update(m);
    else if (m.step - lastLogged >= Math.max(1, Math.floor(target / 20)) || m.step === target) {
      lastLogged = m.step;
      console.error(
        `step ${m.step}/${target}  D ${m.dLoss.toFixed(3)} G ${m.gLoss.toFixed(3)}  D(x) ${m.dReal.toFixed(2)} D(G(z)) ${m.dFake.toFixed(2)}  ${m.imagesPerSec.toFixed(0)} img/s`,
      );
    }
  });
  service.on('run.checkpoint', (e) => mine(e.id) && json && console.log(JSON.stringify({ type: 'checkpoint', step: e.step, path: e.path })));
  service.on('run.evaluation', (e) => {
    if (!mine(e.id)) return;
    evaluation = e.evaluation;
    if (json) console.log(JSON.stringify({ type: 'evaluation', ...evaluationJson(e.evaluation) }));
    else say(`step ${e.evaluation.step}: ${describeEvaluation(e.evaluation)} — ${trainingStatus(recent, e.evaluation).label}`);
  });
  service.on('run.warning', (e) => {
    if (!mine(e.id)) return;
    if (json) console.log(JSON.stringify({ type: 'warning', message: e.message }));
    else say(`warning: ${e.message}`);
  });
  const finished = new Promise<StudioEvents['run.finished']>((resolve) => service.on('run.finished', (e) => mine(e.id) && resolve(e)));

  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1 || !runId) process.exit(130);
    say('stopping after this step and saving a checkpoint (Ctrl-C again to quit at once)…');
    void service.call('runs.stop', { id: runId });
  };
  process.on('SIGINT', onSigint);
  try {
    const started = await begin(service);
    if (!started.ok) throw new StudioError(started.error.message);
    runId = started.value.id;
    const end = await finished;
    (bar as ProgressBar | null)?.end();
    if (!end.summary) throw new StudioError(end.error ?? 'training failed');
    const summary = end.summary;
    const status = trainingStatus(recent, evaluation);
    if (json) console.log(JSON.stringify({ ...summaryJson(summary), state: status.state, evaluation: evaluation && evaluationJson(evaluation) }));
    else {
      console.error(`status: ${status.label} — ${status.detail}`);
      if (evaluation) console.error(`judges at step ${(evaluation as Evaluation).step}: ${describeEvaluation(evaluation)}`);
      const f = summary.final;
      console.error(
        `${summary.status === 'completed' ? 'done' : 'stopped'}: run ${summary.run} at step ${summary.steps}, ` +
          `${summary.seconds.toFixed(1)} s, ${summary.imagesPerSec.toFixed(1)} img/s on ${summary.backend}` +
          (f ? `; D ${f.dLoss.toFixed(3)} G ${f.gLoss.toFixed(3)} D(x) ${f.dReal.toFixed(2)} D(G(z)) ${f.dFake.toFixed(2)}` : ''),
      );
      console.error(
        summary.status === 'completed'
          ? `samples: gan-studio sample --run ${summary.run} --count 64 --out samples`
          : `continue: gan-studio resume --run ${summary.run}`,
      );
    }
    return summary.status === 'completed' ? 0 : 130;
  } finally {
    (bar as ProgressBar | null)?.end();
    process.off('SIGINT', onSigint);
    await service.close();
  }
}
