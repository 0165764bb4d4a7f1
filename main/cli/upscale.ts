/** `gan-studio upscale`: images of any size through a super-resolution run's model, in tiles, as PNGs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import type { CheckpointData } from '../families/run-checkpoint.js';
import type { SrSpec } from '../families/superres/networks.js';
import { DEFAULT_TILE, upscaleTiled } from '../families/superres/tiles.js';
import type { SrTrainer } from '../families/superres/trainer.js';
import { StudioError } from '../errors.js';
import { readForUpscale, upscaledPng } from '../images/full-size-io.js';
import { backendChoice, int, parseOptions, splitPositionals } from './options.js';
import { barOf } from './progress.js';
import { pngNames, readImageFiles } from './image-files.js';
import { openRunCheckpoint } from './run-generator.js';

const OPTIONS = {
  run: { type: 'string' },
  out: { type: 'string' },
  tile: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function upscaleCommand(args: string[]): Promise<number> {
  const { positionals: files, flags } = splitPositionals(args, OPTIONS);
  const o = parseOptions('upscale', flags, OPTIONS);
  if (!o.out) throw new StudioError('upscale: --out DIR is required');
  if (files.length === 0) throw new StudioError('upscale: name one or more images to upscale');
  const tile = int('tile', o.tile) ?? DEFAULT_TILE;
  if (tile < 16 || tile > 2048) throw new StudioError(`--tile must be between 16 and 2048 low-resolution pixels, got ${tile}`);
  const { record, checkpoint } = await openRunCheckpoint(o.run, 'upscale', backendChoice(o.backend) ?? 'auto');
  const family = familyOfSpec(checkpoint.spec);
  requireCapability(family, 'upscale', record.id);
  const { spec } = checkpoint as CheckpointData & { spec: SrSpec };
  // Every input is read and checked before anything is written.
  const inputs = await readImageFiles(files, (buf, file) => readForUpscale(buf, spec.channels, spec.scale, file));
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const model = family.load(checkpoint) as SrTrainer;
  const tty = !o.json && process.stderr.isTTY;
  try {
    const nameOf = pngNames();
    for (const { file, input } of inputs) {
      const t0 = performance.now();
      const result = await upscaleTiled(model, input.image, tile, (done, total) => {
        if (tty) process.stderr.write(`\r${barOf(done / total)} ${basename(file)} tile ${done}/${total}`);
      });
      if (tty) process.stderr.write('\n');
      const path = join(out, nameOf(file));
      writeFileSync(path, await upscaledPng(result, input));
      const summary = { type: 'upscaled', run: record.id, step: checkpoint.step, input: file, output: path, width: result.width, height: result.height, seconds: Math.round((performance.now() - t0) / 100) / 10 };
      if (o.json) console.log(JSON.stringify(summary));
      else console.error(`${file} → ${path} (${input.image.width}×${input.image.height} → ${result.width}×${result.height}, ${summary.seconds} s)`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}
