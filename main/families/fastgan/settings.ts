/**
 * FastGAN's settings (task 'fastgan'): pure, so New run shares them. Its
 * defaults are the paper's where a desktop can follow them (hinge loss,
 * Adam 2e-4 with β₁ 0.5, an averaged generator, DiffAugment on every batch D
 * sees) and smaller where it cannot (batch 16, networks at a sixteenth of the
 * paper's width).
 */
import { z } from 'zod';
import { defineSection } from '../settings-section.js';

export const FastGanSchema = z
  .object({
    /** Weight of the decoders' reconstruction loss in D's (the paper's 1). */
    recon: z.number().min(0).max(100).default(1),
  })
  .strict();

export type FastGanSettings = z.output<typeof FastGanSchema>;

export const FASTGAN_DEFAULT_STEPS = 2000;

export const fastGanSection = defineSection<FastGanSettings>()({
  key: 'fastgan',
  tasks: ['fastgan'],
  schema: FastGanSchema,
  needs: 'FastGAN settings need task fastgan',
  resolve: ({ fastgan, ...rest }, gan) => ({
    ...gan(
      { ...rest, lrG: rest.lrG ?? 2e-4, lrD: rest.lrD ?? 2e-4, augment: rest.augment ?? 'on', emaDecay: rest.emaDecay ?? 0.999, batch: rest.batch ?? 16 } as typeof rest,
      { loss: 'hinge', steps: FASTGAN_DEFAULT_STEPS },
    ),
    fastgan: FastGanSchema.parse(fastgan ?? {}),
  }),
});
