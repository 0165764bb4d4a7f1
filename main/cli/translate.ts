/** `gan-studio translate`: images of any size through a translation run's model (pix2pix or CycleGAN), in overlapping tiles, as PNGs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import type { TranslationModel } from '../families/translate/load.js';
import { DIRECTIONS, translateTiled, type Direction } from '../families/translate/tiles.js';
import { StudioError } from '../errors.js';
import { readForTranslation, translatedPng } from '../families/translate/io.js';
import { backendChoice, parseOptions, splitPositionals } from './options.js';
import { barOf } from './progress.js';
import { pngNames, readImageFiles } from './image-files.js';
import { openRunCheckpoint } from './run-generator.js';

const OPTIONS = {
  run: { type: 'string' },
  out: { type: 'string' },
  direction: { type: 'string' },
  derive: { type: 'boolean' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function translateCommand(args: string[]): Promise<number> {
  const { positionals: files, flags } = splitPositionals(args, OPTIONS);
  const o = parseOptions('translate', flags, OPTIONS);
  if (!o.out) throw new StudioError('translate: --out DIR is required');
  if (files.length === 0) throw new StudioError('translate: name one or more images to translate');
  const direction = (o.direction ?? 'AtoB') as Direction;
  if (!DIRECTIONS.includes(direction)) throw new StudioError(`--direction must be AtoB or BtoA, got ${o.direction}`);
  const { record, checkpoint } = await openRunCheckpoint(o.run, 'translate', backendChoice(o.backend) ?? 'auto');
  const family = familyOfSpec(checkpoint.spec);
  requireCapability(family, 'translate', record.id);
  const model = family.load(checkpoint) as TranslationModel;
  const tty = !o.json && process.stderr.isTTY;
  try {
    // Every input is read and checked before anything is written.
    const inputs = await readImageFiles(files, (buf, file) => readForTranslation(buf, model, direction, !!o.derive, file));
    const out = resolve(o.out);
    mkdirSync(out, { recursive: true });
    const nameOf = pngNames();
    for (const { file, input } of inputs) {
      const t0 = performance.now();
      const result = await translateTiled(model, input.image, direction, (done, total) => {
        if (tty) process.stderr.write(`\r${barOf(done / total)} ${basename(file)} tile ${done}/${total}`);
      });
      if (tty) process.stderr.write('\n');
      const path = join(out, nameOf(file));
      writeFileSync(path, await translatedPng(result, input));
      const summary = { type: 'translated', run: record.id, step: checkpoint.step, direction, input: file, output: path, width: result.width, height: result.height, seconds: Math.round((performance.now() - t0) / 100) / 10 };
      if (o.json) console.log(JSON.stringify(summary));
      else console.error(`${file} → ${path} (${result.width}×${result.height}, ${direction}, ${summary.seconds} s)`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}
