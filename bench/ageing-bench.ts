/**
 * npm run bench:ageing [-- --emoji DIR --steps N --home DIR --json]
 *
 * The face-ageing recipe on material that needs no download and is not
 * shipped: the person emoji of the npm package emoji-datasource-google
 * (Apache-2.0 images; `npm pack emoji-datasource-google && tar xzf
 * emoji-datasource-google-*.tgz`, then --emoji package/). Each face or bust
 * (subcategories person, person-role, person-gesture, person-fantasy) in
 * its default and five skin tones, labelled with an age — young (baby,
 * child, boy, girl, baby angel), old (older adult, old man, old woman),
 * adult (the rest) — and a tone (tone0 the default yellow, tone1 light …
 * tone5 dark), imported as classes named age_tone at 32 px, so the judge
 * trained on them reads both as class-name parts. An unconditional DCGAN
 * is trained on them; the "old" direction is fitted (InterFaceGAN) as is
 * and made orthogonal to the tone directions; on fresh samples, the share
 * read as old at +3 σ and the share whose tone (the judge's most likely
 * tone) stays put are reported; a held-out real face is projected and aged
 * in a strip written to artifacts/ageing/.
 */
import { existsSync, mkdirSync, readFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { useBackend } from '../main/engine/backends.js';
import { readCheckpoint } from '../main/families/run-checkpoint.js';
import { Trainer } from '../main/families/gan/trainer.js';
import { generateBatch, sampleLatents } from '../main/engine/sampling.js';
import { loadDataset } from '../main/datasets/index.js';
import { datasetDir } from '../main/datasets/store.js';
import { judgeFileOf } from '../main/evaluation/judges.js';
import { loadJudge, type Judge } from '../main/judges/index.js';
import { readAttributes, type AttributeScores } from '../main/latent/attributes.js';
import { attributeDirections } from '../main/latent/attribute-directions.js';
import { moveLatent } from '../main/latent/directions.js';
import { generateLatents, project } from '../main/latent/project.js';
import { RunStore } from '../main/runs/store.js';
import { gridPng } from '../main/images/png.js';

const { values: o } = parseArgs({
  options: {
    emoji: { type: 'string', default: '/tmp/emoji-pkg/package' },
    steps: { type: 'string', default: '1500' },
    home: { type: 'string', default: join(tmpdir(), 'gan-ageing-bench') },
    json: { type: 'boolean' },
  },
});
const say = (s: string) => !o.json && console.error(s);
const BIN = fileURLToPath(new URL('../../bin/gan-studio.js', import.meta.url));
const OUT = fileURLToPath(new URL('../../artifacts/ageing/', import.meta.url));
const SIZE = 32;
const TONES = ['', '1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'];
const YOUNG = new Set(['baby', 'child', 'boy', 'girl', 'angel']);
const OLD = new Set(['older_adult', 'older_man', 'older_woman']);
const SUBCATEGORIES = new Set(['person', 'person-role', 'person-gesture', 'person-fantasy']);

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: o.home }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`gan-studio ${args[0]} failed`);
  return r.stdout;
}

interface Emoji {
  short_name: string;
  subcategory: string;
  image: string;
  skin_variations?: Record<string, { image: string }>;
}

/** Class folders age_tone of the emoji's 64 px PNGs; the count per age. */
function emojiFolder(dir: string): Record<string, number> {
  const all = JSON.parse(readFileSync(join(o.emoji, 'emoji.json'), 'utf8')) as Emoji[];
  const counts: Record<string, number> = { young: 0, adult: 0, old: 0 };
  for (const e of all) {
    if (!SUBCATEGORIES.has(e.subcategory) || !e.skin_variations) continue;
    const age = YOUNG.has(e.short_name) ? 'young' : OLD.has(e.short_name) ? 'old' : 'adult';
    TONES.forEach((tone, t) => {
      const image = tone ? e.skin_variations![tone]?.image : e.image;
      const file = image && join(o.emoji, 'img/google/64', image);
      if (!file || !existsSync(file)) return;
      const cls = join(dir, `${age}_tone${t}`);
      mkdirSync(cls, { recursive: true });
      copyFileSync(file, join(cls, image));
      counts[age]++;
    });
  }
  return counts;
}

/** The most likely value of a group of part attributes (tone0…tone5) per image. */
function argmaxOf(attrs: AttributeScores[], names: string[], n: number): Int32Array {
  const groups = names.map((name) => attrs.find((a) => a.name === name)!.scores);
  return Int32Array.from({ length: n }, (_, i) => {
    let b = 0;
    for (let g = 1; g < groups.length; g++) if (groups[g][i] > groups[b][i]) b = g;
    return b;
  });
}

if (!existsSync(join(o.emoji, 'emoji.json'))) throw new Error(`no emoji package at ${o.emoji}: npm pack emoji-datasource-google, unpack it and pass --emoji DIR`);
mkdirSync(o.home, { recursive: true });
let store = new RunStore(o.home);
const haveData = !!store.db.prepare('SELECT 1 FROM datasets WHERE name = ?').get('emoji-people');
let run = store.list().find((r) => r.config.dataset === 'emoji-people' && r.status === 'completed');
store.close();
const folder = join(o.home, 'emoji-people');
const counts = emojiFolder(folder);
say(`emoji people: ${JSON.stringify(counts)}`);
if (!haveData) cli(['import', folder, '--name', 'emoji-people', '--size', String(SIZE), '--json']);
let trainSeconds: number | null = null;
if (!run) {
  say(`training an unconditional DCGAN for ${o.steps} steps (batch 32)`);
  const lines = cli(['train', '--dataset', 'emoji-people', '--steps', o.steps, '--batch', '32', '--checkpoint-every', '500', '--json']).trim().split('\n');
  trainSeconds = JSON.parse(lines.at(-1)!).seconds as number;
}
await useBackend('auto');
store = new RunStore(o.home);
run = store.list().find((r) => r.config.dataset === 'emoji-people' && r.status === 'completed')!;
const step = store.checkpointSteps(run.id).at(-1)!;
const trainer = Trainer.fromCheckpoint(readCheckpoint(store.checkpointPath(run.id, step)));
const lastEvaluation = store.lastEvaluation(run.id);
const data = loadDataset(store.db, o.home, 'emoji-people');
const judgePath = judgeFileOf('emoji-people', datasetDir(store.db, o.home, 'emoji-people'));
store.close();
if (!judgePath || !existsSync(judgePath)) throw new Error('the dataset has no judge yet: the run’s evaluation trains it');
const judge: Judge = loadJudge(judgePath);
say(`run ${run.id} step ${step}; judge accuracy on held-out emoji ${(judge.accuracy * 100).toFixed(1)} %`);

const toneNames = TONES.map((_, t) => `tone${t}`);
const fresh = sampleLatents(trainer, 200, 99);
const m = 200;
const read = async (z: Float32Array) => readAttributes((await generateBatch(trainer, z, null)).data, m, SIZE, 3, judge);
const base = await read(fresh.z);
const tone0 = argmaxOf(base, toneNames, m);
const oldBefore = base.find((a) => a.name === 'old')!.scores;
const share = (name: string) => base.find((a) => a.name === name)!.scores.filter((p) => p > 0.5).length / m;
const sampled = { young: share('young'), adult: share('adult'), old: share('old'), tones: toneNames.map((_, t) => tone0.filter((x) => x === t).length / m) };

async function tryDirection(keep: string[]) {
  const dirs = await attributeDirections(trainer, judge, { samples: 1000, keep });
  const old = dirs.find((d) => d.name === 'old');
  if (!old) return null;
  const moved = new Float32Array(fresh.z.length);
  const zDim = trainer.spec.zDim;
  for (let i = 0; i < m; i++) moved.set(moveLatent(fresh.z.subarray(i * zDim, (i + 1) * zDim), [{ direction: old.direction, amount: 3 }]), i * zDim);
  const after = await read(moved);
  const oldAfter = after.find((a) => a.name === 'old')!.scores;
  const tone1 = argmaxOf(after, toneNames, m);
  return {
    direction: old.direction,
    orthogonalTo: old.orthogonalTo,
    boundaryAccuracy: old.accuracy,
    readAsOldBefore: oldBefore.filter((p) => p > 0.5).length / m,
    readAsOldAfter: oldAfter.filter((p) => p > 0.5).length / m,
    meanOldProbability: [oldBefore.reduce((s, x) => s + x, 0) / m, oldAfter.reduce((s, x) => s + x, 0) / m],
    toneKept: tone1.filter((t, i) => t === tone0[i]).length / m,
  };
}
const plain = await tryDirection([]);
const kept = await tryDirection(toneNames);

// A held-out real adult face, projected and aged.
const per = SIZE * SIZE * 3;
const adult = data.classNames.findIndex((c) => c === 'adult_tone3');
const k = Array.from(judge.heldOut).find((i) => data.labels![i] === adult) ?? judge.heldOut[0];
const target = Float32Array.from(data.pixels.subarray(k * per, (k + 1) * per), (v) => v / 127.5 - 1);
const projected = await project(trainer.sampler(), trainer.spec, target, 1, { judge, D: trainer.D });
const frames: Float32Array[] = [target, projected.images];
if (kept) for (const a of [1, 2, 3]) frames.push(await generateLatents(trainer.sampler(), trainer.spec, moveLatent(projected.z, [{ direction: kept.direction, amount: a }]), null));
mkdirSync(OUT, { recursive: true });
const strip = new Float32Array(frames.length * per);
frames.forEach((f, i) => strip.set(f, i * per));
writeFileSync(join(OUT, 'ageing-strip.png'), await sharp(await gridPng({ data: strip, count: frames.length, size: SIZE, channels: 3 }, { columns: frames.length })).resize({ width: frames.length * 96, kernel: 'nearest' }).png().toBuffer());
const samples = await generateBatch(trainer, sampleLatents(trainer, 64, 5).z, null);
writeFileSync(join(OUT, 'samples.png'), await sharp(await gridPng(samples, { columns: 16 })).resize({ width: 16 * 64, kernel: 'nearest' }).png().toBuffer());

const summary = {
  run: run.id,
  step,
  images: counts,
  trainSeconds,
  judgeAccuracy: judge.accuracy,
  fid: lastEvaluation?.fid ?? null,
  /** What the judge reads in 200 samples of the run: shares per age and per tone. */
  sampled,
  projectionPsnr: projected.psnr[0],
  old: plain && { ...plain, direction: undefined },
  oldKeepingTone: kept && { ...kept, direction: undefined },
};
if (o.json) console.log(JSON.stringify(summary));
else console.log(JSON.stringify(summary, null, 2));
