/**
 * `npm run bench:quality [-- --steps 1200 --seeds 1 --variants tutorial,quality --parallel 1 --json]`
 *
 * Trains each variant on builtin:mnist for the same steps from the same
 * seeds and scores its generator — the averaged one where the variant keeps
 * an average, as the studio samples — with the shipped MNIST judge: Fréchet
 * and kernel distances, diversity, near-duplicates and digit classes
 * covered. A variant is a preset, optionally with settings changed:
 * `quality+spectralNorm=true+r1=0.1`.
 *
 * With --parallel N, variants and seeds train in N child processes at once
 * (each given cores/N engine threads), for a machine with many cores.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '../main/engine/backends.js';
import { resolveConfig } from '../main/engine/config.js';
import { variantConfig } from './variants.js';
import { Trainer } from '../main/engine/trainer.js';
import { Rng } from '../main/engine/rng.js';
import { loadMnist } from '../main/datasets/mnist.js';
import { builtinJudge, evaluateSamples, realReference } from '../main/judges/index.js';
import { generateBatch } from '../main/engine/sampling.js';

const { values: o } = parseArgs({
  options: {
    steps: { type: 'string', default: '1200' },
    seeds: { type: 'string', default: '1' },
    variants: { type: 'string', default: 'tutorial,quality' },
    'eval-every': { type: 'string', default: '400' },
    samples: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '1' },
    one: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const steps = Number(o.steps);
const evalEvery = Number(o['eval-every']);
const samples = Number(o.samples);

interface Score {
  variant: string;
  seed: number;
  step: number;
  fid: number;
  kid: number;
  diversity: number;
  nearDuplicates: number;
  classesCovered: number;
  evenness: number;
  dReal: number;
  dFake: number;
  msPerStep: number;
}


const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

async function trainAndScore(variant: string, seed: number, report: (s: Score) => void): Promise<void> {
  await useBackend('wasm');
  const data = loadMnist();
  const judge = builtinJudge('builtin:mnist');
  const real = await realReference(judge, data, samples, 1);
  const t = Trainer.create(resolveConfig({ dataset: 'builtin:mnist', backend: 'wasm', steps, seed, ...variantConfig(variant) }), data);
  // The same latents for every variant and step.
  const z = Rng.fromSeed(7).normal(samples * t.spec.zDim);
  const times: number[] = [];
  const recent: { dReal: number; dFake: number }[] = [];
  while (t.step < steps) {
    const m = await t.trainStep();
    times.push(m.ms);
    recent.push(m);
    if (recent.length > 50) recent.shift();
    if (t.step % evalEvery === 0 || t.step === steps) {
      const e = await evaluateSamples(judge, real, (await generateBatch(t, z, null)).data, samples);
      report({
        variant,
        seed,
        step: t.step,
        fid: e.fid,
        kid: e.kid,
        diversity: e.diversity,
        nearDuplicates: e.nearDuplicates,
        classesCovered: e.classesCovered,
        evenness: e.classEvenness,
        dReal: median(recent.map((r) => r.dReal)),
        dFake: median(recent.map((r) => r.dFake)),
        msPerStep: median(times),
      });
    }
  }
  t.dispose();
}

function runChild(variant: string, seed: number, threads: number, report: (s: Score) => void): Promise<void> {
  const args = [fileURLToPath(import.meta.url), '--one', variant, '--seed', String(seed), '--steps', o.steps!, '--eval-every', o['eval-every']!, '--samples', o.samples!];
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
      `${s.variant.padEnd(34)} seed ${s.seed} step ${String(s.step).padStart(5)}  FID ${s.fid.toFixed(2).padStart(7)}  KID ${s.kid.toFixed(3).padStart(6)}  ` +
        `diversity ${s.diversity.toFixed(2)}  near-dup ${(s.nearDuplicates * 100).toFixed(1).padStart(4)}%  classes ${s.classesCovered}/10  ` +
        `D(x) ${s.dReal.toFixed(2)} D(G(z)) ${s.dFake.toFixed(2)}  ${s.msPerStep.toFixed(0)} ms/step`,
    );
}

async function main(): Promise<void> {
  if (o.one) {
    await trainAndScore(o.one, Number(o.seed ?? 1), (s) => console.log(JSON.stringify(s)));
    return;
  }
  const variants = o.variants!.split(',');
  const seeds = Array.from({ length: Number(o.seeds) }, (_, i) => i + 1);
  const jobs = variants.flatMap((v) => seeds.map((seed) => ({ v, seed })));
  const parallel = Math.max(1, Number(o.parallel));
  const scores: Score[] = [];
  const record = (s: Score) => {
    scores.push(s);
    printScore(s);
  };
  if (parallel === 1) {
    for (const j of jobs) await trainAndScore(j.v, j.seed, record);
  } else {
    const threads = Math.max(1, Math.floor(availableParallelism() / parallel));
    const queue = [...jobs];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let j = queue.shift(); j; j = queue.shift()) await runChild(j.v, j.seed, threads, record);
      }),
    );
  }
  const finals = variants.map((v) => {
    const last = scores.filter((s) => s.variant === v && s.step === steps);
    const avg = (k: keyof Score) => last.reduce((a, s) => a + (s[k] as number), 0) / last.length;
    return { variant: v, seeds: last.length, fid: avg('fid'), kid: avg('kid'), diversity: avg('diversity'), nearDuplicates: avg('nearDuplicates'), classesCovered: avg('classesCovered'), msPerStep: avg('msPerStep') };
  });
  const base = finals[0];
  if (o.json) {
    console.log(JSON.stringify({ type: 'summary', steps, dataset: 'builtin:mnist', judge: 'shipped MNIST judge', variants: finals.map((f) => ({ ...f, fidRatioToFirst: base.fid / f.fid })) }));
    return;
  }
  console.log(`\nbuiltin:mnist after ${steps} steps, mean of ${seeds.length} seed(s); judge: the shipped MNIST classifier's features`);
  console.log('variant'.padEnd(36) + 'FID'.padStart(8) + 'KID'.padStart(8) + 'diversity'.padStart(11) + 'near-dup'.padStart(10) + 'classes'.padStart(9) + 'ms/step'.padStart(9) + `  FID ${base.variant}/variant`);
  for (const f of finals) {
    console.log(
      f.variant.padEnd(36) +
        f.fid.toFixed(2).padStart(8) +
        f.kid.toFixed(3).padStart(8) +
        f.diversity.toFixed(2).padStart(11) +
        `${(f.nearDuplicates * 100).toFixed(1)}%`.padStart(10) +
        f.classesCovered.toFixed(1).padStart(9) +
        f.msPerStep.toFixed(0).padStart(9) +
        `  ${(base.fid / f.fid).toFixed(2)}×`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
