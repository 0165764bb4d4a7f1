/** `gan-studio translate`: images of any size through a translation run's model (pix2pix or CycleGAN), in overlapping tiles, as PNGs. */
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
  const direction = o.direction ?? 'AtoB';
  if (direction !== 'AtoB' && direction !== 'BtoA') throw new StudioError(`--direction must be AtoB or BtoA, got ${o.direction}`);
  const derive = !!o.derive;
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'translate');
    const step = int('step', o.step, 0);
    // Every input is read and checked before anything is written.
    const inputs = await readImageFiles(files, async (buf, file) => {
      const image = buf.toString('base64');
      await call(service, 'images.translate', { id, step, image, name: file, direction, derive, check: true });
      return image;
    });
    const out = resolve(o.out!);
    mkdirSync(out, { recursive: true });
    const tty = !o.json && process.stderr.isTTY;
    const nameOf = pngNames();
    for (const { file, input } of inputs) {
      const t0 = performance.now();
      const ticket = ticketOf('translate');
      const r = await withTileBar(
        tty,
        file,
        'tile',
        (draw) => service.on('translate.progress', (p) => p.ticket === ticket && draw(p.done, p.total)),
        () => call(service, 'images.translate', { id, step, image: input, name: file, direction, derive, ticket }),
      );
      const path = join(out, nameOf(file));
      writeFileSync(path, Buffer.from(r.png, 'base64'));
      const summary = { type: 'translated', run: id, step: r.step, direction, input: file, output: path, width: r.width, height: r.height, seconds: Math.round((performance.now() - t0) / 100) / 10 };
      if (o.json) console.log(JSON.stringify(summary));
      else console.error(`${file} → ${path} (${r.width}×${r.height}, ${direction}, ${summary.seconds} s)`);
    }
    return 0;
  });
}
