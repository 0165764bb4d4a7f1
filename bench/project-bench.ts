/**
 * npm run bench:project [-- --run ID --home DIR --images N --json]
 *
 * Projection (GAN inversion) measured as docs/edit.md reports it, on MNIST
 * digits that neither the GAN nor the judge trained on: the built-in judge's
 * 1,500 held-out digits. Without --run it prepares the run once in --home
 * (default: a folder in the system's temp dir, reused): the other 8,500
 * digits imported as dataset mnist-train, the default DCGAN trained on them
 * (1,200 steps, about 20 minutes here). Then for N held-out digits, one at a
 * time as the Edit view asks (after a warm-up image): the best of 1,000
 * random latents by PSNR (the baseline), and projection by the defaults —
 * pixels, judge features and D's features; without D's; pixels only; each
 * from random starts and from the run's encoder — with PSNR, judge-feature
 * distance and time per image; then every attribute direction of the run
 * (digits by the judge, thickness, slant) measured at +3 σ. Pictures go to
 * artifacts/project/. --part projection|edits runs one half.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { useBackend } from '../main/engine/backends.js';
import { readCheckpoint } from '../main/families/run-checkpoint.js';
import { Trainer } from '../main/families/gan/trainer.js';
import { Rng } from '../main/engine/rng.js';
import { loadMnist } from '../main/datasets/mnist.js';
import { builtinJudge, embedImages, encodeJudge, loadJudge, type Judge } from '../main/judges/index.js';
import { writeFileAtomic } from '../main/fsx.js';
import { psnr } from '../main/judges/fidelity.js';
import { generateLatents, project, type Weights } from '../main/latent/project.js';
import { attributeDirections, type AttributeDirection } from '../main/latent/attribute-directions.js';
import { moveLatent } from '../main/latent/directions.js';
import { PROJECT_STARTS, PROJECT_STEPS } from '../main/latent/defaults.js';
import { encode, trainEncoder } from '../main/latent/encoder.js';
import { RunStore } from '../main/runs/store.js';
import { gridPng } from '../main/images/png.js';

const { values: o } = parseArgs({
  options: {
    run: { type: 'string' },
    home: { type: 'string', default: join(tmpdir(), 'gan-project-bench') },
    images: { type: 'string', default: '50' },
    part: { type: 'string', default: 'all' },
    json: { type: 'boolean' },
  },
});
const say = (s: string) => !o.json && console.error(s);
const BIN = fileURLToPath(new URL('../../bin/gan-studio.js', import.meta.url));
const OUT = fileURLToPath(new URL('../../artifacts/project/', import.meta.url));
const PER = 28 * 28;
const RANDOM = 1000;

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: o.home }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`gan-studio ${args[0]} failed`);
  return r.stdout;
}

/** The run to measure: --run, or the home's completed mnist-train run, or a new one. */
async function prepare(judge: Judge): Promise<string> {
  if (o.run) return o.run;
  const store = new RunStore(o.home);
  const done = store.list().find((r) => r.config.dataset === 'mnist-train' && r.status === 'completed');
  const haveData = store.db.prepare('SELECT 1 FROM datasets WHERE name = ?').get('mnist-train');
  store.close();
  if (done) return done.id;
  if (!haveData) {
    const dir = join(o.home, 'mnist-train-images');
    const held = new Set(judge.heldOut);
    const data = loadMnist();
    say(`writing the ${data.count - held.size} digits the judge trained on to ${dir}`);
    for (let i = 0; i < data.count; i++) {
      if (held.has(i)) continue;
      const cls = join(dir, String(data.labels![i]));
      mkdirSync(cls, { recursive: true });
      await sharp(Buffer.from(data.pixels.subarray(i * PER, (i + 1) * PER)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(cls, `${i}.png`));
    }
    cli(['import', dir, '--name', 'mnist-train', '--size', '28', '--json']);
  }
  say('training the default DCGAN on mnist-train (about 20 minutes on 2 cores)');
  const lines = cli(['train', '--dataset', 'mnist-train', '--json']).trim().split('\n');
  return JSON.parse(lines.at(-1)!).run as string;
}

await useBackend('auto');
const judge = builtinJudge('builtin:mnist');
const runId = await prepare(judge);
const store = new RunStore(o.home);
const record = store.get(runId);
const step = store.checkpointSteps(record.id).at(-1)!;
const checkpoint = readCheckpoint(store.checkpointPath(record.id, step));
store.close();
const trainer = Trainer.fromCheckpoint(checkpoint);
const { spec } = trainer;
const G = trainer.sampler();

const data = loadMnist();
const n = Number(o.images);
// Spread over the held-out digits, so every class is in.
const picks = Array.from({ length: n + 1 }, (_, i) => judge.heldOut[Math.floor((i * judge.heldOut.length) / (n + 1))]);
const targetOf = (k: number) => Float32Array.from(data.pixels.subarray(k * PER, (k + 1) * PER), (v) => v / 127.5 - 1);
const featuresOf = async (images: Float32Array, count: number) => (await embedImages(judge, images, count)).features;
const featureDistance = (a: Float32Array, b: Float32Array) => Math.hypot(...a.map((x, i) => x - b[i]));

say(`run ${record.id} step ${step}; ${n} held-out digits`);
const random = await generateLatents(G, spec, Rng.fromSeed(1234).normal(RANDOM * spec.zDim), null);

// The run's encoder, as the studio keeps it: trained once, then read back.
const encoderPath = new RunStore(o.home).encoderPath(record.id, step);
let encoderSeconds: number | null = null;
let encoder: Judge;
if (existsSync(encoderPath)) encoder = loadJudge(encoderPath);
else {
  const t0 = performance.now();
  encoder = await trainEncoder(G, spec, {});
  encoderSeconds = (performance.now() - t0) / 1000;
  mkdirSync(dirname(encoderPath), { recursive: true });
  writeFileAtomic(encoderPath, await encodeJudge(encoder));
  say(`encoder trained in ${encoderSeconds.toFixed(0)} s`);
}

interface Row {
  psnr: number;
  judge: number;
  ms: number;
}
const ALL = { judge: 0.05, d: 0.05 };
const PIXELS_JUDGE = { judge: 0.05, d: 0 };
const PIXELS = { judge: 0, d: 0 };
const configs: { name: string; weights: Partial<Weights>; encoder?: boolean; steps?: number }[] = [
  { name: 'pixels + judge + D', weights: ALL },
  { name: 'pixels + judge (the default)', weights: PIXELS_JUDGE },
  { name: 'pixels only', weights: PIXELS },
  { name: 'encoder, then pixels + judge + D', weights: ALL, encoder: true },
  { name: 'encoder, then pixels + judge (the default once a run has an encoder)', weights: PIXELS_JUDGE, encoder: true },
  { name: 'encoder alone (no steps)', weights: PIXELS, encoder: true, steps: 0 },
];
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
async function writeGrid(file: string, images: Float32Array[], columns: number): Promise<void> {
  const data = new Float32Array(images.length * PER);
  images.forEach((img, i) => data.set(img, i * PER));
  const grid = await gridPng({ data, count: images.length, size: 28, channels: 1 }, { columns });
  writeFileSync(file, await sharp(grid).resize({ width: (columns * 30 + 2) * 3, kernel: 'nearest' }).png().toBuffer());
  say(`pictures in ${file}`);
}

async function measureProjection() {
  const baseline: Row[] = [];
  const results: Row[][] = configs.map(() => []);
  /** One column per digit shown: the target, the best random latent, the projection from the encoder's guess (pixels + judge). */
  const shown: Float32Array[][] = [[], [], []];
  const every = Math.max(1, Math.floor(n / 10));
  for (let i = 0; i <= n; i++) {
    const target = targetOf(picks[i]);
    const targetFeatures = await featuresOf(target, 1);
    const runs: Float32Array[] = [];
    for (const [c, cfg] of configs.entries()) {
      const t = performance.now();
      const init = cfg.encoder ? await encode(encoder, spec, target, 1) : null;
      const r = await project(G, spec, target, 1, { judge, D: trainer.D, weights: cfg.weights, init, steps: cfg.steps });
      const ms = performance.now() - t;
      runs.push(r.images);
      // Image 0 warms the kernels up and is not counted.
      if (i > 0) results[c].push({ psnr: r.psnr[0], judge: featureDistance(await featuresOf(r.images, 1), targetFeatures), ms });
    }
    if (i === 0) continue;
    let best = 0;
    let bestPsnr = -Infinity;
    for (let k = 0; k < RANDOM; k++) {
      const p = psnr(random.subarray(k * PER, (k + 1) * PER), target, 2);
      if (p > bestPsnr) [best, bestPsnr] = [k, p];
    }
    const bestImage = random.slice(best * PER, (best + 1) * PER);
    baseline.push({ psnr: bestPsnr, judge: featureDistance(await featuresOf(bestImage, 1), targetFeatures), ms: 0 });
    if ((i - 1) % every === 0 && shown[0].length < 10) [target, bestImage, runs[4]].forEach((img, r) => shown[r].push(img));
    say(`digit ${i}/${n}: random ${bestPsnr.toFixed(1)} dB, ${configs.map((_, c) => `${results[c].at(-1)!.psnr.toFixed(1)} dB ${(results[c].at(-1)!.ms / 1000).toFixed(2)} s`).join(' | ')}`);
  }
  await writeGrid(join(OUT, 'held-out-digits.png'), shown.flat(), shown[0].length);
  return {
    images: n,
    steps: PROJECT_STEPS,
    starts: PROJECT_STARTS,
    encoderSeconds: encoderSeconds === null ? null : Math.round(encoderSeconds),
    baseline: { name: `best of ${RANDOM} random latents`, psnr: mean(baseline.map((r) => r.psnr)), judge: mean(baseline.map((r) => r.judge)) },
    configs: configs.map((cfg, c) => {
      const rows = results[c];
      const gains = rows.map((r, i) => r.psnr - baseline[i].psnr);
      return {
        name: cfg.name,
        psnr: mean(rows.map((r) => r.psnr)),
        gain: mean(gains),
        medianGain: median(gains),
        atLeast3dB: gains.filter((g) => g >= 3).length / gains.length,
        judge: mean(rows.map((r) => r.judge)),
        medianSeconds: median(rows.map((r) => r.ms)) / 1000,
      };
    }),
  };
}

/**
 * Every attribute direction of the run, measured on 200 fresh samples at
 * +3 σ, plain, with thickness kept, and (thickness and slant) with the ten
 * digits kept; and a held-out digit projected, then moved from −3 σ to +3 σ
 * along thickness, along thickness keeping the digits, and along slant.
 */
async function measureEdits() {
  const plain = await attributeDirections(trainer, judge, { samples: 2000, measure: 200 });
  const keepThickness = await attributeDirections(trainer, judge, { samples: 2000, measure: 200, keep: ['thickness'] });
  // Thickness made orthogonal to the ten digits' directions: thicker strokes, the same digit.
  const keepDigits = await attributeDirections(trainer, judge, { samples: 2000, measure: 200, keep: judge.classNames });
  const row = (d: AttributeDirection) => ({
    name: d.name,
    before: d.before,
    after: d.after,
    kept: d.kept,
    accuracy: d.accuracy,
    orthogonalTo: d.orthogonalTo,
    worstKept: Object.entries(d.keptBy).sort((a, b) => a[1] - b[1])[0],
    thicknessKept: d.keptBy.thickness ?? null,
    thicknessShift: d.shiftBy.thickness ?? null,
    slantShift: d.shiftBy.slant ?? null,
  });
  const target = targetOf(picks[Math.floor(n / 2)]);
  const start = await project(G, spec, target, 1, { judge, init: await encode(encoder, spec, target, 1) });
  const frames: Float32Array[] = [];
  const rows = [plain.find((x) => x.name === 'thickness')!, keepDigits.find((x) => x.name === 'thickness')!, plain.find((x) => x.name === 'slant')!];
  for (const d of rows) {
    frames.push(target);
    for (const a of [-3, -2, -1, 0, 1, 2, 3]) frames.push(await generateLatents(G, spec, moveLatent(start.z, [{ direction: d.direction, amount: a }]), null));
  }
  await writeGrid(join(OUT, 'thickness-slant.png'), frames, 8);
  return { directions: plain.map(row), keepingThickness: keepThickness.map(row), keepingDigits: keepDigits.filter((d) => d.name === 'thickness' || d.name === 'slant').map(row) };
}

mkdirSync(OUT, { recursive: true });
const projection = o.part === 'edits' ? null : await measureProjection();
const edits = o.part === 'projection' ? null : await measureEdits();
if (o.json) console.log(JSON.stringify({ run: record.id, step, projection, edits }));
else {
  if (projection) {
    console.log(`${projection.baseline.name}: ${projection.baseline.psnr.toFixed(2)} dB, judge distance ${projection.baseline.judge.toFixed(3)}`);
    for (const c of projection.configs) {
      console.log(`projection, ${c.name}: ${c.psnr.toFixed(2)} dB (+${c.gain.toFixed(2)} dB mean, +${c.medianGain.toFixed(2)} median, ${(c.atLeast3dB * 100).toFixed(0)} % of digits ≥ +3 dB), judge distance ${c.judge.toFixed(3)}, ${c.medianSeconds.toFixed(2)} s per image (median)`);
    }
  }
  if (edits) {
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    for (const [title, list] of [['directions', edits.directions], ['orthogonal to thickness', edits.keepingThickness], ['orthogonal to the ten digits', edits.keepingDigits]] as const) {
      console.log(title);
      for (const d of list) {
        const shifts = [d.thicknessShift !== null ? `thickness ${d.thicknessShift.toFixed(2)} σ (kept ${pct(d.thicknessKept ?? 1)})` : '', d.slantShift !== null ? `slant ${d.slantShift.toFixed(2)} σ` : ''].filter(Boolean).join(', ');
        console.log(`  ${d.name}: ${pct(d.before)} → ${pct(d.after)} read as it at +3σ; ${pct(d.kept)} keep every other reading (least kept: ${d.worstKept?.[0]} ${pct(d.worstKept?.[1] ?? 1)}); shifts: ${shifts}; boundary accuracy ${pct(d.accuracy)}`);
      }
    }
  }
}
