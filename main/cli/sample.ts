/** `gan-studio sample`: PNG images from a run's newest checkpoint, and a grid of them. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gridPng } from '../images/png.js';
import { StudioError } from '../errors.js';
import { writePngs } from '../export/images.js';
import { openRunGenerator } from './run-generator.js';
import { classLabels, generateBatch, sampleLatents } from '../engine/sampling.js';
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
  if (!o.out) throw new StudioError('sample: --out DIR is required');
  const count = int('count', o.count) ?? 64;
  if (count > 100_000) throw new StudioError(`--count must be at most 100000, got ${count}`);
  const seed = int('seed', o.seed, 0) ?? 1;
  const backend = backendChoice(o.backend) ?? 'auto';

  const { record, step, trainer } = await openRunGenerator(o.run, 'sample', backend);
  try {
    const { numClasses } = trainer.spec;
    let { z, labels } = sampleLatents(trainer, count, seed);
    const cls = int('class', o.class, 0);
    if (cls !== undefined) labels = classLabels(trainer, count, cls);
    const batch = await generateBatch(trainer, z, labels);
    const out = resolve(o.out);
    await writePngs(batch, out);
    const columns = numClasses > 0 && cls === undefined ? numClasses * Math.max(1, Math.floor(32 / numClasses)) : undefined;
    const grid = join(out, 'grid.png');
    writeFileSync(grid, await gridPng(batch, { columns, limit: GRID_LIMIT }));
    if (o.json) console.log(JSON.stringify({ type: 'samples', run: record.id, step, count, out, grid }));
    else console.error(`wrote ${count} images of ${batch.size}×${batch.size} px from run ${record.id} (step ${step}) to ${out}, and grid.png`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
