/** `gan-studio export`: a folder of generated images (for augmentation), or the generator as a tfjs model. */
import { resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { exportImages } from '../export/images.js';
import type { NoiseModel } from '../engine/sampling.js';
import type { LoadedModel } from '../families/family.js';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import { backendChoice, int, parseOptions } from './options.js';
import { barOf, StatusLine } from './progress.js';
import { openRunCheckpoint } from './run-generator.js';

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
  const { record, checkpoint, classNames } = await openRunCheckpoint(o.run, 'export', backendChoice(o.backend) ?? 'auto', int('step', o.step));
  const { step } = checkpoint;
  const family = familyOfSpec(checkpoint.spec);
  requireCapability(family, o.format === 'tfjs' ? 'export-model' : 'export-images', record.id);
  if (o.format === 'tfjs') {
    const host = await family.host();
    const model = family.load(checkpoint);
    try {
      const files = await host.exportModel!(model, out, { run: record.id, step, dataset: record.config.dataset, classNames });
      if (o.json) console.log(JSON.stringify({ type: 'export', format: 'tfjs', run: record.id, step, files }));
      else console.error(`wrote ${files.join(', ')}: load with tf.loadLayersModel('…/model.json')${host.exportedUse ? `; ${host.exportedUse(model)}` : ''}`);
      return 0;
    } finally {
      model.dispose();
    }
  }
  const trainer = family.load(checkpoint) as NoiseModel & LoadedModel;
  try {
    const count = int('count', o.count) ?? 1000;
    if (count > 1_000_000) throw new StudioError('--count must be at most 1000000');
    const perClass = !!o['per-class'];
    if (perClass && trainer.spec.numClasses === 0) throw new StudioError('--per-class needs a class-conditional (cdcgan) run');
    const line = !o.json && process.stderr.isTTY ? new StatusLine(process.stderr) : null;
    const { dirs, count: total } = await exportImages(trainer, { dir: out, count, perClass, classNames, seed: int('seed', o.seed, 0) ?? 1 }, (done, all) =>
      line?.draw(`${barOf(done / all)} ${done}/${all} images`),
    );
    line?.end();
    if (o.json) console.log(JSON.stringify({ type: 'export', format: 'images', run: record.id, step, count: total, dirs }));
    else console.error(`wrote ${total} images from run ${record.id} (step ${step}) to ${out}${perClass ? `, ${count} per class` : ''}`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
