/** `gan-studio sample`: PNG images from a run's newest checkpoint, and a grid of them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useBackend } from '../engine/backends.js';
import { Trainer } from '../engine/trainer.js';
import { gridPng, imagePng } from '../images/png.js';
import { StudioError } from '../errors.js';
import { RunStore } from '../runs/store.js';
import { studioHome } from '../runs/home.js';
import { classLabels, generateBatch, sampleLatents } from '../training/preview.js';
import { backendChoice, int, parseOptions } from './options.js';

const OPTIONS = {
  run: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  class: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Larger grids stop being something a person looks at. */
const GRID_LIMIT = 1024;

export async function sampleCommand(args: string[]): Promise<number> {
  const o = parseOptions('sample', args, OPTIONS);
  if (!o.run) throw new StudioError('sample: --run ID is required; `gan-studio runs` lists them');
  if (!o.out) throw new StudioError('sample: --out DIR is required');
  const count = int('count', o.count) ?? 64;
  if (count > 100_000) throw new StudioError(`--count must be at most 100000, got ${count}`);
  const seed = int('seed', o.seed, 0) ?? 1;
  const backend = backendChoice(o.backend) ?? 'auto';

  const store = new RunStore(studioHome());
  let record, ckpt;
  try {
    record = store.get(o.run);
    ckpt = store.latestCheckpoint(record.id, (m) => console.error(`warning: skipped a damaged checkpoint: ${m}`));
  } finally {
    store.close();
  }
  if (!ckpt) throw new StudioError(`run ${record.id} has no checkpoint yet; train it first`);
  await useBackend(backend);
  const trainer = Trainer.fromCheckpoint(ckpt);
  try {
    const { numClasses } = trainer.spec;
    let { z, labels } = sampleLatents(trainer, count, seed);
    const cls = int('class', o.class, 0);
    if (cls !== undefined) labels = classLabels(trainer, count, cls);
    const batch = generateBatch(trainer, z, labels);
    const out = resolve(o.out);
    mkdirSync(out, { recursive: true });
    const digits = Math.max(4, String(count).length);
    const files: string[] = [];
    // sharp encodes on its own thread pool; a few dozen at a time keeps memory flat.
    for (let i = 0; i < count; i += 32) {
      const idx = Array.from({ length: Math.min(32, count - i) }, (_, k) => i + k);
      const pngs = await Promise.all(idx.map((k) => imagePng(batch, k)));
      idx.forEach((k, j) => {
        const file = join(out, `${String(k + 1).padStart(digits, '0')}.png`);
        writeFileSync(file, pngs[j]);
        files.push(file);
      });
    }
    const columns = numClasses > 0 && cls === undefined ? numClasses * Math.max(1, Math.floor(32 / numClasses)) : undefined;
    const grid = join(out, 'grid.png');
    writeFileSync(grid, await gridPng(batch, { columns, limit: GRID_LIMIT }));
    if (o.json) console.log(JSON.stringify({ type: 'samples', run: record.id, step: ckpt.step, count, out, grid }));
    else console.error(`wrote ${count} images of ${batch.size}×${batch.size} px from run ${record.id} (step ${ckpt.step}) to ${out}, and grid.png`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
