/** `gan-studio export`: a folder of generated images (for augmentation), or the generator as a tfjs model. */
import { resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { backendChoice, int, parseOptions } from './options.js';
import { barOf, StatusLine } from './progress.js';
import { call, runOf, ticketOf, withModelService } from './service-call.js';

const OPTIONS = {
  run: { type: 'string' },
  format: { type: 'string' },
  count: { type: 'string' },
  'per-class': { type: 'boolean' },
  seed: { type: 'string' },
  step: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function exportCommand(args: string[]): Promise<number> {
  const o = parseOptions('export', args, OPTIONS);
  if (!o.out) throw new StudioError('export: --out DIR is required');
  if (o.format !== 'images' && o.format !== 'tfjs') throw new StudioError('export: --format must be images or tfjs');
  const out = resolve(o.out);
  const step = int('step', o.step);
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'export');
    if (o.format === 'tfjs') {
      const r = await call(service, 'export.model', { id, step, out });
      if (o.json) console.log(JSON.stringify({ type: 'export', format: 'tfjs', run: id, step: r.step, files: r.files }));
      else console.error(`wrote ${r.files.join(', ')}: load with tf.loadLayersModel('…/model.json')${r.use ? `; ${r.use}` : ''}`);
      return 0;
    }
    const count = int('count', o.count) ?? 1000;
    if (count > 1_000_000) throw new StudioError('--count must be at most 1000000');
    const perClass = !!o['per-class'];
    const line = !o.json && process.stderr.isTTY ? new StatusLine(process.stderr) : null;
    const ticket = ticketOf('export');
    const off = service.on('export.progress', (p) => p.ticket === ticket && line?.draw(`${barOf(p.done / p.total)} ${p.done}/${p.total} images`));
    try {
      const r = await call(service, 'export.images', { id, step, count, perClass, seed: int('seed', o.seed, 0) ?? 1, out, ticket });
      line?.end();
      if (o.json) console.log(JSON.stringify({ type: 'export', format: 'images', run: id, step: r.step, count: r.count, dirs: r.dirs }));
      else console.error(`wrote ${r.count} images from run ${id} (step ${r.step}) to ${out}${perClass ? `, ${count} per class` : ''}`);
      return 0;
    } finally {
      off();
    }
  });
}
