/**
 * node dist/bench/text-bench.js [--home DIR] [--dataset builtin:mnist | --folder DIR --name NAME --size 32] [--gan-steps 1200] [--grid FILE] [--json]
 *
 * The text-to-image measurement of docs/text.md. Both runs — text-conditional
 * (model text) and class-conditional (cdcgan, which knows only the
 * category) — train on the same images: the dataset less a held-out fifth
 * of each class (at most 500), the augmentation studies' split. The
 * held-out images' captions are prompts neither run saw. For 1,000 of them
 * (an image drawn, then one of its captions):
 *   - category: the share of generated images the dataset's judge reads as
 *     the category of the caption's image (the class run is given that
 *     category itself);
 *   - R-precision: an image–text encoder trained on real training pairs
 *     only (the studio's own, a separate seed) ranks the true caption among
 *     it and 99 other held-out captions of other texts, for each image; the
 *     share ranked first. Real held-out images give the ceiling;
 *   - FID against real images, in the judge's features.
 * Runs already trained in the home (tagged text-bench, same dataset and
 * steps) are reused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useBackend } from '../main/engine/backends.js';
import { resolveConfig, type TrainConfigInput } from '../main/families/run-config.js';
import { Rng } from '../main/engine/rng.js';
import { generateBatch } from '../main/engine/sampling.js';
import { type ImageBatch } from '../main/core/image-batch.js';
import { TextGanTrainer } from '../main/families/text/trainer.js';
import { Trainer } from '../main/families/gan/trainer.js';
import { imageBatch } from '../main/engine/batches.js';
import { tf } from '../main/engine/tf.js';
import { loadDataset } from '../main/datasets/index.js';
import { datasetDir, datasetExists } from '../main/datasets/store.js';
import { applySubset, studySplit } from '../main/datasets/subset.js';
import { drawCaptions } from '../main/families/text/evaluation.js';
import { judgeFor } from '../main/evaluation/judges.js';
import { evaluateSamples, realReference } from '../main/judges/index.js';
import { gridPng } from '../main/images/png.js';
import { StudioService } from '../main/service/studio-service.js';

const { values: o } = parseArgs({
  options: {
    home: { type: 'string' },
    dataset: { type: 'string', default: 'builtin:mnist' },
    folder: { type: 'string' },
    name: { type: 'string' },
    size: { type: 'string', default: '32' },
    'gan-steps': { type: 'string', default: '1200' },
    'encoder-steps': { type: 'string', default: '1500' },
    prompts: { type: 'string', default: '1000' },
    grid: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const say = (m: string) => void (o.json ? process.stderr : process.stdout).write(`${m}\n`);
const home = o.home ?? mkdtempSync(join(tmpdir(), 'text-bench-'));
const service = new StudioService(home);
const dataset = o.name ?? o.dataset!;
const ganSteps = Number(o['gan-steps']);
const HOLD_OUT = { perClass: 'all' as const, seed: 1 };

if (o.folder && !datasetExists(service.store.db, dataset)) {
  say(`importing ${o.folder} as ${dataset} at ${o.size} px…`);
  const r = await service.call('datasets.import', { paths: [o.folder], name: dataset, size: Number(o.size) as 32, channels: 3 });
  if (!r.ok) throw new Error(r.error.message);
  say(`${r.value.imported} images, ${r.value.captions?.count ?? 0} captions, ${r.value.captions?.vocabulary ?? 0} words, ${r.value.classes.length} classes`);
}

/** The bench's run of a model, trained now unless the home has it. */
async function benchRun(model: 'text' | 'cdcgan'): Promise<string> {
  const input: TrainConfigInput = { dataset, model, subset: HOLD_OUT, steps: model === 'text' ? resolveConfig({ dataset, model }).text!.encoderSteps + ganSteps : ganSteps };
  const want = JSON.stringify(resolveConfig(input));
  const have = service.store.list().find((r) => r.tags.includes('text-bench') && r.status === 'completed' && JSON.stringify(r.config) === want);
  if (have) {
    say(`${model}: run ${have.id} (trained before)`);
    return have.id;
  }
  const t0 = performance.now();
  const created = await service.call('runs.create', { name: `text-bench ${model}`, config: input });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.id;
  service.store.setTags(id, ['text-bench'], []);
  say(`${model}: training run ${id} (${input.steps} steps)…`);
  let last = 0;
  service.on('run.progress', (e) => {
    if (e.id === id && e.metrics.step - last >= 100) say(`  ${model} step ${(last = e.metrics.step)}/${input.steps}`);
  });
  await new Promise<void>((resolve, reject) =>
    service.on('run.finished', (e) => {
      if (e.id !== id) return;
      if (e.error) reject(new Error(e.error));
      else resolve();
    }),
  );
  say(`${model}: trained in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
  return id;
}

const textId = await benchRun('text');
const classId = await benchRun('cdcgan');

await useBackend('auto');
const data = loadDataset(service.store.db, home, dataset);
const split = studySplit(data.labels, data.classNames.length, data.name);
const n = Number(o.prompts);
const draw = drawCaptions(data, n, 0x7e57, split.test);
const texts = Array.from(draw.captions, (i) => data.captions!.texts[i]);
const captionImage = Array.from(draw.captions, (i) => data.captions!.image[i]);

// The evaluation encoder: the studio's own, trained on the runs' training pairs only, its own seed.
say('training the evaluation encoder on real training pairs…');
const pool = applySubset(data, HOLD_OUT);
const enc = TextGanTrainer.create(resolveConfig({ dataset, model: 'text', seed: 7, text: { encoderSteps: Number(o['encoder-steps']) } }), pool);
while (!enc.encoderTrained) await enc.trainStep();

const distinct = [...new Set(texts)];
const textVectors = (await enc.encodePrompts(distinct)).vectors;
const E = enc.spec.text.embedDim;
/** Share of images whose own caption scores above 99 other held-out captions of other texts (fewer when there are fewer). */
async function rPrecision(images: Float32Array): Promise<{ r: number; candidates: number }> {
  const img = await enc.embedImages(images);
  let hits = 0;
  let candidates = 0;
  // The same draws of other captions for every set of images measured.
  const r = Rng.fromSeed(0x7a2c);
  for (let i = 0; i < n; i++) {
    const own = distinct.indexOf(texts[i]);
    const others = distinct.map((_, k) => k).filter((k) => k !== own);
    for (let k = others.length - 1; k > 0; k--) {
      const j = r.int(k + 1);
      [others[k], others[j]] = [others[j], others[k]];
    }
    const pool = [own, ...others.slice(0, 99)];
    candidates = pool.length;
    const score = (k: number) => {
      let s = 0;
      for (let d = 0; d < E; d++) s += img[i * E + d] * textVectors[k * E + d];
      return s;
    };
    const best = pool.reduce((a, b) => (score(b) > score(a) ? b : a));
    if (best === own) hits++;
  }
  return { r: hits / n, candidates };
}

const { judge, kind } = await judgeFor(data, datasetDir(service.store.db, home, dataset), (m) => say(m));
const real = await realReference(judge, data, 1000, 1);

const textTrainer = TextGanTrainer.fromCheckpoint(service.store.latestCheckpoint(textId)!);
const classTrainer = Trainer.fromCheckpoint(service.store.latestCheckpoint(classId)!);
const latents = Rng.fromSeed(0x51ed).normal(n * textTrainer.spec.zDim);
const prompted = await textTrainer.generateBatch(latents, (await textTrainer.encodePrompts(texts)).vectors);
const classed = await generateBatch(classTrainer, latents.slice(0, n * classTrainer.spec.zDim), draw.labels!);
const heldOutReal = tf.tidy(() => imageBatch(data, captionImage).dataSync() as Float32Array);

async function measure(name: string, images: Float32Array) {
  const e = await evaluateSamples(judge, real, images, n, draw.labels!);
  const rp = await rPrecision(images);
  return { name, category: e.classAccuracy ?? null, rPrecision: rp.r, candidates: rp.candidates, fid: e.fid };
}
const rows = [await measure('text-conditional (model text)', prompted.data), await measure('class-conditional (cdcgan)', classed.data), await measure('real held-out images', heldOutReal)];
// The real images are the held-out set itself, not a sample of the generator: their FID is against the other real images.
const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
say(`\n${dataset}: ${n} held-out captions (${distinct.length} distinct), judge ${kind}, GAN steps ${ganSteps} each`);
say(`  ${'images'.padEnd(32)} ${'category'.padStart(9)} ${'R-precision'.padStart(12)} ${'FID'.padStart(8)}`);
for (const r of rows) say(`  ${r.name.padEnd(32)} ${pct(r.category).padStart(9)} ${pct(r.rPrecision).padStart(12)} ${r.fid.toFixed(2).padStart(8)}`);
say(`  (R-precision: the true caption first among ${rows[0].candidates})`);

if (o.grid) {
  // Eight held-out prompts of distinct text, eight latents each: a row per prompt.
  const picks: string[] = [];
  for (const t of texts) if (!picks.includes(t) && picks.length < 8) picks.push(t);
  const z = Rng.fromSeed(3).normal(8 * textTrainer.spec.zDim);
  const zs = new Float32Array(picks.length * z.length);
  picks.forEach((_, r) => zs.set(z, r * z.length));
  const v = (await textTrainer.encodePrompts(picks)).vectors;
  const vs = new Float32Array(picks.length * 8 * E);
  for (let r = 0; r < picks.length; r++) for (let c = 0; c < 8; c++) vs.set(v.subarray(r * E, (r + 1) * E), (r * 8 + c) * E);
  const batch: ImageBatch = await textTrainer.generateBatch(zs, vs);
  writeFileSync(o.grid, await gridPng(batch, { columns: 8 }));
  writeFileSync(`${o.grid}.txt`, picks.map((p, i) => `row ${i + 1}: ${p}`).join('\n') + '\n');
  say(`grid of ${picks.length} held-out prompts × 8 latents: ${o.grid} (prompts in ${o.grid}.txt)`);
}
if (o.json) console.log(JSON.stringify({ dataset, ganSteps, prompts: n, distinct: distinct.length, judge: kind, runs: { text: textId, class: classId }, rows }));
textTrainer.dispose();
classTrainer.dispose();
enc.dispose();
await service.close();
