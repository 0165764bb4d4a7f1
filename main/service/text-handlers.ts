/**
 * The service's commands for text-to-image runs: the words a run knows,
 * images of a prompt, and a walk between two prompts. Unknown words are
 * returned for the front end to point out; the generation worker refuses a
 * prompt with no known word at all before drawing.
 */
import { Rng } from '../engine/rng.js';
import { StudioError } from '../errors.js';
import type { CommandHandlers } from './contract.js';
import type { EditContext } from './edit-handlers.js';
import { exportTarget } from './output-handlers.js';

type TextCommands = 'text.vocabulary' | 'text.generate' | 'text.interpolate';

const fail = (message: string) => new StudioError(message, 'INVALID_INPUT');

export function textHandlers(ctx: EditContext): Pick<CommandHandlers, TextCommands> {
  /** The run, refused unless it is text-conditional, and its checkpoint. */
  const textRun = (id: string, step?: number) => {
    return { run: ctx.runThatCan(id, 'prompt'), ckpt: ctx.checkpointRef(id, step) };
  };
  return {
    'text.vocabulary': async ({ id, step }) => {
      const { ckpt } = textRun(id, step);
      const v = await ctx.generation.request({ kind: 'prompt-vocab', ckpt });
      return { step: ckpt.step, words: v.words, counts: v.counts, maxLen: v.maxLen, encoderSteps: v.encoderSteps };
    },
    'text.generate': async ({ id, step, prompt, count, seed, latents, truncation, out }) => {
      const { run, ckpt } = textRun(id, step);
      const zDim = run.config.zDim;
      if (latents?.some((l) => l.length !== zDim)) throw fail(`each latent needs ${zDim} numbers`);
      const n = latents ? latents.length : count;
      if (n > 64 && out === undefined) throw fail('count: at most 64 images come back in an answer; more are written to a folder (out)');
      const dir = out === undefined ? null : exportTarget(ctx, out, id, 'prompt');
      // The same seed gives the same latents as `gan-studio generate --seed`.
      const z = latents ? Float32Array.from(latents.flat()) : Rng.fromSeed(seed ?? 1).normal(n * zDim);
      const r = await ctx.generation.request({ kind: 'prompt', ckpt, prompts: Array(n).fill(prompt), z, psi: truncation, out: dir });
      return {
        step: ckpt.step,
        images: r.pngs,
        grid: r.grid,
        latents: dir !== null ? [] : Array.from({ length: n }, (_, i) => Array.from(z.subarray(i * zDim, (i + 1) * zDim))),
        unknown: r.unknown[0].unknown,
        known: r.unknown[0].known,
      };
    },
    'text.interpolate': async ({ id, step, from, to, seed, latent, frames, fps, scale, truncation }) => {
      const { run, ckpt } = textRun(id, step);
      const zDim = run.config.zDim;
      if (latent && latent.length !== zDim) throw fail(`a latent of this run has ${zDim} numbers, got ${latent.length}`);
      const z = latent ? Float32Array.from(latent) : Rng.fromSeed(seed).normal(zDim);
      const r = await ctx.generation.request({ kind: 'prompt-walk', ckpt, from, to, z, frames, fps, scale, psi: truncation });
      return { step: ckpt.step, gif: Buffer.from(r.gif).toString('base64'), frames, unknown: r.unknown };
    },
  };
}
