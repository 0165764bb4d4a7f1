/** `gan-studio upscale`: images of any size through a super-resolution run's model, in tiles, as PNGs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { backendChoice, int, parseOptions, splitPositionals } from './options.js';
import { pngNames, readImageFiles, withTileBar } from './image-files.js';
import { call, runOf, ticketOf, withModelService } from './service-call.js';

const OPTIONS = {
  run: { type: 'string' },
  step: { type: 'string' },
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
  // Left out, the service's default.
  const tile = int('tile', o.tile);
  if (tile !== undefined && (tile < 16 || tile > 2048)) throw new StudioError(`--tile must be between 16 and 2048 low-resolution pixels, got ${tile}`);
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'upscale');
    const step = int('step', o.step, 0);
    // Every input is read and checked before anything is written.
    const inputs = await readImageFiles(files, async (buf, file) => {
      const image = buf.toString('base64');
      await call(service, 'images.upscale', { id, step, image, name: file, tile, check: true });
      return image;
    });
    const out = resolve(o.out!);
    mkdirSync(out, { recursive: true });
    const tty = !o.json && process.stderr.isTTY;
    const nameOf = pngNames();
    for (const { file, input } of inputs) {
      const t0 = performance.now();
      const ticket = ticketOf('upscale');
      const r = await withTileBar(
        tty,
        file,
        'tile',
        (draw) => service.on('upscale.progress', (p) => p.ticket === ticket && draw(p.done, p.total)),
        () => call(service, 'images.upscale', { id, step, image: input, name: file, tile, ticket }),
      );
      const path = join(out, nameOf(file));
      writeFileSync(path, Buffer.from(r.png, 'base64'));
      const summary = { type: 'upscaled', run: id, step: r.step, input: file, output: path, width: r.width, height: r.height, seconds: Math.round((performance.now() - t0) / 100) / 10 };
      if (o.json) console.log(JSON.stringify(summary));
      else console.error(`${file} → ${path} (${r.inputWidth}×${r.inputHeight} → ${r.width}×${r.height}, ${summary.seconds} s)`);
    }
    return 0;
  });
}
