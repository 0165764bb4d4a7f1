/** `gan-studio upscale`: images of any size through a super-resolution run's model, in tiles, as PNGs. */
import { StudioError } from '../errors.js';
import { backendChoice, int, parseOptions, splitPositionals } from './options.js';
import { transformFiles } from './image-files.js';
import { call, runOf, withModelService } from './service-call.js';

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
    await transformFiles(service, files, o.out!, o, {
      check: (image, file) => call(service, 'images.upscale', { id, step, image, name: file, tile, check: true }),
      run: (image, file, ticket) => call(service, 'images.upscale', { id, step, image, name: file, tile, ticket }),
      progress: 'upscale.progress',
      done: (r, file, output, seconds) => {
        if (o.json) console.log(JSON.stringify({ type: 'upscaled', run: id, step: r.step, input: file, output, width: r.width, height: r.height, seconds }));
        else console.error(`${file} → ${output} (${r.inputWidth}×${r.inputHeight} → ${r.width}×${r.height}, ${seconds} s)`);
      },
    });
    return 0;
  });
}
