/**
 * The service's commands that run an image-to-image model on a person's
 * image, upscaling or translating it (as the run's family can), in tiles
 * whose progress comes out as events.
 */
import { StudioError } from '../errors.js';
import { MAX_UPSCALE_BYTES, type CommandHandlers } from './contract.js';
import type { EditContext } from './edit-handlers.js';

const fail = (code: 'INVALID_INPUT', message: string) => new StudioError(message, code);

export function imageHandlers(ctx: EditContext): Pick<CommandHandlers, 'images.upscale' | 'images.translate'> {
  return {
    'images.upscale': async ({ id, step, image, name, tile, check, ticket }) => {
      const ref = ctx.checkpointRef(id, step);
      ctx.runThatCan(id, 'upscale');
      const bytes = Buffer.from(image, 'base64');
      if (bytes.length > MAX_UPSCALE_BYTES) throw fail('INVALID_INPUT', `the image is larger than ${MAX_UPSCALE_BYTES / 2 ** 20} MB`);
      const r = await ctx.generation.request({ kind: 'upscale', ckpt: ref, image: new Uint8Array(bytes), name, tile, check }, (done, total) =>
        ticket ? ctx.emit('upscale.progress', { id, ticket, done, total }) : undefined,
      );
      return { step: ref.step, png: Buffer.from(r.png).toString('base64'), width: r.width, height: r.height, inputWidth: r.inputWidth, inputHeight: r.inputHeight };
    },
    'images.translate': async ({ id, step, image, name, direction, derive, check, ticket }) => {
      const ref = ctx.checkpointRef(id, step);
      ctx.runThatCan(id, 'translate');
      const bytes = Buffer.from(image, 'base64');
      if (bytes.length > MAX_UPSCALE_BYTES) throw fail('INVALID_INPUT', `the image is larger than ${MAX_UPSCALE_BYTES / 2 ** 20} MB`);
      const r = await ctx.generation.request({ kind: 'translate', ckpt: ref, image: new Uint8Array(bytes), name, direction, derive, check }, (done, total) =>
        ticket ? ctx.emit('translate.progress', { id, ticket, done, total }) : undefined,
      );
      return { step: ref.step, png: Buffer.from(r.png).toString('base64'), width: r.width, height: r.height };
    },
  };
}
