/**
 * Image-to-image translation settings: pix2pix (paired, task 'pix2pix') and
 * CycleGAN (unpaired, task 'cyclegan'). Defaults are the papers' where they
 * apply (Isola et al. 2017; Zhu et al. 2017) and set by measurement here
 * where a CPU's budget differs (docs/translate.md).
 */
import { z } from 'zod';
import { PRESET_VALUES, withoutUndefined } from '../../engine/config.js';
import { describeTranslation } from './describe.js';
import { defineSection, settingsIssue } from '../settings-section.js';

/**
 * Where pix2pix's inputs come from: made from each image of any dataset
 * (its grayscale, its Canny edges, the image with a region blanked), or an
 * imported paired dataset (classes A and B, partners side by side).
 */
export const TRANSLATE_SOURCES = ['gray', 'edges', 'mask', 'pairs'] as const;
export type TranslateSource = (typeof TRANSLATE_SOURCES)[number];
export const NORMS = ['instance', 'batch'] as const;
export type Norm = (typeof NORMS)[number];
export const LR_DECAYS = ['linear', 'constant'] as const;

export const TranslateSchema = z
  .object({
    /** pix2pix: how an input is made from each image, or 'pairs' for an imported paired dataset. */
    source: z.enum(TRANSLATE_SOURCES).default('gray'),
    /** cyclegan: domain B, another dataset of the same size and channels as the run's (domain A). */
    datasetB: z.string().min(1).max(200).optional(),
    /** cyclegan: domains as two classes of the run's dataset instead (both names given, datasetB left out). */
    classA: z.string().min(1).max(200).optional(),
    classB: z.string().min(1).max(200).optional(),
    /** The generators' first width (pix2pix's ngf). */
    ngf: z.number().int().min(4).max(256).default(32),
    /** The discriminators' first width (ndf). */
    ndf: z.number().int().min(4).max(256).default(32),
    norm: z.enum(NORMS).default('instance'),
    /** pix2pix: dropout in the U-Net's innermost decoder layers, its only source of noise (0 turns it off). */
    dropout: z.number().min(0).lt(1).default(0.5),
    /** pix2pix: the L1 term's weight (λ = 100 in the paper). */
    l1Weight: z.number().min(0).max(10_000).default(100),
    /** The adversarial term's weight; 0 is pix2pix's "L1 alone" ablation (no discriminator is trained). */
    advWeight: z.number().min(0).max(1000).default(1),
    /** cyclegan: cycle-consistency weight λ. */
    cycleWeight: z.number().min(0).max(1000).default(10),
    /** cyclegan: identity weight, as a share of the cycle weight (0.5 in the paper; 0 is off). */
    identity: z.number().min(0).max(10).default(0.5),
    /** cyclegan: residual blocks of each generator (default 6 up to 128 px, 9 above, as the paper). */
    blocks: z.number().int().min(1).max(32).optional(),
    /** cyclegan: past generated images each discriminator also sees (0 is off). */
    pool: z.number().int().min(0).max(1000).default(50),
    /** Random horizontal mirroring of training images (of both partners alike). */
    flips: z.boolean().default(true),
    /** linear: the learning rates hold for the first half of the steps and fall linearly to 1 % over the second. */
    decay: z.enum(LR_DECAYS).default('linear'),
    /** edges: Canny's smoothing σ and hysteresis thresholds (on the gradient magnitude of 0–1 luma). */
    cannySigma: z.number().min(0).max(10).default(1),
    cannyLow: z.number().min(0).max(10).default(0.1),
    cannyHigh: z.number().min(0).max(10).default(0.2),
    /** mask: side of the blanked square as a share of the image's side. */
    maskSize: z.number().gt(0).max(1).default(0.5),
  })
  .strict();
export type TranslateSettings = Omit<Required<z.output<typeof TranslateSchema>>, 'datasetB' | 'classA' | 'classB'> &
  Pick<z.output<typeof TranslateSchema>, 'datasetB' | 'classA' | 'classB'>;

/** Default steps: what the 2-core development machine trains in about twenty minutes at the default 64 px. */
export const TRANSLATE_DEFAULT_STEPS = { pix2pix: 2000, cyclegan: 2000 } as const;

interface ConfigFields {
  steps?: number;
  batch?: number;
  checkpointEvery?: number;
  lrG?: number;
  lrD?: number;
  emaDecay?: number;
  dSteps?: number;
  beta1G?: number;
  beta2G?: number;
  beta1D?: number;
  beta2D?: number;
}

/**
 * The translation run's defaults for what the user left out: Adam 2e-4,
 * β1 0.5 as both papers; batches of 8 for pix2pix and 4 for CycleGAN's two
 * generators (the papers use 1, which a CPU runs
 * at a fraction of the throughput; instance norm keeps each image's
 * statistics its own whatever the batch); the generator's average kept.
 */
export function resolveTranslate<T extends ConfigFields>(task: 'pix2pix' | 'cyclegan', input: z.output<typeof TranslateSchema> | undefined, c: T) {
  const t = TranslateSchema.parse(input ?? {});
  const issue = (path: string, message: string) => settingsIssue(['translate', path], message);
  if (task === 'cyclegan') {
    if (!t.datasetB && !(t.classA && t.classB)) throw issue('datasetB', 'CycleGAN needs domain B: another dataset (datasetB), or two classes of this one (classA and classB)');
    if (t.datasetB && (t.classA || t.classB)) throw issue('classA', 'give domain B as a dataset or domains as two classes, not both');
    if (t.classA && t.classA === t.classB) throw issue('classB', 'the two domains must be different classes');
  } else if (t.datasetB || t.classA || t.classB) {
    throw issue('datasetB', 'pix2pix makes its pairs from one dataset (source); a second domain is for CycleGAN');
  }
  return {
    ...c,
    task,
    steps: c.steps ?? TRANSLATE_DEFAULT_STEPS[task],
    batch: c.batch ?? (task === 'pix2pix' ? 8 : 4),
    checkpointEvery: c.checkpointEvery ?? 500,
    lrG: c.lrG ?? 2e-4,
    lrD: c.lrD ?? 2e-4,
    emaDecay: c.emaDecay ?? 0.999,
    dSteps: c.dSteps ?? 1,
    beta1G: c.beta1G ?? 0.5,
    beta2G: c.beta2G ?? 0.999,
    beta1D: c.beta1D ?? 0.5,
    beta2D: c.beta2D ?? 0.999,
    translate: t as TranslateSettings,
  };
}

/**
 * The learning rates' floor under the linear decay: about where the
 * reference's last epoch ends (lr / (n_epochs_decay + 1)), and where a run
 * given more steps than its schedule goes on learning rather than standing
 * still at 0.
 */
export const LR_FLOOR = 0.01;

/** The learning rates' factor at a step: 1, then (linear) down to LR_FLOOR over the second half of the run's steps, and there after. */
export function translateLrScale(decay: (typeof LR_DECAYS)[number], step: number, steps: number): number {
  if (decay === 'constant') return 1;
  const half = Math.floor(steps / 2);
  if (step < half) return 1;
  return Math.max(LR_FLOOR, 1 - (step - half) / Math.max(1, steps - half));
}

/** config.translate: the runs of tasks pix2pix and cyclegan, on the tutorial preset's stabilisers (off) with the papers' optimiser. */
export const translateSection = defineSection<TranslateSettings>()({
  key: 'translate',
  tasks: ['pix2pix', 'cyclegan'],
  schema: TranslateSchema,
  needs: 'translation settings need task pix2pix or cyclegan',
  describe: describeTranslation,
  resolve: ({ translate, ...rest }) => ({
    ...PRESET_VALUES.tutorial,
    ...resolveTranslate(rest.task as 'pix2pix' | 'cyclegan', translate as z.output<typeof TranslateSchema> | undefined, withoutUndefined(rest) as ConfigFields),
  }),
});
