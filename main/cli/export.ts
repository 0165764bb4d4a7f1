/** `gan-studio export`: a folder of generated images (for augmentation), or the generator as a tfjs model. */
import { resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { exportImages } from '../export/images.js';
import { exportableModel, saveLayersModel } from '../export/tfjs-model.js';
import { isSuperRes, isTranslation } from '../engine/checkpoint.js';
import { translatorFromCheckpoint, type TranslationModel } from '../engine/translate/load.js';
import { saveTranslators } from '../export/translate-model.js';
import { SrTrainer } from '../engine/superres/trainer.js';
import { Trainer } from '../engine/trainer.js';
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
  if (isSuperRes(checkpoint.spec) && o.format === 'images') throw new StudioError(`run ${record.id} is a super-resolution run: it upscales images (gan-studio upscale) and exports as --format tfjs`);
  if (isTranslation(checkpoint.spec)) {
    if (o.format === 'images') throw new StudioError(`run ${record.id} is a translation run: it translates images (gan-studio translate) and exports as --format tfjs`);
    return exportTranslation(translatorFromCheckpoint(checkpoint), out, { run: record.id, step, dataset: record.config.dataset }, !!o.json);
  }
  if (o.format === 'tfjs') {
    const trainer = isSuperRes(checkpoint.spec) ? SrTrainer.fromCheckpoint(checkpoint) : Trainer.fromCheckpoint(checkpoint);
    const { model, meta } = exportableModel(trainer);
    try {
      const files = await saveLayersModel(model, out, { run: record.id, step, dataset: record.config.dataset, classNames, ...meta });
      if (o.json) console.log(JSON.stringify({ type: 'export', format: 'tfjs', run: record.id, step, files }));
      else if (trainer instanceof SrTrainer) console.error(`wrote ${files.join(' and ')}: load with tf.loadLayersModel('…/model.json'); input low-resolution images in [-1, 1] of any size, output ${trainer.spec.scale}× larger (${trainer.weightsPhase} phase, step ${step})`);
      else console.error(`wrote ${files.join(' and ')}: load with tf.loadLayersModel('…/model.json'); input z of ${trainer.spec.zDim} normal numbers${trainer.spec.numClasses ? ` and a one-hot class of ${trainer.spec.numClasses}` : ''}`);
      return 0;
    } finally {
      model.dispose();
      trainer.dispose();
    }
  }
  const trainer = Trainer.fromCheckpoint(checkpoint);
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

/** pix2pix's generator into `out`, or CycleGAN's two into out/AtoB and out/BtoA, each with the custom layer's code. */
async function exportTranslation(t: TranslationModel, out: string, meta: Record<string, unknown>, json: boolean): Promise<number> {
  let files: string[];
  try {
    files = await saveTranslators(t, out, meta);
  } finally {
    t.dispose();
  }
  if (json) console.log(JSON.stringify({ type: 'export', format: 'tfjs', ...meta, files }));
  else {
    const custom = t.spec.norm === 'instance' ? "; call registerInstanceNorm(tf) from instance-norm.js first" : '';
    console.error(`wrote ${files.join(', ')}: load with tf.loadLayersModel('…/model.json')${custom}; input images in [-1, 1] (${t.spec.size} px as trained), output the translation, same size`);
  }
  return 0;
}
