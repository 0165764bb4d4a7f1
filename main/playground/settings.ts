/**
 * What a person may set for a playground session, validated where it crosses
 * the contract, and how it becomes a full recipe.
 */
import { z } from 'zod';
import { BACKEND_CHOICES } from '../engine/config.js';
import { DISTRIBUTIONS, DRAWN_EXTENT, MAX_DRAWN_POINTS, MIN_DRAWN_POINTS } from './distributions.js';
import { DEFAULT_RECIPE, type PlaygroundRecipe } from './recipe.js';

const Coordinate = z.number().finite().min(-DRAWN_EXTENT).max(DRAWN_EXTENT);

export const PlaygroundSettingsSchema = z
  .object({
    distribution: z.enum(DISTRIBUTIONS).default('ring'),
    /** The drawn distribution's points, [x, y] within ±5; only for 'drawn'. */
    points: z
      .array(z.tuple([Coordinate, Coordinate]))
      .min(MIN_DRAWN_POINTS, `draw at least ${MIN_DRAWN_POINTS} points`)
      .max(MAX_DRAWN_POINTS, `at most ${MAX_DRAWN_POINTS} points`)
      .optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(DEFAULT_RECIPE.seed),
    /** Discriminator updates per generator update (k). */
    dSteps: z.number().int().min(1).max(20).default(DEFAULT_RECIPE.dSteps),
    lrG: z.number().positive().max(0.1).default(DEFAULT_RECIPE.lrG),
    lrD: z.number().positive().max(0.1).default(DEFAULT_RECIPE.lrD),
    steps: z.number().int().min(1).max(200_000).default(DEFAULT_RECIPE.steps),
    /** Start paused at step 0, to go step by step. */
    paused: z.boolean().default(false),
    // The CPU engines: the playground's networks are too small for a GPU, and its trainer reads tensors synchronously.
    backend: z.enum(BACKEND_CHOICES).exclude(['webgpu']).default('wasm'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.distribution === 'drawn' && !s.points) ctx.addIssue({ code: 'custom', path: ['points'], message: 'a drawn distribution needs its points' });
    if (s.distribution !== 'drawn' && s.points) ctx.addIssue({ code: 'custom', path: ['points'], message: `points are only for the drawn distribution, not ${s.distribution}` });
  });

export type PlaygroundSettingsInput = z.input<typeof PlaygroundSettingsSchema>;
export type PlaygroundSettings = z.output<typeof PlaygroundSettingsSchema>;

export function recipeFor(s: PlaygroundSettings): PlaygroundRecipe {
  return { ...DEFAULT_RECIPE, seed: s.seed, dSteps: s.dSteps, lrG: s.lrG, lrD: s.lrD, steps: s.steps };
}
