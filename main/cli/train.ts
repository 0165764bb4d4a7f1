/** `gan-studio train` and `gan-studio resume`: a run in a worker, a progress bar or JSON lines. */
import { ZodError } from 'zod';
import { resolveConfig, type BackendChoice, type TrainConfig } from '../engine/config.js';
import { probeBackends } from '../engine/backends.js';
import { checkDatasetName } from '../datasets/index.js';
import { StudioError } from '../errors.js';
import { RunStore } from '../runs/store.js';
import { studioHome } from '../runs/home.js';
import { TrainingSession } from '../training/session.js';
import type { RunSummary, TrainJob, TrainingEvent } from '../training/protocol.js';
import type { StepMetrics } from '../engine/trainer.js';
import { backendChoice, explainConfigError, int, num, parseOptions } from './options.js';
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
  'checkpoint-every': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const RESUME_OPTIONS = {
  run: { type: 'string' },
  steps: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function metricsJson(m: StepMetrics) {
  return {
    step: m.step,
    d_loss: m.dLoss,
    g_loss: m.gLoss,
    d_real: m.dReal,
    d_fake: m.dFake,
    ms: Math.round(m.ms * 10) / 10,
    images_per_s: Math.round(m.imagesPerSec * 10) / 10,
  };
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

/** Fails before a run is created when a backend asked for by name cannot run here. */
async function checkBackend(choice: BackendChoice): Promise<void> {
  if (choice === 'auto') return;
  const status = (await probeBackends()).find((s) => s.name === choice)!;
  if (!status.available) throw new StudioError(`backend "${choice}" is not available: ${status.reason}`);
}

export async function trainCommand(args: string[]): Promise<number> {
  const o = parseOptions('train', args, TRAIN_OPTIONS);
  const dataset = o.dataset ?? 'builtin:mnist';
  checkDatasetName(dataset);
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
      checkpointEvery: int('checkpoint-every', o['checkpoint-every']),
      seed: int('seed', o.seed, 0),
      backend: backendChoice(o.backend),
    });
  } catch (err) {
    if (err instanceof ZodError) throw explainConfigError(err);
    throw err;
  }
  await checkBackend(config.backend);
  const home = studioHome();
  const store = new RunStore(home);
  const record = store.create(config);
  store.close();
  return runJob({ home, runId: record.id, resume: false }, !!o.json);
}

export async function resumeCommand(args: string[]): Promise<number> {
  const o = parseOptions('resume', args, RESUME_OPTIONS);
  if (!o.run) throw new StudioError('resume: --run ID is required; `gan-studio runs` lists them');
  const home = studioHome();
  const store = new RunStore(home);
  const record = store.get(o.run);
  store.close();
  return runJob({ home, runId: record.id, resume: true, addSteps: int('steps', o.steps) }, !!o.json);
}

async function runJob(job: TrainJob, json: boolean): Promise<number> {
  const tty = !json && process.stderr.isTTY;
  let bar: ProgressBar | null = null;
  let lastLogged = 0;
  const say = (text: string) => (bar ? bar.interrupt(text) : console.error(text));

  const onEvent = (e: TrainingEvent) => {
    if (json) {
      if (e.type === 'step') console.log(JSON.stringify({ type: 'step', ...metricsJson(e.metrics) }));
      else if (e.type === 'started') {
        console.log(JSON.stringify({ type: 'started', run: e.run, backend: e.backend.name, backend_detail: e.backend.detail, step: e.step, target: e.target }));
      } else if (e.type === 'checkpoint' || e.type === 'warning') console.log(JSON.stringify(e));
      return;
    }
    switch (e.type) {
      case 'started':
        console.error(
          `run ${e.run} on ${e.backend.name} (${e.backend.detail})` +
            (e.resumedFrom != null ? `, resumed at step ${e.resumedFrom}` : '') +
            ` → step ${e.target}`,
        );
        if (tty) bar = new ProgressBar(process.stderr, e.step, e.target);
        break;
      case 'step':
        if (bar) bar.update(e.metrics);
        else if (e.metrics.step - lastLogged >= Math.max(1, Math.floor(e.target / 20)) || e.metrics.step === e.target) {
          lastLogged = e.metrics.step;
          const m = e.metrics;
          console.error(
            `step ${m.step}/${e.target}  D ${m.dLoss.toFixed(3)} G ${m.gLoss.toFixed(3)}  D(x) ${m.dReal.toFixed(2)} D(G(z)) ${m.dFake.toFixed(2)}  ${m.imagesPerSec.toFixed(0)} img/s`,
          );
        }
        break;
      case 'warning':
        say(`warning: ${e.message}`);
        break;
      case 'paused':
        say(`paused at step ${e.step}`);
        break;
    }
  };

  const session = TrainingSession.start(job, onEvent);
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      say('stopping after this step and saving a checkpoint (Ctrl-C again to quit at once)…');
      void session.stop().catch(() => {});
    } else {
      void session.kill().then(() => process.exit(130));
    }
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await session.done;
    (bar as ProgressBar | null)?.end();
    if (json) console.log(JSON.stringify(summaryJson(summary)));
    else {
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
  } catch (err) {
    (bar as ProgressBar | null)?.end();
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
