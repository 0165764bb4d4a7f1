/** Text-to-image's settings: pure, so the renderer's New run form shares them. */
import { z } from 'zod';
import { positiveInt, rate } from '../../engine/config.js';
import { defineSection, settingsIssue } from '../settings-section.js';

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

/**
 * config.text: a run of task text2image, model text, which trains a GAN
 * after its encoder phase. Runs stored before the task was its own were task
 * generate with model text.
 */
export const textSection = defineSection<TextSettings>()({
  key: 'text',
  tasks: ['text2image'],
  schema: TextSchema,
  needs: 'text settings need model text',
  normalize: (c) => {
    if (c.task === 'text2image' && c.model === 'cdcgan') throw settingsIssue(['model'], 'a text2image run is model text');
    if (c.model === 'text' && c.task !== 'generate' && c.task !== 'text2image') throw settingsIssue(['model'], `model text is task text2image, not ${c.task}`);
    return c.task === 'text2image' || c.model === 'text' ? { ...c, task: 'text2image', model: 'text' } : c;
  },
  upgradeStored: (c) => (c.model === 'text' && c.task === 'generate' ? { ...c, task: 'text2image' } : c),
  resolve: ({ text, ...rest }, gan) => {
    if (rest.loss === 'wgan-gp') throw settingsIssue(['loss'], 'a text-conditional run trains with bce, hinge or lsgan');
    const settings = TextSchema.parse(text ?? {});
    // bce: the loss its recipe was measured with; the encoder phase comes before the GAN's usual 1,200 steps.
    return { ...gan(rest, { loss: 'bce', steps: 1200 + settings.encoderSteps }), text: settings };
  },
});
