/**
 * Importing 256×256 JPEGs into a 64×64 RGB dataset through the studio
 * service (worker thread, sharp): target ≥ 500 images/s on 2 cores.
 * `npm run bench:import [-- --json] [-- --images N] [-- --rounds R]`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Rng } from '../main/engine/rng.js';
import { StudioService } from '../main/service/studio-service.js';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, images: { type: 'string' }, rounds: { type: 'string' } } });
const IMAGES = Number(values.images ?? 2000);
const ROUNDS = Number(values.rounds ?? 5);
const TARGET = 500;

/** Photo-like content: smooth colour fields plus fine noise, so files are the size of real 256 px photos (~15–25 kB). */
async function makeJpeg(rng: Rng, i: number): Promise<Buffer> {
  const side = 256;
  const px = Buffer.alloc(side * side * 3);
  const [a, b, c] = [rng.uniform() * 6, rng.uniform() * 6, rng.uniform() * 6];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = (y * side + x) * 3;
      const n = rng.uniform() * 40;
      px[o] = 100 + 80 * Math.sin(x / 40 + a) + n;
      px[o + 1] = 100 + 80 * Math.sin(y / 30 + b) + n;
      px[o + 2] = 100 + 80 * Math.sin((x + y) / 50 + c + i) + n;
    }
  }
  return sharp(px, { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

const root = mkdtempSync(join(tmpdir(), 'gan-studio-import-bench-'));
try {
  const src = join(root, 'photos');
  mkdirSync(src);
  const rng = Rng.fromSeed(7);
  let bytes = 0;
  for (let i = 0; i < IMAGES; i++) {
    const jpeg = await makeJpeg(rng, i);
    bytes += jpeg.length;
    writeFileSync(join(src, `${String(i).padStart(5, '0')}.jpg`), jpeg);
  }
  const service = new StudioService(join(root, 'home'));
  const rates: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      const res = await service.call('datasets.import', { paths: [src], name: `bench-${r}`, size: 64, channels: 3 });
      const seconds = (performance.now() - t) / 1000;
      if (!res.ok) throw new Error(res.error.message);
      if (res.value.imported !== IMAGES) throw new Error(`imported ${res.value.imported} of ${IMAGES}`);
      rates.push(IMAGES / seconds);
      await service.call('datasets.delete', { name: `bench-${r}` });
    }
  } finally {
    await service.close();
  }
  const sorted = [...rates].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  const result = {
    images: IMAGES,
    source: '256×256 JPEG',
    mean_file_kb: Math.round(bytes / IMAGES / 102.4) / 10,
    target: '64×64 RGB',
    rounds: rates.map((x) => Math.round(x)),
    median_images_per_s: Math.round(median),
    goal_images_per_s: TARGET,
    meets_goal: median >= TARGET,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`import ${IMAGES} × ${result.source} (${result.mean_file_kb} kB each) → ${result.target}, whole service path (worker, scan, decode, pack, publish)`);
    console.log(`rounds: ${result.rounds.join(', ')} images/s`);
    console.log(`median ${result.median_images_per_s} images/s (goal ≥ ${TARGET}: ${result.meets_goal ? 'met' : 'NOT met'})`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
