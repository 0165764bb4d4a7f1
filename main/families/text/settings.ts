/** Text-to-image's settings: pure, so the renderer's New run form shares them. */
import { z } from 'zod';
import { positiveInt, rate } from '../../engine/config.js';

/**
 * A text-conditional GAN (model 'text', GAN-INT-CLS after Reed et al. 2016):
 * an image–text encoder trained first on the dataset's captions, then a
 * generator conditioned on its caption vectors and a matching-aware
 * discriminator. Defaults measured in docs/text.md.
 */
export const TextSchema = z
  .object({
    /** Steps of the encoder phase (batches of `batch` captioned images); the GAN trains for the rest. */
    encoderSteps: z.number().int().min(1).max(100_000).default(300),
    encoderLr: rate.default(2e-3),
    wordDim: positiveInt(512).default(64),
    embedDim: positiveInt(512).default(128),
    /** The caption vector is compressed to this many numbers (with a leaky ReLU) before it joins the noise, as in the paper. */
    condDim: positiveInt(512).default(64),
    /** Share of each generator batch drawn from a mix of two captions' vectors (the paper's INT, β = 0.5); 0 turns it off. */
    interpolate: z.number().min(0).max(1).default(0.5),
  })
  .strict();
export type TextSettings = z.output<typeof TextSchema>;
