/** `gan-studio train` and `gan-studio resume`: a run in a worker, a progress bar or JSON lines. */
import { ZodError } from 'zod';
import { resolveConfig, type TrainConfig, type TrainConfigInput } from '../families/run-config.js';
import { requireBackend } from '../engine/backends.js';
import { StudioError } from '../errors.js';
import { RunStore } from '../runs/store.js';
import { studioHome } from '../runs/home.js';
import { StudioService } from '../service/studio-service.js';
import { familyOfConfig } from '../families/registry.js';
import type { CommandResult, StudioEvents } from '../service/contract.js';
import type { RunSummary } from '../training/protocol.js';
import type { StepMetrics } from '../engine/step-metrics.js';
import { backendChoice, explainConfigError, int, num, onOff, parseOptions } from './options.js';
import { STATUS_WINDOW, trainingStatus } from '../evaluation/status.js';
import type { Evaluation } from '../evaluation/evaluation.js';
import { describeEvaluation } from '../families/describe-evaluation.js';
import { ProgressBar, stepFigures } from './progress.js';
import { describeReach } from '../service/describe-estimate.js';
import { estimateCommand } from './estimate.js';
import { REDIS_OPTIONS, redisTarget } from './remote-options.js';
import type { RedisTarget } from '../remote/connection.js';
import { PRIORITIES, type Priority } from '../remote/priorities.js';

/** Training on a worker: queued on the studio's Redis (at a priority, after a delay); --detach returns once it is queued. */
export const REMOTE_OPTIONS = { ...REDIS_OPTIONS, remote: { type: 'boolean' }, detach: { type: 'boolean' }, priority: { type: 'string' }, delay: { type: 'string' } } as const;

export const TRAIN_OPTIONS = {
  ...REMOTE_OPTIONS,
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
  // Time to quality: measure and say what the run would take, and start nothing.
  estimate: { type: 'boolean' },
  fid: { type: 'string' },
  // Fine-tuning: start from an earlier run's weights.
  from: { type: 'string' },
  'freeze-d': { type: 'string' },
  // Text-to-image (--model text).
  'encoder-steps': { type: 'string' },
  interpolate: { type: 'string' },
  // Super-resolution (--task superres).
  task: { type: 'string' },
  scale: { type: 'string' },
  crop: { type: 'string' },
  downscale: { type: 'string' },
  degradation: { type: 'string' },
  'psnr-steps': { type: 'string' },
  blocks: { type: 'string' },
  feats: { type: 'string' },
  'd-width': { type: 'string' },
  'content-weight': { type: 'string' },
  'adv-weight': { type: 'string' },
  'fm-weight': { type: 'string' },
  'adv-loss': { type: 'string' },
  flips: { type: 'string' },
  schedule: { type: 'string' },
  // Translation (--task pix2pix|cyclegan); --adv-weight, --blocks and --flips are shared with super-resolution.
  source: { type: 'string' },
  'dataset-b': { type: 'string' },
  'class-a': { type: 'string' },
  'class-b': { type: 'string' },
  ngf: { type: 'string' },
  ndf: { type: 'string' },
  norm: { type: 'string' },
  dropout: { type: 'string' },
  'l1-weight': { type: 'string' },
  'cycle-weight': { type: 'string' },
  identity: { type: 'string' },
  pool: { type: 'string' },
  decay: { type: 'string' },
  'canny-sigma': { type: 'string' },
  'canny-low': { type: 'string' },
  'canny-high': { type: 'string' },
  'mask-size': { type: 'string' },
} as const;

const SHARED_FLAGS = ['adv-weight', 'blocks', 'flips'] as const;
const TRANSLATE_FLAGS = ['source', 'dataset-b', 'class-a', 'class-b', 'ngf', 'ndf', 'norm', 'l1-weight', 'cycle-weight', 'identity', 'pool', 'decay', 'canny-sigma', 'canny-low', 'canny-high', 'mask-size'] as const;

/** The translation settings given on the command line. */
function translateOptions(o: Partial<Record<(typeof TRANSLATE_FLAGS)[number] | (typeof SHARED_FLAGS)[number] | 'dropout', string>>): TrainConfigInput['translate'] {
  return {
    source: o.source as 'gray' | 'edges' | 'mask' | 'pairs' | undefined,
    datasetB: o['dataset-b'],
    classA: o['class-a'],
    classB: o['class-b'],
    ngf: int('ngf', o.ngf),
    ndf: int('ndf', o.ndf),
    norm: o.norm as 'instance' | 'batch' | undefined,
    dropout: num('dropout', o.dropout),
    l1Weight: num('l1-weight', o['l1-weight']),
    advWeight: num('adv-weight', o['adv-weight']),
    cycleWeight: num('cycle-weight', o['cycle-weight']),
    identity: num('identity', o.identity),
    blocks: int('blocks', o.blocks),
    pool: int('pool', o.pool, 0),
    flips: onOff('flips', o.flips),
    decay: o.decay as 'linear' | 'constant' | undefined,
    cannySigma: num('canny-sigma', o['canny-sigma']),
    cannyLow: num('canny-low', o['canny-low']),
    cannyHigh: num('canny-high', o['canny-high']),
    maskSize: num('mask-size', o['mask-size']),
  };
}

const SR_FLAGS = ['scale', 'crop', 'downscale', 'degradation', 'psnr-steps', 'blocks', 'feats', 'd-width', 'content-weight', 'adv-weight', 'fm-weight', 'adv-loss', 'flips', 'schedule'] as const;

/** The super-resolution settings given on the command line; the rest come from the defaults. */
function superResOptions(o: Partial<Record<(typeof SR_FLAGS)[number], string>>): TrainConfigInput['superres'] {
  return {
    scale: int('scale', o.scale) as 2 | 4 | undefined,
    crop: int('crop', o.crop) as 28 | 32 | 64 | 128 | undefined,
    downscale: o.downscale as 'area' | 'bicubic' | undefined,
    degradation: o.degradation as 'none' | 'realistic' | undefined,
    psnrSteps: int('psnr-steps', o['psnr-steps'], 0),
    blocks: int('blocks', o.blocks),
    feats: int('feats', o.feats),
    dWidth: int('d-width', o['d-width']),
    contentWeight: num('content-weight', o['content-weight']),
    advWeight: num('adv-weight', o['adv-weight']),
    fmWeight: num('fm-weight', o['fm-weight']),
    advLoss: o['adv-loss'] as 'ragan' | 'bce' | undefined,
    flips: onOff('flips', o.flips),
    schedule: o.schedule as 'cosine' | 'constant' | undefined,
  };
}

const RESUME_OPTIONS = {
  ...REMOTE_OPTIONS,
  run: { type: 'string' },
  steps: { type: 'string' },
  'sample-every': { type: 'string' },
  json: { type: 'boolean' },
  // Text-to-image (--model text).
  'encoder-steps': { type: 'string' },
  interpolate: { type: 'string' },
} as const;

function metricsJson(m: StepMetrics) {
  return {
    step: m.step,
    ...(m.content != null ? { content_loss: m.content } : {}),
    ...(m.encoder != null ? { encoder_loss: m.encoder } : {}),
    d_loss: m.dLoss,
    g_loss: m.gLoss,
    d_real: m.dReal,
    d_fake: m.dFake,
    acc_real: m.accReal,
    acc_fake: m.accFake,
    ...(m.augmentP != null ? { augment_p: m.augmentP } : {}),
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
    ...(e.fidelity
      ? { psnr: e.fidelity.psnr, ssim: e.fidelity.ssim, psnr_bicubic: e.fidelity.psnrBicubic, ssim_bicubic: e.fidelity.ssimBicubic, fid_bicubic: e.fidelity.fidBicubic, held_out_images: e.fidelity.images }
      : {}),
    ...(e.translation ? { translation: e.translation } : {}),
    judge: e.judge,
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

/** --encoder-steps and --interpolate belong to --model text. */
function textOptions(o: { model?: string; 'encoder-steps'?: string; interpolate?: string }): Pick<TrainConfigInput, 'text'> {
  const given = (['encoder-steps', 'interpolate'] as const).filter((f) => o[f] !== undefined);
  if (o.model !== 'text') {
    if (given.length) throw new StudioError(`--${given[0]} is a text-to-image setting; add --model text`);
    return {};
  }
  return { text: { encoderSteps: int('encoder-steps', o['encoder-steps']), interpolate: num('interpolate', o.interpolate) } };
}

/**
 * The run's configuration from train's options (sweep's too): as given
 * (`input`, what a sweep varies) and resolved, with errors that name the flags.
 */
export function configFromOptions(o: ReturnType<typeof parseOptions<typeof TRAIN_OPTIONS>>): { input: TrainConfigInput; config: TrainConfig } {
  const dataset = o.dataset ?? 'builtin:mnist';
  try {
    const task = (o.task ?? 'generate') as TrainConfig['task'];
    const translating = task === 'pix2pix' || task === 'cyclegan';
    const srGiven = SR_FLAGS.filter((f) => o[f] !== undefined && !(translating && (SHARED_FLAGS as readonly string[]).includes(f)));
    if (task !== 'superres' && srGiven.length) throw new StudioError(`--${srGiven[0]} is a super-resolution setting; add --task superres`);
    const trGiven = TRANSLATE_FLAGS.filter((f) => o[f] !== undefined);
    if (!translating && trGiven.length) throw new StudioError(`--${trGiven[0]} is a translation setting; add --task pix2pix or --task cyclegan`);
    const input: TrainConfigInput = {
      task,
      ...(task === 'superres' ? { superres: superResOptions(o) } : {}),
      ...(translating ? { translate: translateOptions(o) } : {}),
      ...textOptions(o),
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
      freezeD: int('freeze-d', o['freeze-d'], 0),
    };
    return { input, config: resolveConfig(input) };
  } catch (err) {
    if (err instanceof ZodError) throw explainConfigError(err);
    throw err;
  }
}

export async function trainCommand(args: string[]): Promise<number> {
  const o = parseOptions('train', args, TRAIN_OPTIONS);
  const { config } = configFromOptions(o);
  const remote = remoteOf(o);
  // Refused before a run is created; a worker elsewhere checks its own.
  if (config.backend !== 'auto' && !remote) await requireBackend(config.backend);
  const home = studioHome();
  const from = o.from;
  const fid = num('fid', o.fid);
  if (fid !== undefined && !(fid > 0)) throw new StudioError(`--fid is the FID to reach, a positive number; got "${o.fid}"`);
  // A run started from another trains its family: its task is the parent's unless --task says otherwise (and is refused).
  const settings = async (service: StudioService) => {
    if (from === undefined) return { ok: true as const, config, from: undefined };
    const parent = await service.call('runs.show', { id: from });
    if (!parent.ok) return parent;
    return { ok: true as const, config: o.task ? config : configFromOptions({ ...o, task: parent.value.config.task }).config, from: parent.value.id };
  };
  if (o.estimate) {
    if (remote) throw new StudioError('--estimate measures this machine: leave out --remote');
    return estimateCommand(home, !!o.json, fid, settings);
  }
  return runThroughService(home, o, remote, int('sample-every', o['sample-every']), async (service) => {
    const s = await settings(service);
    if (!s.ok) return s;
    // What finished runs like it needed, before it starts: a table read, nothing measured.
    const known = await service.call('runs.estimate', { config: s.config, from: s.from, measure: false, fid });
    if (known.ok && known.value.reach && !o.json) console.error(`expected: ${describeReach(known.value)}`);
    return service.call('runs.create', { config: s.config, from: s.from, start: true, remote: !!remote, queue: queueSpot(o) });
  });
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
  const remote = remoteOf(o);
  return runThroughService(home, o, remote, int('sample-every', o['sample-every']), (service) => service.call('runs.resume', { id, steps, remote: !!remote, queue: queueSpot(o) }));
}

type RemoteFlags = { remote?: boolean; detach?: boolean; redis?: string; tls?: boolean; priority?: string; delay?: string };

/**
 * --remote: null for training here; else the Redis named (--redis or
 * GAN_STUDIO_REDIS), or none for the one saved in the studio's Settings.
 * The Redis and queue flags without --remote are a mistake worth saying.
 */
export function remoteOf(o: RemoteFlags): { redis: RedisTarget | undefined } | null {
  if (!o.remote) {
    const stray = (['redis', 'detach', 'priority', 'delay'] as const).find((f) => o[f] !== undefined && o[f] !== false);
    if (stray) throw new StudioError(`--${stray} goes with --remote (training on a worker)`);
    return null;
  }
  return { redis: redisTarget(o) };
}

/** --priority and --delay: the run's place in the remote queue, when either is given. */
export function queueSpot(o: RemoteFlags): { priority?: Priority; delayMinutes?: number } | undefined {
  if (o.priority === undefined && o.delay === undefined) return undefined;
  if (o.priority !== undefined && !(PRIORITIES as readonly string[]).includes(o.priority)) throw new StudioError(`--priority must be ${PRIORITIES.join(', ')}; got "${o.priority}"`);
  const delayMinutes = num('delay', o.delay);
  if (delayMinutes !== undefined && (delayMinutes < 0 || delayMinutes > 7 * 24 * 60)) throw new StudioError(`--delay is minutes from 0 to ${7 * 24 * 60} (a week); got "${o.delay}"`);
  return { priority: o.priority as Priority | undefined, delayMinutes };
}

/** A training run driven through the studio service, shown as a progress bar or JSON lines. */
async function runThroughService(
  home: string,
  o: { json?: boolean; detach?: boolean },
  remote: { redis: RedisTarget | undefined } | null,
  previewEvery: number | undefined,
  begin: (service: StudioService) => Promise<CommandResult<'runs.create' | 'runs.resume'>>,
): Promise<number> {
  const json = !!o.json;
  const tty = !json && process.stderr.isTTY;
  let bar: ProgressBar | null = null;
  let lastLogged = 0;
  let runId: string | null = null;
  const say = (text: string) => (bar ? bar.interrupt(text) : console.error(text));
  const mine = (id: string) => runId === null || id === runId;
  const service = new StudioService(home, { previewEvery, redis: remote?.redis });
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
        `step ${m.step}/${target}  ${stepFigures(m)}  ${m.imagesPerSec.toFixed(0)} img/s`,
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
    if (o.detach) {
      if (json) console.log(JSON.stringify({ type: 'queued', run: runId }));
      else console.error(`run ${runId} is queued on ${remote ? 'the workers' : 'this machine'}; the studio keeps what it trains whenever it is open (gan-studio runs show ${runId})`);
      return 0;
    }
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
          (f ? `; ${stepFigures(f)}` : ''),
      );
      console.error(
        summary.status === 'completed'
          ? familyOfConfig(service.store.get(summary.run).config).nextStep(summary.run)
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

