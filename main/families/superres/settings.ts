/**
 * Super-resolution's settings (task 'superres'): pure, so the renderer's New
 * run form shares them.
 */
import { z } from 'zod';
import { PRESET_VALUES, positiveInt, withoutUndefined } from '../../engine/config.js';
import { SR_DEGRADATIONS } from './degrade.js';
import { describeFidelity } from './describe.js';
import { defineSection } from '../settings-section.js';

export const SR_SCALES = [2, 4] as const;
export const SR_CROPS = [28, 32, 64, 128] as const;
export const SR_DOWNSCALES = ['area', 'bicubic'] as const;
export { SR_DEGRADATIONS };
export const SR_ADV_LOSSES = ['ragan', 'bce'] as const;
export const SR_SCHEDULES = ['cosine', 'constant'] as const;
/** Super-resolution's default schedule: what the 2-core development machine trains in about half an hour (docs/superres.md). */
export const SR_DEFAULT_STEPS = 3000;

/**
 * Super-resolution (task 'superres'): a generator learns to undo a fixed
 * downscaling of random crops, first for PSNR (L1 alone), then against a
 * patch discriminator. Defaults from SRGAN/ESRGAN where they apply, set by
 * measurement here where they do not (docs/superres.md).
 */
export const SuperResSchema = z
  .object({
    scale: z.union([z.literal(2), z.literal(4)]).default(4),
    /** Side of the high-resolution crops trained on (and of the discriminator's input). */
    crop: z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128)]).default(64),
    downscale: z.enum(SR_DOWNSCALES).default('area'),
    /** 'realistic': blur, noise and JPEG on the low-resolution inputs, drawn afresh per image, as Real-ESRGAN synthesises them. */
    degradation: z.enum(SR_DEGRADATIONS).default('none'),
    /** Steps of the PSNR phase (default: two thirds of the steps); the adversarial phase takes the rest. */
    psnrSteps: z.number().int().min(0).max(10_000_000).optional(),
    blocks: z.number().int().min(1).max(64).default(8),
    feats: positiveInt(256).default(32),
    /** The patch discriminator's first width, doubled at each of its three strides (16: half an adversarial step's cost of 32 on a CPU). */
    dWidth: positiveInt(256).default(16),
    /** L1 content loss weight in the adversarial phase (the PSNR phase is L1 alone). */
    contentWeight: z.number().min(0).max(1000).default(1),
    advWeight: z.number().min(0).max(1000).default(5e-3),
    /** Matching D's intermediate features of real and upscaled patches (L1), 0 is off. */
    fmWeight: z.number().min(0).max(1000).default(0),
    advLoss: z.enum(SR_ADV_LOSSES).default('ragan'),
    /** Random flips and quarter turns of each crop. */
    flips: z.boolean().default(true),
    /** cosine: the learning rates fall from theirs to a tenth along the PSNR phase and stay there; constant: they do not move. */
    schedule: z.enum(SR_SCHEDULES).default('cosine'),
  })
  .strict();
export type SuperResSettings = Required<z.output<typeof SuperResSchema>>;

/**
 * Super-resolution's own defaults for what the user left out: Adam with
 * ESRGAN's β 0.9/0.99 at 1e-3 on a cosine schedule (measured against
 * ESRGAN's constant 2e-4 in docs/superres.md: a short schedule on a CPU gains more
 * from the larger rate), an average of G, batches of 16 crops, two thirds of
 * the steps for the PSNR phase; the GAN presets' stabilisers do not apply.
 */
export function resolveSuperRes<T extends { superres?: z.input<typeof SuperResSchema>; steps?: number; checkpointEvery?: number; lrG?: number; lrD?: number; emaDecay?: number; batch?: number; dSteps?: number; beta1G?: number; beta2G?: number; beta1D?: number; beta2D?: number }>(parsed: T) {
  // Every crop size is a multiple of every scale.
  const sr = SuperResSchema.parse(parsed.superres ?? {});
  const c = withoutUndefined(parsed);
  const steps = c.steps ?? SR_DEFAULT_STEPS;
  return {
    ...PRESET_VALUES.tutorial,
    ...c,
    steps,
    checkpointEvery: c.checkpointEvery ?? 500,
    lrG: c.lrG ?? 1e-3,
    lrD: c.lrD ?? 1e-3,
    emaDecay: c.emaDecay ?? 0.999,
    batch: c.batch ?? 16,
    dSteps: c.dSteps ?? 1,
    beta1G: c.beta1G ?? 0.9,
    beta2G: c.beta2G ?? 0.99,
    beta1D: c.beta1D ?? 0.9,
    beta2D: c.beta2D ?? 0.99,
    superres: { ...sr, psnrSteps: Math.min(sr.psnrSteps ?? Math.round((2 * steps) / 3), steps) },
  };
}

/** config.superres: the runs of task superres, resolved with its own defaults above. */
export const superResSection = defineSection<SuperResSettings>()({
  key: 'superres',
  tasks: ['superres'],
  schema: SuperResSchema,
  needs: 'super-resolution settings need task superres',
  describe: describeFidelity,
  resolve: (parsed) => resolveSuperRes(parsed as Parameters<typeof resolveSuperRes>[0]),
});
