/**
 * npm run bench:superres [-- --steps N --psnr-steps N --lr R --crop C --batch B --blocks N --feats N --backend B --wallpapers DIR --all-tiles --keep --json]
 *
 * The super-resolution measurement of docs/superres.md: a photo dataset built from
 * Debian packages (nothing downloaded, nothing shipped) — python3-skimage's
 * data photos and, when unpacked, lomiri-wallpapers-16.04 (`apt-get download
 * lomiri-wallpapers-16.04 && dpkg-deb -x lomiri-wallpapers-16.04_*.deb DIR`),
 * cut into 256 px tiles (those with no detail at ×4 left out) and imported;
 * the default ×4 schedule trained on it through the studio service; bicubic,
 * the end of the PSNR phase and the end of the adversarial phase compared on
 * the held-out tiles; before/after strips written to artifacts/superres/.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { useBackend } from '../main/engine/backends.js';
import { readCheckpoint } from '../main/families/run-checkpoint.js';
import { SrTrainer } from '../main/families/superres/trainer.js';
import { upscaleTiled } from '../main/families/superres/tiles.js';
import { downscale, resizeBicubic, type Image } from '../main/images/resample.js';
import { lowResOf } from '../main/families/superres/degrade.js';
import { Rng } from '../main/engine/rng.js';
import { heldOutImages } from '../main/families/superres/evaluation.js';
import { fidelity } from '../main/judges/fidelity.js';
import { loadDataset } from '../main/datasets/index.js';
import type { Evaluation } from '../main/evaluation/evaluation.js';
import { StudioService } from '../main/service/studio-service.js';

const { values: o } = parseArgs({
  options: {
    steps: { type: 'string' },
    'psnr-steps': { type: 'string' },
    lr: { type: 'string' },
    crop: { type: 'string' },
    batch: { type: 'string' },
    blocks: { type: 'string' },
    feats: { type: 'string' },
    skimage: { type: 'string', default: '/usr/lib/python3/dist-packages/skimage/data' },
    wallpapers: { type: 'string', default: '/tmp/lomiri/usr/share/backgrounds' },
    backend: { type: 'string', default: 'auto' },
    'all-tiles': { type: 'boolean' },
    /** Keep the studio home (dataset, run, checkpoints) and say where, for a closer look. */
    keep: { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const TILE = 256;
/** Never trained on nor measured: docs/superres.md's before/after picture (NASA, public domain), its face region. */
const SHOWCASE = { file: 'astronaut.png', left: 160, top: 24, side: 192 };
const SKIMAGE_PHOTOS = ['chelsea.png', 'coffee.png', 'hubble_deep_field.jpg', 'motorcycle_left.png', 'motorcycle_right.png', 'rocket.jpg'];
const OUT = fileURLToPath(new URL('../../artifacts/superres/', import.meta.url));
const say = (s: string) => !o.json && console.error(s);

/**
 * Tiles with nothing to restore at ×4 — sky, bokeh, soft focus, where bicubic
 * is already within FLAT_DB of the original — are left out (unless
 * --all-tiles): they would teach nothing and their high PSNR would drown the
 * held-out average, as standard test sets avoid by choosing detailed photos.
 */
const FLAT_DB = 35;
let flat = 0;
function hasDetail(tile: Image): boolean {
  const bicubic = resizeBicubic(downscale(tile, 4, 'area'), TILE, TILE);
  return fidelity(bicubic, tile, 4).psnr < FLAT_DB;
}

/** Every whole 256 px tile of a photo (halved first when it is over 1,200 px high: wallpapers are sharper so, and their JPEG blocks smaller). */
async function tiles(file: string, into: string): Promise<number> {
  const meta = await sharp(file).metadata();
  let img = sharp(file).rotate().removeAlpha();
  let [w, h] = [meta.width!, meta.height!];
  if (h > 1200) {
    [w, h] = [Math.round(w / 2), Math.round(h / 2)];
    img = img.resize(w, h, { kernel: 'lanczos3' });
  }
  const buf = await img.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let y = 0; y + TILE <= buf.info.height; y += TILE) {
    for (let x = 0; x + TILE <= buf.info.width; x += TILE) {
      const tile = sharp(buf.data, { raw: { width: buf.info.width, height: buf.info.height, channels: buf.info.channels } }).extract({ left: x, top: y, width: TILE, height: TILE });
      if (!o['all-tiles'] && !hasDetail({ data: Float32Array.from(await tile.clone().raw().toBuffer()), width: TILE, height: TILE, channels: 3 })) {
        flat++;
        continue;
      }
      await tile.png().toFile(join(into, `${basename(file).replace(/\.[^.]+$/, '')}-${y}-${x}.png`));
      n++;
    }
  }
  return n;
}

const work = mkdtempSync(join(tmpdir(), 'gan-sr-bench-'));
const home = join(work, 'home');
const folder = join(work, 'photos');
mkdirSync(folder, { recursive: true });
let sources = 0;
let count = 0;
for (const f of SKIMAGE_PHOTOS.map((p) => join(o.skimage, p)).filter(existsSync)) {
  count += await tiles(f, folder);
  sources++;
}
const wallpapers = existsSync(o.wallpapers) ? readdirSync(o.wallpapers).filter((f) => /\.(jpe?g|png)$/i.test(f)) : [];
for (const f of wallpapers) {
  count += await tiles(join(o.wallpapers, f), folder);
  sources++;
}
if (count < 20) throw new Error(`only ${count} tiles: install python3-skimage, and unpack lomiri-wallpapers-16.04 at --wallpapers`);
say(`${count} tiles of ${TILE} px from ${sources} photos (${wallpapers.length} wallpapers); ${flat} with no detail at ×4 left out`);

const service = new StudioService(home);
const imported = await service.call('datasets.import', { paths: [folder], name: 'photos', size: TILE, channels: 3, fit: 'crop' });
if (!imported.ok) throw new Error(imported.error.message);
const evaluations: Evaluation[] = [];
service.on('run.evaluation', (e) => {
  evaluations.push(e.evaluation);
  const f = e.evaluation.fidelity!;
  say(`step ${e.evaluation.step}: PSNR ${f.psnr.toFixed(2)} (bicubic ${f.psnrBicubic.toFixed(2)}) SSIM ${f.ssim.toFixed(4)} (${f.ssimBicubic.toFixed(4)}) patch FID ${e.evaluation.fid.toFixed(3)}`);
});
const finished = new Promise<{ id: string; error: string | null; seconds: number }>((resolve) =>
  service.on('run.finished', (e) => resolve({ id: e.id, error: e.error, seconds: e.summary?.seconds ?? 0 })),
);
const t0 = performance.now();
const created = await service.call('runs.create', {
  name: 'photos ×4',
  config: {
    task: 'superres',
    dataset: 'photos',
    backend: o.backend as 'auto',
    ...(o.steps ? { steps: Number(o.steps) } : {}),
    ...(o.lr ? { lrG: Number(o.lr), lrD: Number(o.lr) } : {}),
    ...(o.batch ? { batch: Number(o.batch) } : {}),
    superres: {
      ...(o['psnr-steps'] ? { psnrSteps: Number(o['psnr-steps']) } : {}),
      ...(o.crop ? { crop: Number(o.crop) as 64 } : {}),
      ...(o.blocks ? { blocks: Number(o.blocks) } : {}),
      ...(o.feats ? { feats: Number(o.feats) } : {}),
    },
  },
});
if (!created.ok) throw new Error(created.error.message);
const done = await finished;
if (done.error) throw new Error(done.error);
const wall = (performance.now() - t0) / 1000;
const run = service.store.get(done.id);
const sr = run.config.superres!;
const atPhaseEnd = evaluations.find((e) => e.step === sr.psnrSteps);
const last = evaluations.at(-1)!;
const row = (name: string, psnr: number, ssim: number, fid: number | null) => ({ name, psnr: +psnr.toFixed(2), ssim: +ssim.toFixed(4), fid: fid === null ? null : +fid.toFixed(3) });
const table = [
  row('bicubic', last.fidelity!.psnrBicubic, last.fidelity!.ssimBicubic, last.fidelity!.fidBicubic),
  ...(atPhaseEnd ? [row(`PSNR phase (step ${atPhaseEnd.step})`, atPhaseEnd.fidelity!.psnr, atPhaseEnd.fidelity!.ssim, atPhaseEnd.fid)] : []),
  row(`adversarial phase (step ${last.step})`, last.fidelity!.psnr, last.fidelity!.ssim, last.fid),
];

// Before/after strips, each: low resolution (pixels enlarged) | bicubic | the PSNR phase's model | the adversarial phase's | the original.
// One of the most detailed held-out tiles, and the showcase photo no run saw.
mkdirSync(OUT, { recursive: true });
await useBackend(o.backend as 'auto');
const data = loadDataset(service.store.db, home, 'photos');
const held = heldOutImages(data, sr);
const pick = held.originals.map((img, i) => ({ i, v: variance(img) })).sort((a, b) => b.v - a.v)[0].i;
const showFile = join(o.skimage, SHOWCASE.file);
const showcase = existsSync(showFile)
  ? await sharp(showFile).removeAlpha().extract({ left: SHOWCASE.left, top: SHOWCASE.top, width: SHOWCASE.side, height: SHOWCASE.side }).raw().toBuffer()
  : null;
const models = [sr.psnrSteps, last.step].map((step) => {
  const ckpt = service.store.checkpoints(run.id).find((c) => c.step === step);
  return ckpt ? SrTrainer.fromCheckpoint(readCheckpoint(ckpt.path)) : null;
});
const strips: string[] = [];
for (const [name, original] of [
  ['held-out', held.originals[pick]],
  ...(showcase ? [['astronaut', { data: Float32Array.from(showcase), width: SHOWCASE.side, height: SHOWCASE.side, channels: 3 }]] : []),
] as [string, Image][]) {
  const small = name === 'held-out' ? held.small[pick] : lowResOf(original, sr, Rng.fromSeed(1));
  const panels = [{ ...original, data: nearest(small, sr.scale) }, resizeBicubic(small, original.width, original.height)];
  for (const m of models) if (m) panels.push(await upscaleTiled(m, small));
  panels.push(original);
  const w = original.width;
  const strip = new Uint8Array(panels.length * w * original.height * 3);
  panels.forEach((p, k) => {
    for (let y = 0; y < original.height; y++) {
      for (let x = 0; x < w * 3; x++) strip[(y * panels.length * w + k * w) * 3 + x] = Math.max(0, Math.min(255, Math.round(p.data[y * w * 3 + x])));
    }
  });
  const file = join(OUT, `${name}.png`);
  await sharp(strip, { raw: { width: panels.length * w, height: original.height, channels: 3 } }).png().toFile(file);
  strips.push(file);
}
for (const m of models) m?.dispose();
await service.close();

function variance(img: Image): number {
  let s = 0;
  let s2 = 0;
  for (const v of img.data) {
    s += v;
    s2 += v * v;
  }
  const n = img.data.length;
  return s2 / n - (s / n) ** 2;
}

function nearest(img: Image, s: number): Float32Array {
  const w = img.width * s;
  const out = new Float32Array(w * img.height * s * 3);
  for (let y = 0; y < img.height * s; y++) {
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = img.data[(Math.floor(y / s) * img.width + Math.floor(x / s)) * 3 + c];
  }
  return out;
}

const summary = { tiles: count, flatTilesLeftOut: flat, photos: sources, heldOut: held.originals.length, scale: sr.scale, steps: run.step, psnrSteps: sr.psnrSteps, trainingSeconds: Math.round(done.seconds), wallSeconds: Math.round(wall), backend: run.backend, strips, table, evaluations: evaluations.map((e) => ({ step: e.step, ...e.fidelity, fid: e.fid })) };
if (o.json) console.log(JSON.stringify(summary));
else {
  console.log(`| | PSNR (dB) | SSIM | patch FID |\n| --- | ---: | ---: | ---: |`);
  for (const r of table) console.log(`| ${r.name} | ${r.psnr} | ${r.ssim} | ${r.fid ?? '–'} |`);
  console.log(`${summary.tiles} tiles (${summary.heldOut} held out), ×${summary.scale}, ${summary.steps} steps in ${summary.wallSeconds} s (training ${summary.trainingSeconds} s) on ${summary.backend}; crops in ${OUT}`);
}
if (o.keep) console.error(`kept the studio home: GAN_STUDIO_HOME=${home}`);
else rmSync(work, { recursive: true, force: true });
