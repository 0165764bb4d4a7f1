/**
 * `gan-studio project`: images into a GAN run's latent space (each image's
 * reconstruction as PNG, its latent as JSON). `gan-studio edit`: one image
 * projected (or a latent from project's JSON) moved along a named direction —
 * an attribute the studio reads (a class, thickness, slant) or a principal
 * direction pc1…pc6 — and written as PNG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import { Trainer } from '../families/gan/trainer.js';
import { StudioError, messageOf } from '../errors.js';
import { datasetDir } from '../datasets/store.js';
import { isBuiltin } from '../datasets/index.js';
import { judgeFileOf } from '../evaluation/judges.js';
import { editJob, encoderJob, networkAt, projectJob } from '../generation/latent-jobs.js';
import type { CheckpointRef } from '../generation/protocol.js';
import { attributeDirections, principalDirections } from '../latent/attribute-directions.js';
import { ENCODER_STEPS, PROJECT_STARTS, PROJECT_STEPS } from '../latent/defaults.js';
import { studioHome } from '../runs/home.js';
import { RunStore } from '../runs/store.js';
import { backendChoice, int, num, parseOptions, splitPositionals } from './options.js';
import { barOf } from './progress.js';
import { pngNames, readImageFiles } from './image-files.js';
import { openRunCheckpoint } from './run-generator.js';

const COMMON = {
  run: { type: 'string' },
  out: { type: 'string' },
  steps: { type: 'string' },
  starts: { type: 'string' },
  encoder: { type: 'boolean' },
  'judge-weight': { type: 'string' },
  'd-weight': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const EDIT = { ...COMMON, direction: { type: 'string' }, amount: { type: 'string' }, keep: { type: 'string', multiple: true } } as const;

interface Opened {
  id: string;
  trainer: Trainer;
  ckpt: CheckpointRef;
  judgePath: string | null;
  encoderPath: string;
  background: string;
}

async function open(command: string, o: { run?: string; backend?: string }): Promise<Opened> {
  const { record, checkpoint } = await openRunCheckpoint(o.run, command, backendChoice(o.backend) ?? 'auto');
  requireCapability(familyOfSpec(checkpoint.spec), 'edit', record.id);
  const store = new RunStore(studioHome());
  try {
    const dataset = record.config.dataset;
    return {
      id: record.id,
      trainer: Trainer.fromCheckpoint(checkpoint),
      ckpt: { path: store.checkpointPath(record.id, checkpoint.step), step: checkpoint.step },
      judgePath: judgeFileOf(dataset, datasetDir(store.db, studioHome(), dataset)),
      encoderPath: store.encoderPath(record.id, checkpoint.step),
      background: isBuiltin(dataset) ? '#000000' : '#ffffff',
    };
  } finally {
    store.close();
  }
}

/** Projects one image, from the run's encoder when it has one (trained first with --encoder). */
async function projectOne(m: Opened, file: string, image: Buffer, o: { steps?: string; starts?: string; encoder?: boolean; 'judge-weight'?: string; 'd-weight'?: string; json?: boolean }) {
  const tty = !o.json && process.stderr.isTTY;
  if (o.encoder) {
    mkdirSync(dirname(m.encoderPath), { recursive: true });
    await encoderJob(m.trainer, { kind: 'encoder', ckpt: m.ckpt, path: m.encoderPath, steps: ENCODER_STEPS, retrain: false, ticket: null }, (p) => tty && process.stderr.write(`\r${barOf(p.done / p.total)} training the run's encoder ${p.done}/${p.total}`), () => false);
    if (tty) process.stderr.write('\n');
  }
  const r = await projectJob(
    m.trainer,
    {
      kind: 'project',
      ckpt: m.ckpt,
      image: new Uint8Array(image),
      background: m.background,
      name: file,
      steps: int('steps', o.steps) ?? PROJECT_STEPS,
      starts: int('starts', o.starts) ?? PROJECT_STARTS,
      weights: { judge: weight('judge-weight', o['judge-weight']), d: weight('d-weight', o['d-weight']) },
      encoderPath: m.encoderPath,
      judgePath: m.judgePath,
      ticket: null,
    },
    (p) => tty && process.stderr.write(`\r${barOf(p.done / p.total)} ${basename(file)} step ${p.done}/${p.total} distance ${p.distance?.toFixed(4)}`),
    () => false,
  );
  if (tty) process.stderr.write('\n');
  return r;
}

export async function projectCommand(args: string[]): Promise<number> {
  const { positionals: files, flags } = splitPositionals(args, COMMON);
  const o = parseOptions('project', flags, COMMON);
  if (!o.out) throw new StudioError('project: --out DIR is required');
  if (files.length === 0) throw new StudioError('project: name one or more images to project');
  const inputs = await readImageFiles(files, async (buf) => buf);
  const m = await open('project', o);
  try {
    const out = resolve(o.out);
    mkdirSync(out, { recursive: true });
    const nameOf = pngNames();
    for (const { file, input } of inputs) {
      const r = await projectOne(m, file, input, o);
      const png = join(out, nameOf(file));
      const json = png.replace(/\.png$/, '.json');
      writeFileSync(png, r.png);
      const summary = { type: 'projected', run: m.id, step: m.ckpt.step, input: file, output: png, latentFile: json, psnr: round(r.psnr), judgeDistance: r.judgeDistance === null ? null : round(r.judgeDistance), classLabel: r.classLabel, encoder: r.encoder, seconds: round(r.ms / 1000) };
      writeFileSync(json, JSON.stringify({ run: m.id, step: m.ckpt.step, latent: Array.from(r.z), classLabel: r.classLabel, psnr: r.psnr }) + '\n');
      if (o.json) console.log(JSON.stringify(summary));
      else console.error(`${file} → ${png} (PSNR ${summary.psnr} dB, ${summary.seconds} s); latent in ${json}`);
    }
  } finally {
    m.trainer.dispose();
  }
  return 0;
}

/** A latent from project's JSON (refused if it belongs to another run), or null for an image. */
function latentFile(file: string, buf: Buffer, run: string, zDim: number): { latent: Float32Array; classLabel: number | null } | null {
  if (extname(file).toLowerCase() !== '.json') return null;
  let j: { run?: string; latent?: unknown; classLabel?: unknown };
  try {
    j = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new StudioError(`${file} is not a latent file from gan-studio project: ${messageOf(err)}`);
  }
  if (j.run !== run) throw new StudioError(`${file} holds a latent of run ${j.run}, not of run ${run}`);
  if (!Array.isArray(j.latent) || j.latent.length !== zDim || !j.latent.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new StudioError(`${file} has no latent of ${zDim} numbers`);
  return { latent: Float32Array.from(j.latent as number[]), classLabel: typeof j.classLabel === 'number' ? j.classLabel : null };
}

export async function editCommand(args: string[]): Promise<number> {
  const { positionals: files, flags } = splitPositionals(args, EDIT);
  const o = parseOptions('edit', flags, EDIT);
  if (!o.out) throw new StudioError('edit: --out FILE is required');
  if (files.length !== 1) throw new StudioError('edit: name one image (or a latent .json from gan-studio project) to edit');
  if (!o.direction) throw new StudioError('edit: --direction NAME is required (an attribute such as a class name, thickness or slant, or pc1…pc6)');
  const amount = num('amount', o.amount) ?? 3;
  if (Math.abs(amount) > 10) throw new StudioError('--amount must be between -10 and 10 (standard deviations)');
  const [{ file, input }] = await readImageFiles(files, async (buf) => buf);
  const m = await open('edit', o);
  try {
    const zDim = m.trainer.spec.zDim;
    const given = latentFile(file, input, m.id, zDim);
    const start = given !== null ? given : await projectOne(m, file, input, o).then((r) => ({ latent: r.z, classLabel: r.classLabel }));
    const name = o.direction;
    let direction: Float32Array;
    let thresholds: Record<string, number> = {};
    const pc = /^pc(\d+)$/.exec(name);
    if (pc) {
      const k = Number(pc[1]);
      if (k < 1 || k > 16) throw new StudioError('principal directions are pc1 to pc16');
      direction = (await principalDirections(m.trainer, k, 400, 1)).directions[k - 1];
    } else {
      const found = await attributeDirections(m.trainer, networkAt(m.judgePath), { keep: o.keep ?? [] });
      const d = found.find((a) => a.name === name);
      if (!d) throw new StudioError(`run ${m.id} has no direction "${name}"; it has ${[...found.map((a) => a.name), 'pc1…pc6'].join(', ')}`);
      direction = d.direction;
      thresholds = Object.fromEntries(found.map((a) => [a.name, a.threshold]));
    }
    const edit = (a: number) => {
      const z = Float32Array.from(start.latent, (v, i) => v + a * direction[i]);
      return editJob(m.trainer, { kind: 'edit', ckpt: m.ckpt, z, classLabel: start.classLabel, classTo: null, mix: 0, judgePath: m.judgePath, thresholds });
    };
    const [before, after] = [await edit(0), await edit(amount)];
    const out = resolve(o.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, after.png);
    const summary = { type: 'edited', run: m.id, step: m.ckpt.step, input: file, output: out, direction: name, amount, before: rounded(before.readings), after: rounded(after.readings) };
    if (o.json) console.log(JSON.stringify(summary));
    else {
      console.error(`${file} → ${out} (${name} ${amount >= 0 ? '+' : ''}${amount} σ)`);
      for (const k of Object.keys(after.readings)) console.error(`  ${k}: ${summary.before[k]} → ${summary.after[k]}`);
    }
  } finally {
    m.trainer.dispose();
  }
  return 0;
}

/** A distance weight: a number ≥ 0, or undefined for the default. */
function weight(name: string, value: string | undefined): number | undefined {
  const w = num(name, value);
  if (w !== undefined && w < 0) throw new StudioError(`--${name} must be 0 or more, got "${value}"`);
  return w;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const rounded = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
