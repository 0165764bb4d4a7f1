/**
 * `gan-studio project`: images into a GAN run's latent space (each image's
 * reconstruction as PNG, its latent as JSON). `gan-studio edit`: one image
 * projected (or a latent from project's JSON) moved along a named direction —
 * an attribute the studio reads (a class, thickness, slant) or a principal
 * direction pc1…pc6 — and written as PNG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { StudioError, messageOf } from '../errors.js';
import type { StudioService } from '../service/studio-service.js';
import { backendChoice, int, num, parseOptions, splitPositionals } from './options.js';
import { pngNames, readImageFiles, withTileBar } from './image-files.js';
import { call, runOf, ticketOf, withModelService } from './service-call.js';

const COMMON = {
  run: { type: 'string' },
  step: { type: 'string' },
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

type ProjectFlags = { step?: string; steps?: string; starts?: string; encoder?: boolean; 'judge-weight'?: string; 'd-weight'?: string; json?: boolean };

/** Projects one image, from the run's encoder when it has one (trained first with --encoder). */
async function projectOne(service: StudioService, id: string, file: string, image: string, o: ProjectFlags) {
  const step = int('step', o.step, 0);
  const tty = !o.json && process.stderr.isTTY;
  if (o.encoder) {
    const ticket = ticketOf('encoder');
    await withTileBar(
      tty,
      "the run's encoder",
      'training',
      (draw) => service.on('encoder.progress', (p) => p.ticket === ticket && draw(p.done, p.total)),
      () => call(service, 'latent.encoder', { id, step, ticket }),
    );
  }
  const judge = weight('judge-weight', o['judge-weight']);
  const d = weight('d-weight', o['d-weight']);
  const ticket = ticketOf('project');
  return withTileBar(
    tty,
    file,
    'step',
    (draw) => service.on('project.progress', (p) => p.ticket === ticket && draw(p.done, p.total, p.distance === null ? '' : ` distance ${p.distance.toFixed(4)}`)),
    () =>
      call(service, 'images.project', {
        id,
        step,
        image,
        name: file,
        steps: int('steps', o.steps),
        starts: int('starts', o.starts),
        weights: { ...(judge === undefined ? {} : { judge }), ...(d === undefined ? {} : { d }) },
        ticket,
      }),
  );
}

export async function projectCommand(args: string[]): Promise<number> {
  const { positionals: files, flags } = splitPositionals(args, COMMON);
  const o = parseOptions('project', flags, COMMON);
  if (!o.out) throw new StudioError('project: --out DIR is required');
  if (files.length === 0) throw new StudioError('project: name one or more images to project');
  const inputs = await readImageFiles(files, async (buf) => buf.toString('base64'));
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'project');
    const out = resolve(o.out!);
    mkdirSync(out, { recursive: true });
    const nameOf = pngNames();
    for (const { file, input } of inputs) {
      const r = await projectOne(service, id, file, input, o);
      const png = join(out, nameOf(file));
      const json = png.replace(/\.png$/, '.json');
      writeFileSync(png, Buffer.from(r.png, 'base64'));
      const summary = { type: 'projected', run: id, step: r.step, input: file, output: png, latentFile: json, psnr: round(r.psnr), judgeDistance: r.judgeDistance === null ? null : round(r.judgeDistance), classLabel: r.classLabel, encoder: r.encoder, seconds: round(r.ms / 1000) };
      writeFileSync(json, JSON.stringify({ run: id, step: r.step, latent: r.latent, classLabel: r.classLabel, psnr: r.psnr }) + '\n');
      if (o.json) console.log(JSON.stringify(summary));
      else console.error(`${file} → ${png} (PSNR ${summary.psnr} dB, ${summary.seconds} s); latent in ${json}`);
    }
    return 0;
  });
}

/** A latent from project's JSON (refused if it belongs to another run), or null for an image. */
function latentFile(file: string, buf: Buffer, run: string, zDim: number): { latent: number[]; classLabel: number | null } | null {
  if (extname(file).toLowerCase() !== '.json') return null;
  let j: { run?: string; latent?: unknown; classLabel?: unknown };
  try {
    j = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new StudioError(`${file} is not a latent file from gan-studio project: ${messageOf(err)}`);
  }
  if (j.run !== run) throw new StudioError(`${file} holds a latent of run ${j.run}, not of run ${run}`);
  if (!Array.isArray(j.latent) || j.latent.length !== zDim || !j.latent.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new StudioError(`${file} has no latent of ${zDim} numbers`);
  return { latent: j.latent as number[], classLabel: typeof j.classLabel === 'number' ? j.classLabel : null };
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
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'edit');
    const step = int('step', o.step, 0);
    const given = latentFile(file, input, id, service.store.get(id).config.zDim);
    const start = given ?? (await projectOne(service, id, file, input.toString('base64'), o));
    const name = o.direction!;
    let direction: number[];
    let thresholds: Record<string, number> = {};
    const pc = /^pc(\d+)$/.exec(name);
    if (pc) {
      const k = Number(pc[1]);
      if (k < 1 || k > 16) throw new StudioError('principal directions are pc1 to pc16');
      direction = (await call(service, 'latent.directions', { id, step, k, samples: 400, seed: 1 })).directions[k - 1];
    } else {
      const found = (await call(service, 'latent.attributes', { id, step, keep: o.keep ?? [] })).attributes;
      const d = found.find((a) => a.name === name);
      if (!d) throw new StudioError(`run ${id} has no direction "${name}"; it has ${[...found.map((a) => a.name), 'pc1…pc6'].join(', ')}`);
      direction = d.direction;
      thresholds = Object.fromEntries(found.map((a) => [a.name, a.threshold]));
    }
    const edit = (a: number) =>
      call(service, 'images.edit', { id, step, latent: start.latent, classLabel: start.classLabel ?? undefined, moves: a === 0 ? [] : [{ direction, amount: a }], thresholds });
    const [before, after] = [await edit(0), await edit(amount)];
    const out = resolve(o.out!);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, Buffer.from(after.png, 'base64'));
    const summary = { type: 'edited', run: id, step: after.step, input: file, output: out, direction: name, amount, before: rounded(before.readings), after: rounded(after.readings) };
    if (o.json) console.log(JSON.stringify(summary));
    else {
      console.error(`${file} → ${out} (${name} ${amount >= 0 ? '+' : ''}${amount} σ)`);
      for (const k of Object.keys(after.readings)) console.error(`  ${k}: ${summary.before[k]} → ${summary.after[k]}`);
    }
    return 0;
  });
}

/** A distance weight: a number ≥ 0, or undefined for the default. */
function weight(name: string, value: string | undefined): number | undefined {
  const w = num(name, value);
  if (w !== undefined && w < 0) throw new StudioError(`--${name} must be 0 or more, got "${value}"`);
  return w;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const rounded = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]));
