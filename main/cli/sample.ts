/** `gan-studio sample`: PNG images from a run's newest checkpoint, and a grid of them. */
import { resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { backendChoice, int, parseOptions } from './options.js';
import { call, runOf, withModelService } from './service-call.js';

const OPTIONS = {
  run: { type: 'string' },
  step: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  class: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function sampleCommand(args: string[]): Promise<number> {
  const o = parseOptions('sample', args, OPTIONS);
  if (!o.out) throw new StudioError('sample: --out DIR is required');
  const count = int('count', o.count) ?? 64;
  if (count > 100_000) throw new StudioError(`--count must be at most 100000, got ${count}`);
  const seed = int('seed', o.seed, 0) ?? 1;
  const classLabel = int('class', o.class, 0);
  const out = resolve(o.out);
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'sample');
    const r = await call(service, 'export.images', { id, step: int('step', o.step, 0), count, seed, classLabel, grid: true, out });
    if (o.json) console.log(JSON.stringify({ type: 'samples', run: id, step: r.step, count, out, grid: r.grid }));
    else console.error(`wrote ${count} images from run ${id} (step ${r.step}) to ${out}, and grid.png`);
    return 0;
  });
}
