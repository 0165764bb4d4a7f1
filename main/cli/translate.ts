/** `gan-studio translate`: images of any size through a translation run's model (pix2pix or CycleGAN), in overlapping tiles, as PNGs. */
import { StudioError } from '../errors.js';
import { backendChoice, int, parseOptions, splitPositionals } from './options.js';
import { transformFiles } from './image-files.js';
import { call, runOf, withModelService } from './service-call.js';

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
    await transformFiles(service, files, o.out!, o, {
      check: (image, file) => call(service, 'images.translate', { id, step, image, name: file, direction, derive, check: true }),
      run: (image, file, ticket) => call(service, 'images.translate', { id, step, image, name: file, direction, derive, ticket }),
      progress: 'translate.progress',
      done: (r, file, output, seconds) => {
        if (o.json) console.log(JSON.stringify({ type: 'translated', run: id, step: r.step, direction, input: file, output, width: r.width, height: r.height, seconds }));
        else console.error(`${file} → ${output} (${r.width}×${r.height}, ${direction}, ${seconds} s)`);
      },
    });
    return 0;
  });
}
