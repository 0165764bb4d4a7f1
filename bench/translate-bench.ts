/**
 * npm run bench:translate [-- --emoji DIR --steps N --cycle-steps N --backend B --only paired|unpaired --keep --json]
 *
 * The image-to-image measurements of docs/translate.md, on colour material that
 * needs no download and is not shipped: the npm package
 * emoji-datasource-google (Apache-2.0 images; `npm pack
 * emoji-datasource-google && tar xzf emoji-datasource-google-*.tgz`, then
 * --emoji package/). Paired: colourisation of the 64 px emoji, pix2pix with
 * L1 + adversarial against pix2pix's own ablation, L1 alone, same seed and
 * steps, both against the gray input itself. Unpaired: CycleGAN between two
 * of the emoji categories at 32 px (Smileys & Emotion ↔ Animals & Nature).
 * Everything through the studio service, as a person's runs; example strips
 * written to artifacts/translate/.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { useBackend } from '../main/engine/backends.js';
import { readCheckpoint } from '../main/families/run-checkpoint.js';
import { asChannels } from '../main/families/translate/base.js';
import { CycleGanTrainer } from '../main/families/translate/cyclegan.js';
import { Pix2PixTrainer } from '../main/families/translate/pix2pix.js';
import { loadDataset } from '../main/datasets/index.js';
import type { TrainConfigInput } from '../main/families/run-config.js';
import type { Evaluation } from '../main/evaluation/evaluation.js';
import { StudioService } from '../main/service/studio-service.js';

const { values: o } = parseArgs({
  options: {
    emoji: { type: 'string', default: '/tmp/emoji-pkg/package' },
    steps: { type: 'string', default: '1200' },
    'cycle-steps': { type: 'string', default: '1000' },
    backend: { type: 'string', default: 'auto' },
    only: { type: 'string' },
    keep: { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const OUT = fileURLToPath(new URL('../../artifacts/translate/', import.meta.url));
const say = (s: string) => !o.json && console.error(s);
const png = join(o.emoji, 'img/google/64');
if (!existsSync(png)) throw new Error(`no emoji images at ${png}: unpack emoji-datasource-google and pass --emoji DIR`);

const work = mkdtempSync(join(tmpdir(), 'gan-translate-bench-'));
const home = join(work, 'home');
const service = new StudioService(home);
mkdirSync(OUT, { recursive: true });

async function train(name: string, config: TrainConfigInput): Promise<{ id: string; last: Evaluation; seconds: number }> {
  const evaluations: Evaluation[] = [];
  const off = service.on('run.evaluation', (e) => {
    evaluations.push(e.evaluation);
    say(`${name} step ${e.evaluation.step}: fid ${e.evaluation.fid.toFixed(3)} ${JSON.stringify(e.evaluation.translation)}`);
  });
  const finished = new Promise<{ id: string; error: string | null; seconds: number }>((resolve) =>
    service.on('run.finished', (e) => resolve({ id: e.id, error: e.error, seconds: e.summary?.seconds ?? 0 })),
  );
  const created = await service.call('runs.create', { name, config: { backend: o.backend as 'auto', ...config } });
  if (!created.ok) throw new Error(created.error.message);
  const done = await finished;
  if (done.error) throw new Error(done.error);
  // The last evaluation lands after the run ends: wait for it.
  const target = service.store.get(done.id).step;
  while (!evaluations.some((e) => e.step === target)) await new Promise((r) => setTimeout(r, 200));
  off();
  return { id: done.id, last: evaluations.find((e) => e.step === target)!, seconds: done.seconds };
}

const lastCheckpoint = (id: string) => readCheckpoint(service.store.checkpoints(id).at(-1)!.path);

/** Rows of equal-sized panels (0–255, 3 channels) side by side, written as one PNG. */
async function strip(file: string, rows: Float32Array[][], side: number): Promise<string> {
  const cols = rows[0].length;
  const out = new Uint8Array(rows.length * side * cols * side * 3);
  rows.forEach((panels, r) =>
    panels.forEach((p, k) => {
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side * 3; x++) out[((r * side + y) * cols * side + k * side) * 3 + x] = Math.max(0, Math.min(255, Math.round(p[y * side * 3 + x])));
      }
    }),
  );
  const path = join(OUT, file);
  await sharp(out, { raw: { width: cols * side, height: rows.length * side, channels: 3 } }).png().toFile(path);
  return path;
}

const summary: Record<string, unknown> = { backend: o.backend };
const round = (v: number | undefined, d: number) => (v == null || !Number.isFinite(v) ? null : +v.toFixed(d));

if (o.only !== 'unpaired') {
  const imported = await service.call('datasets.import', { paths: [png], name: 'emoji', size: 64, channels: 3, fit: 'crop' });
  if (!imported.ok) throw new Error(imported.error.message);
  const steps = Number(o.steps);
  const adv = await train('colourise L1 + adversarial', { task: 'pix2pix', dataset: 'emoji', steps, translate: { source: 'gray' } });
  const l1 = await train('colourise L1 alone', { task: 'pix2pix', dataset: 'emoji', steps, translate: { source: 'gray', advWeight: 0 } });
  const t = (e: Evaluation) => e.translation!;
  const base = t(adv.last).baseline!;
  const table = [
    { name: 'gray input (baseline)', l1: round(base.l1, 4), psnr: round(base.psnr, 2), ssim: round(base.ssim, 4), fid: round(base.fid, 3) },
    { name: 'pix2pix, L1 alone', l1: round(t(l1.last).l1, 4), psnr: round(t(l1.last).psnr, 2), ssim: round(t(l1.last).ssim, 4), fid: round(l1.last.fid, 3), seconds: Math.round(l1.seconds) },
    { name: 'pix2pix, L1 + adversarial', l1: round(t(adv.last).l1, 4), psnr: round(t(adv.last).psnr, 2), ssim: round(t(adv.last).ssim, 4), fid: round(adv.last.fid, 3), seconds: Math.round(adv.seconds) },
  ];
  await useBackend(o.backend as 'auto');
  const data = loadDataset(service.store.db, home, 'emoji');
  const models = [l1.id, adv.id].map((id) => Pix2PixTrainer.create(service.store.get(id).config, data, lastCheckpoint(id)));
  const held = Array.from(models[0].split!.heldOut.slice(0, 8));
  const rows: Float32Array[][] = [];
  for (const k of held) {
    const p = models[0].heldOutPair(k);
    const outs = await Promise.all(models.map((m) => m.translateAll(p.a, 1, 'AtoB')));
    rows.push([asChannels(p.a, 1, 3), ...outs, p.b]);
  }
  models.forEach((m) => m.dispose());
  summary.paired = {
    images: data.count,
    heldOut: t(adv.last).images,
    steps,
    table,
    fidRatio: round(adv.last.fid / l1.last.fid, 3),
    psnrGap: round(t(adv.last).psnr! - t(l1.last).psnr!, 2),
    strip: await strip('colourise.png', rows, 64),
  };
}

if (o.only !== 'paired') {
  // Two categories of emoji.json as class folders.
  const folder = join(work, 'categories');
  const domains = { smileys: 'Smileys & Emotion', animals: 'Animals & Nature' };
  const list = JSON.parse(readFileSync(join(o.emoji, 'emoji.json'), 'utf8')) as { image: string; category: string; has_img_google: boolean }[];
  for (const [dir, category] of Object.entries(domains)) {
    mkdirSync(join(folder, dir), { recursive: true });
    for (const e of list) if (e.category === category && e.has_img_google && existsSync(join(png, e.image))) copyFileSync(join(png, e.image), join(folder, dir, e.image));
  }
  const imported = await service.call('datasets.import', { paths: [folder], name: 'emoji-categories', size: 32, channels: 3, fit: 'crop' });
  if (!imported.ok) throw new Error(imported.error.message);
  const steps = Number(o['cycle-steps']);
  const run = await train('smileys ↔ animals', { task: 'cyclegan', dataset: 'emoji-categories', steps, translate: { classA: 'smileys', classB: 'animals' } });
  const t = run.last.translation!;
  await useBackend(o.backend as 'auto');
  const data = loadDataset(service.store.db, home, 'emoji-categories');
  const model = CycleGanTrainer.create(service.store.get(run.id).config, data, null, lastCheckpoint(run.id));
  const rows: Float32Array[][] = [];
  for (const [which, there, back] of [
    [0, 'AtoB', 'BtoA'],
    [1, 'BtoA', 'AtoB'],
  ] as const) {
    const { data: imgs, count } = model.heldOutImages(which, 4);
    const per = 32 * 32 * 3;
    for (let i = 0; i < count; i++) {
      const x = imgs.slice(i * per, (i + 1) * per);
      const y = await model.translateAll(x, 1, there);
      rows.push([x, y, await model.translateAll(y, 1, back)]);
    }
  }
  model.dispose();
  summary.unpaired = {
    domains,
    heldOut: t.images,
    steps,
    seconds: Math.round(run.seconds),
    cycleA: round(t.cycleA, 4),
    cycleB: round(t.cycleB, 4),
    fidAtoB: round(run.last.fid, 3),
    fidBtoA: round(t.fidReverse, 3),
    shareJudgedB: round(t.shareTarget, 3),
    shareJudgedA: round(t.shareTargetReverse, 3),
    domainAccuracy: round(t.domainAccuracy, 3),
    untranslated: t.untranslated && {
      fidAtoB: round(t.untranslated.fid, 3),
      fidBtoA: round(t.untranslated.fidReverse, 3),
      shareJudgedB: round(t.untranslated.shareTarget, 3),
      shareJudgedA: round(t.untranslated.shareTargetReverse, 3),
    },
    strip: await strip('smileys-animals.png', rows, 32),
  };
}

await service.close();
console.log(o.json ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
if (o.keep) console.error(`kept the studio home: GAN_STUDIO_HOME=${home}`);
else rmSync(work, { recursive: true, force: true });
