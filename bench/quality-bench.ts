/**
 * `npm run bench:quality [-- --set mnist|fashion|colour [--data PATH] [--size N] [--per-class K] --steps 1200 --seeds 1 --variants tutorial,quality --parallel 1 --histogram --json]`
 *
 * Trains each variant on the set (quality-sets.ts: builtin:mnist by
 * default, Fashion-MNIST, the emoji colour set, or any --data) for the same
 * steps from the same seeds and scores its generator — the averaged one
 * where the variant keeps an average, as the studio samples — with the
 * set's judge: Fréchet and kernel distances, diversity, near-duplicates,
 * classes covered, the share of samples the judge classifies with
 * confidence ≥ 0.9 (beside the real images' share) and how far the class
 * shares stray from uniform. Several seeds give the mean and the spread. A
 * variant is a preset, optionally with settings changed:
 * `quality+spectralNorm=true+r1=0.1`.
 *
 * Every variant and seed trains in a child process of its own; with
 * --parallel N, N at once (each given cores/N engine threads), for a
 * machine with many cores.
 *
 * Any family that draws from noise is a variant (`quality+task=fastgan+augment=ada`).
 * --seconds S gives every variant the same training time instead of the same
 * steps (evaluated at each quarter of it); --grids DIR writes each variant's
 * final samples there as a grid. The memorisation share is printed beside
 * that of real images the reference never saw.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '../main/engine/backends.js';
import { resolveConfig } from '../main/families/run-config.js';
import { variantConfig } from './variants.js';
import { createTrainer } from '../main/families/registry.js';
import { Rng } from '../main/engine/rng.js';
import { evaluateSamples, imagesAt, realReference } from '../main/judges/index.js';
import { generateBatch, type NoiseModel } from '../main/engine/sampling.js';
import type { RunTrainer } from '../main/families/run-checkpoint.js';
import { gridPng } from '../main/images/png.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultHome, openSet } from './quality-sets.js';
import { applySubset } from '../main/datasets/subset.js';

const { values: o } = parseArgs({
  options: {
    set: { type: 'string', default: 'mnist' },
    data: { type: 'string' },
    size: { type: 'string' },
    /** Train on K images a class (the augmentation study's pool, seed 1), judged against the whole set: a small set cut from a large one. */
    'per-class': { type: 'string' },
    home: { type: 'string' },
    /** wasm here; webgpu or tensorflow on a machine with a GPU (the figures compare within one backend). */
    backend: { type: 'string', default: 'wasm' },
    histogram: { type: 'boolean', default: false },
    steps: { type: 'string', default: '1200' },
    seeds: { type: 'string', default: '1' },
    'first-seed': { type: 'string', default: '1' },
    variants: { type: 'string', default: 'tutorial,quality' },
    'eval-every': { type: 'string', default: '400' },
    /** The same training time for every variant instead of the same steps. */
    seconds: { type: 'string' },
    grids: { type: 'string' },
    samples: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '1' },
    one: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const seconds = o.seconds ? Number(o.seconds) : null;
// With a time budget the steps are whatever fits; the cap only stops a runaway.
const steps = seconds ? 10_000_000 : Number(o.steps);
const evalEvery = Number(o['eval-every']);
const samples = Number(o.samples);
const home = o.home ?? defaultHome();
const backend = o.backend as 'wasm' | 'webgpu' | 'tensorflow' | 'cpu';
const say = (m: string) => console.error(m);
const setOptions = { home, data: o.data, size: o.size ? Number(o.size) : undefined, say };

interface Score {
  variant: string;
  seed: number;
  step: number;
  fid: number;
  kid: number;
  diversity: number;
  nearDuplicates: number;
  /** Share of samples closer to a training image than real images are to one another. */
  memorised: number;
  /** Seconds of training steps so far. */
  trained: number;
  /** The variant's last evaluation (the end of its steps or its time). */
  final: boolean;
  classesCovered: number;
  evenness: number;
  /** Share of samples the judge classifies with probability ≥ 0.9. */
  confident: number;
  /** Largest |share / uniform share − 1| over the classes. */
  classSpread: number;
  histogram: number[];
  dReal: number;
  dFake: number;
  msPerStep: number;
}


const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

/** Largest relative distance of a class's share from 1/C. */
function classSpread(histogram: number[]): number {
  const n = histogram.reduce((a, b) => a + b, 0);
  return Math.max(...histogram.map((h) => Math.abs((h * histogram.length) / n - 1)));
}

async function trainAndScore(variant: string, seed: number, report: (s: Score) => void): Promise<void> {
  await useBackend(backend);
  const { name, data, judge } = await openSet(o.set!, setOptions);
  const real = await realReference(judge, data, samples, 1);
  const train = o['per-class'] ? applySubset(data, { perClass: Number(o['per-class']), seed: 1 }) : data;
  const t = createTrainer(resolveConfig({ dataset: name, backend, steps, seed, ...variantConfig(variant) }), train, undefined, null) as RunTrainer & NoiseModel;
  // The same latents for every variant and step.
  const z = Rng.fromSeed(7).normal(samples * t.spec.zDim);
  const times: number[] = [];
  const recent: { dReal: number; dFake: number }[] = [];
  let trainedMs = 0;
  let nextEval = seconds ? (seconds * 1000) / 4 : evalEvery;
  for (;;) {
    const m = await t.trainStep();
    times.push(m.ms);
    trainedMs += m.ms;
    recent.push({ dReal: m.dReal ?? Number.NaN, dFake: m.dFake ?? Number.NaN });
    if (recent.length > 50) recent.shift();
    const final = seconds ? trainedMs >= seconds * 1000 : t.step >= steps;
    const due = seconds ? trainedMs >= nextEval : t.step % evalEvery === 0;
    if (!due && !final) continue;
    if (seconds) while (nextEval <= trainedMs) nextEval += (seconds * 1000) / 4;
    const batch = await generateBatch(t, z, null);
    const e = await evaluateSamples(judge, real, batch.data, samples);
    if (final && o.grids) {
      mkdirSync(o.grids, { recursive: true });
      writeFileSync(join(o.grids, `${variant.replace(/[^\w.=+-]/g, '_')}-seed${seed}.png`), await gridPng(batch, { limit: 64, columns: 8 }));
    }
    report({
      variant,
      seed,
      step: t.step,
      fid: e.fid,
      kid: e.kid,
      diversity: e.diversity,
      nearDuplicates: e.nearDuplicates,
      memorised: e.memorised,
      trained: trainedMs / 1000,
      final,
      classesCovered: e.classesCovered,
      evenness: e.classEvenness,
      confident: e.confident,
      classSpread: classSpread(e.classHistogram),
      histogram: e.classHistogram,
      dReal: median(recent.map((r) => r.dReal)),
      dFake: median(recent.map((r) => r.dFake)),
      msPerStep: median(times),
    });
    if (final) break;
  }
  t.dispose();
}

function runChild(variant: string, seed: number, threads: number, report: (s: Score) => void): Promise<void> {
  const args = [fileURLToPath(import.meta.url), '--one', variant, '--seed', String(seed), '--steps', o.steps!, '--eval-every', o['eval-every']!, '--samples', o.samples!, '--set', o.set!, '--home', home, '--backend', backend];
  if (o.seconds) args.push('--seconds', o.seconds);
  if (o.grids) args.push('--grids', o.grids);
  if (o.data) args.push('--data', o.data);
  if (o.size) args.push('--size', o.size);
  if (o['per-class']) args.push('--per-class', o['per-class']);
  const child = spawn(process.execPath, args, { env: { ...process.env, GAN_STUDIO_THREADS: String(threads) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('{')) report(JSON.parse(line) as Score);
    }
  });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${variant} seed ${seed} exited with ${code}`)))));
}

function printScore(s: Score): void {
  if (o.json) console.log(JSON.stringify({ type: 'score', ...s }));
  else
    console.error(
      `${s.variant.padEnd(34)} seed ${s.seed} step ${String(s.step).padStart(5)} (${s.trained.toFixed(0)} s)  FID ${s.fid.toFixed(2).padStart(7)}  KID ${s.kid.toFixed(3).padStart(6)}  ` +
        `diversity ${s.diversity.toFixed(2)}  near-dup ${(s.nearDuplicates * 100).toFixed(1).padStart(4)}%  copies ${(s.memorised * 100).toFixed(1)}%  classes ${s.classesCovered}/${s.histogram.length}  confident ${(s.confident * 100).toFixed(1)}%  ` +
        `D(x) ${s.dReal.toFixed(2)} D(G(z)) ${s.dFake.toFixed(2)}  ${s.msPerStep.toFixed(0)} ms/step`,
    );
}

async function main(): Promise<void> {
  if (o.one) {
    await trainAndScore(o.one, Number(o.seed ?? 1), (s) => console.log(JSON.stringify(s)));
    return;
  }
  // The set is imported and its judge trained once, here, before any child needs them.
  await useBackend(backend);
  const set = await openSet(o.set!, setOptions);
  const realRef = await realReference(set.judge, set.data, samples, 1);
  const realConfident = realRef.coverage.confident;
  // What memorisation looks like for images the generator could not have copied: real ones the reference never saw.
  const used = new Set(realRef.indices);
  const fresh: number[] = [];
  for (let i = 0; i < set.data.count && fresh.length < samples; i++) if (!used.has(i)) fresh.push(i);
  const heldOutMemorised = fresh.length ? (await evaluateSamples(set.judge, realRef, imagesAt(set.data, fresh), fresh.length)).memorised : Number.NaN;
  const variants = o.variants!.split(',');
  const seeds = Array.from({ length: Number(o.seeds) }, (_, i) => i + Number(o['first-seed']));
  // Seed-major: a long bench stopped early still has every variant at its first seeds.
  const jobs = seeds.flatMap((seed) => variants.map((v) => ({ v, seed })));
  const parallel = Math.max(1, Number(o.parallel));
  const scores: Score[] = [];
  const record = (s: Score) => {
    scores.push(s);
    printScore(s);
  };
  // Each run in a process of its own, even one at a time: a fresh engine (wasm's heap does not shrink, and a large
  // run left XNNPACK out of memory for the next) and every variant's time measured alike.
  const threads = Math.max(1, Math.floor(availableParallelism() / parallel));
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let j = queue.shift(); j; j = queue.shift()) await runChild(j.v, j.seed, threads, record);
    }),
  );
  const finals = variants.map((v) => {
    const last = scores.filter((s) => s.variant === v && s.final);
    const of = (k: keyof Score) => last.map((s) => s[k] as number);
    const histogram = set.classNames.map((_, c) => last.reduce((a, s) => a + s.histogram[c], 0) / last.length);
    return {
      variant: v,
      seeds: last.length,
      fid: spread(of('fid')),
      kid: spread(of('kid')),
      diversity: spread(of('diversity')),
      nearDuplicates: spread(of('nearDuplicates')),
      memorised: spread(of('memorised')),
      steps: spread(of('step')),
      trained: spread(of('trained')),
      classesCovered: spread(of('classesCovered')),
      confident: spread(of('confident')),
      classSpread: spread(of('classSpread')),
      histogram,
      msPerStep: spread(of('msPerStep')).mean,
    };
  });
  const base = finals[0];
  const perClass = o['per-class'] ? Number(o['per-class']) : null;
  const dataset = { name: set.name, images: set.data.count, perClass, size: set.data.size, channels: set.data.channels, classes: set.classNames.length, judge: set.judgeKind };
  if (o.json) {
    console.log(JSON.stringify({ type: 'summary', steps: seconds ? null : steps, seconds, dataset, realConfident, heldOutMemorised, heldOut: fresh.length, variants: finals.map((f) => ({ ...f, fidRatioToFirst: base.fid.mean / f.fid.mean })) }));
    return;
  }
  const pm = (x: { mean: number; min: number; max: number }, digits: number, pct = false) => {
    const f = (v: number) => (pct ? (v * 100).toFixed(digits) : v.toFixed(digits));
    return seeds.length > 1 ? `${f(x.mean)} (${f(x.min)}–${f(x.max)})` : f(x.mean);
  };
  console.log(`\n${set.name} (${perClass ? `trained on ${perClass} a class of ` : ''}${set.data.count} images, ${set.data.size} px, ${set.classNames.length} classes) after ${seconds ? `${seconds} s of training` : `${steps} steps`}, mean (and range) of ${seeds.length} seed(s); judge: ${set.judgeKind}`);
  console.log(`copies of training images among ${fresh.length} real images the reference never saw: ${(heldOutMemorised * 100).toFixed(1)}%`);
  console.log(`real images: ${(realConfident * 100).toFixed(1)}% classified with confidence ≥ 0.9`);
  const w = seeds.length > 1 ? 22 : 15;
  console.log('variant'.padEnd(40) + 'FID'.padStart(w) + 'KID'.padStart(w) + 'confident %'.padStart(w) + 'class spread %'.padStart(w) + 'diversity'.padStart(10) + 'near-dup'.padStart(10) + 'copies'.padStart(w) + 'steps'.padStart(8) + 'ms/step'.padStart(9) + `  FID ${base.variant}/variant`);
  for (const f of finals) {
    console.log(
      f.variant.padEnd(40) +
        pm(f.fid, 2).padStart(w) +
        pm(f.kid, 3).padStart(w) +
        pm(f.confident, 1, true).padStart(w) +
        pm(f.classSpread, 0, true).padStart(w) +
        f.diversity.mean.toFixed(2).padStart(10) +
        `${(f.nearDuplicates.mean * 100).toFixed(1)}%`.padStart(10) +
        pm(f.memorised, 1, true).padStart(w) +
        f.steps.mean.toFixed(0).padStart(8) +
        f.msPerStep.toFixed(0).padStart(9) +
        `  ${(base.fid.mean / f.fid.mean).toFixed(2)}×`,
    );
  }
  if (o.histogram) {
    console.log(`\nclass shares of ${samples} samples (uniform = ${(100 / set.classNames.length).toFixed(1)}%), mean over seeds; real images first`);
    const realHist = Array.from(realRef.coverage.histogram);
    const row = (label: string, h: number[]) => {
      const n = h.reduce((a, b) => a + b, 0);
      return label.padEnd(40) + h.map((x) => `${((100 * x) / n).toFixed(1)}`.padStart(7)).join('');
    };
    console.log(''.padEnd(40) + set.classNames.map((c) => c.slice(0, 6).padStart(7)).join(''));
    console.log(row('real', realHist));
    for (const f of finals) console.log(row(f.variant, f.histogram));
  }
}

/** Mean, smallest and largest over the seeds. */
function spread(xs: number[]): { mean: number; min: number; max: number } {
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) };
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
