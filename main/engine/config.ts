import { z } from 'zod';
import { SR_DEGRADATIONS } from './superres/degrade.js';
import { TranslateSchema, resolveTranslate, type TranslateSettings } from './translate/settings.js';

export const LOSSES = ['bce', 'hinge', 'lsgan', 'wgan-gp'] as const;
export const MODELS = ['dcgan', 'cdcgan', 'text'] as const;
export const BACKEND_CHOICES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const PRESETS = ['quality', 'tutorial'] as const;
export const AUGMENT = ['auto', 'on', 'off'] as const;
export const TASKS = ['generate', 'superres', 'pix2pix', 'cyclegan'] as const;
export { TRANSLATE_SOURCES, NORMS } from './translate/settings.js';
export const SR_SCALES = [2, 4] as const;
export const SR_CROPS = [28, 32, 64, 128] as const;
export const SR_DOWNSCALES = ['area', 'bicubic'] as const;
export { SR_DEGRADATIONS };
export const SR_ADV_LOSSES = ['ragan', 'bce'] as const;
export const SR_SCHEDULES = ['cosine', 'constant'] as const;
export type Task = (typeof TASKS)[number];
/** Super-resolution's default schedule: what the 2-core development machine trains in about half an hour (README, "Super-resolution"). */
export const SR_DEFAULT_STEPS = 3000;
export type Preset = (typeof PRESETS)[number];
export type Loss = (typeof LOSSES)[number];
export type Model = (typeof MODELS)[number];
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

const positiveInt = (max: number) => z.number().int().positive().max(max);

export const SubsetSchema = z
  .object({ perClass: z.union([z.number().int().min(1).max(1_000_000), z.literal('all')]), seed: z.number().int().min(0).max(2 ** 32 - 1).default(1) })
  .strict();
const rate = z.number().positive().max(1);
const beta = z.number().min(0).lt(1);

/**
 * Super-resolution (task 'superres'): a generator learns to undo a fixed
 * downscaling of random crops, first for PSNR (L1 alone), then against a
 * patch discriminator. Defaults from SRGAN/ESRGAN where they apply, set by
 * measurement here where they do not (README, "Super-resolution").
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
 * A text-conditional GAN (model 'text', GAN-INT-CLS after Reed et al. 2016):
 * an image–text encoder trained first on the dataset's captions, then a
 * generator conditioned on its caption vectors and a matching-aware
 * discriminator. Defaults measured in the README ("Text to image").
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

/** Everything that decides what a run computes; stored with the run and in each checkpoint. */
export const TrainConfigSchema = z
  .object({
    task: z.enum(TASKS).default('generate'),
    superres: SuperResSchema.optional(),
    translate: TranslateSchema.optional(),
    text: TextSchema.optional(),
    dataset: z.string().min(1).max(200),
    model: z.enum(MODELS).default('dcgan'),
    /** Default: the preset's (text-to-image runs: bce, the loss their recipe was measured with). */
    loss: z.enum(LOSSES).optional(),
    /** Default: 1200 for a GAN, SR_DEFAULT_STEPS for super-resolution. */
    steps: positiveInt(10_000_000).optional(),
    batch: positiveInt(4096).optional(),
    dSteps: positiveInt(100).optional(),
    /** Where the settings below come from when not given: see PRESET_VALUES. */
    preset: z.enum(PRESETS).default('quality'),
    lrG: rate.optional(),
    lrD: rate.optional(),
    beta1G: beta.optional(),
    beta2G: beta.optional(),
    beta1D: beta.optional(),
    beta2D: beta.optional(),
    zDim: positiveInt(1024).default(100),
    width: positiveInt(1024).default(64),
    dropout: z.number().min(0).lt(1).default(0.3),
    gpWeight: z.number().min(0).max(1000).default(10),
    emaDecay: z.number().min(0).lt(1).optional(),
    /** DiffAugment of every batch D sees; 'auto' turns it on for datasets under SMALL_DATASET images. */
    augment: z.enum(AUGMENT).optional(),
    spectralNorm: z.boolean().optional(),
    /** R1 penalty weight γ on real images; 0 is off. */
    r1: z.number().min(0).max(1000).optional(),
    /** One-sided label smoothing: D aims real images at 1 − this. */
    labelSmoothing: z.number().min(0).max(0.5).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    /** Default: 200 for a GAN, 500 for super-resolution (whose evaluation upscales whole held-out images). */
    checkpointEvery: positiveInt(10_000_000).optional(),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    /**
     * Train on part of a labelled dataset: the pool an augmentation study
     * leaves once its test images are set aside, K images per class drawn
     * with `seed` ('all': the whole pool). Absent: every image.
     */
    subset: SubsetSchema.optional(),
  })
  .strict();

export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = Required<Omit<z.output<typeof TrainConfigSchema>, 'superres' | 'translate' | 'subset' | 'text'>> & {
  superres?: SuperResSettings;
  translate?: TranslateSettings;
  text?: TextSettings;
  subset?: z.output<typeof SubsetSchema>;
};

type PresetKey = 'loss' | 'lrG' | 'lrD' | 'emaDecay' | 'augment' | 'spectralNorm' | 'r1' | 'labelSmoothing';

/**
 * `tutorial` is the TensorFlow DCGAN tutorial's training as published
 * (Adam 2e-4, β1 0.5, no stabiliser): the baseline that `npm run
 * bench:quality` measures the default against. `quality` is the default,
 * each stabiliser in it kept because it measurably helped there (README,
 * "Training that works without tuning").
 */
export const PRESET_VALUES: Record<Preset, Pick<TrainConfig, PresetKey>> = {
  tutorial: { loss: 'bce', lrG: 2e-4, lrD: 2e-4, emaDecay: 0, augment: 'off', spectralNorm: false, r1: 0, labelSmoothing: 0 },
  // The hinge loss: better than bce at 1,200 steps on Fashion-MNIST, MNIST and the colour set (README, "Harder and colour data").
  quality: { loss: 'hinge', lrG: 1e-3, lrD: 1e-3, emaDecay: 0.999, augment: 'auto', spectralNorm: false, r1: 0, labelSmoothing: 0 },
};

/**
 * Fills what the user left out from the preset. WGAN-GP wants several
 * critic steps and no momentum to train well; the other losses train with
 * the DCGAN settings. Values the user set win.
 */
export function resolveConfig(input: TrainConfigInput): TrainConfig {
  const parsed = TrainConfigSchema.parse(input);
  if (parsed.task !== 'superres' && parsed.superres) throw new z.ZodError([{ code: 'custom', path: ['superres'], message: 'super-resolution settings need task superres' }]);
  if (parsed.task !== 'pix2pix' && parsed.task !== 'cyclegan' && parsed.translate) {
    throw new z.ZodError([{ code: 'custom', path: ['translate'], message: 'translation settings need task pix2pix or cyclegan' }]);
  }
  if (parsed.text && (parsed.model !== 'text' || parsed.task !== 'generate')) throw new z.ZodError([{ code: 'custom', path: ['text'], message: 'text settings need model text' }]);
  if (parsed.model === 'text' && parsed.loss === 'wgan-gp') {
    throw new z.ZodError([{ code: 'custom', path: ['loss'], message: 'a text-conditional run trains with bce, hinge or lsgan' }]);
  }
  if (parsed.task === 'superres') return resolveSuperRes(parsed);
  if (parsed.task === 'pix2pix' || parsed.task === 'cyclegan') {
    const { superres: _sr, translate, ...rest } = parsed;
    return { ...PRESET_VALUES.tutorial, ...resolveTranslate(parsed.task, translate, withoutUndefined(rest)) } as TrainConfig;
  }
  const loss = parsed.loss ?? (parsed.model === 'text' ? 'bce' : PRESET_VALUES[parsed.preset].loss);
  const wgan = loss === 'wgan-gp';
  // quality's 1e-3 was measured with the DCGAN losses; WGAN-GP's critic keeps the tutorial's rate.
  const rates = wgan ? { lrG: PRESET_VALUES.tutorial.lrG, lrD: PRESET_VALUES.tutorial.lrD } : {};
  const { superres: _none, translate: _neither, text, ...gan } = parsed;
  const c = { ...PRESET_VALUES[parsed.preset], ...rates, ...withoutUndefined(gan), loss };
  const textSettings = parsed.model === 'text' ? TextSchema.parse(text ?? {}) : undefined;
  const b1 = wgan ? 0 : 0.5;
  const b2 = wgan ? 0.9 : 0.999;
  return {
    ...c,
    ...(textSettings ? { text: textSettings } : {}),
    // A text run's encoder phase comes before the GAN's usual 1,200 steps.
    steps: c.steps ?? 1200 + (textSettings?.encoderSteps ?? 0),
    batch: c.batch ?? 64,
    checkpointEvery: c.checkpointEvery ?? 200,
    dSteps: c.dSteps ?? (wgan ? 5 : 1),
    beta1G: c.beta1G ?? b1,
    beta2G: c.beta2G ?? b2,
    beta1D: c.beta1D ?? b1,
    beta2D: c.beta2D ?? b2,
  };
}

/**
 * Super-resolution's own defaults for what the user left out: Adam with
 * ESRGAN's β 0.9/0.99 at 1e-3 on a cosine schedule (measured against
 * ESRGAN's constant 2e-4 in the README: a short schedule on a CPU gains more
 * from the larger rate), an average of G, batches of 16 crops, two thirds of
 * the steps for the PSNR phase; the GAN presets' stabilisers do not apply.
 */
function resolveSuperRes(parsed: z.output<typeof TrainConfigSchema>): TrainConfig {
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
  } as TrainConfig;
}

export function formatZodError(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${issueMessage(i)}` : issueMessage(i))).join('; ');
}

/** Zod's message, with a long list of allowed values cut to its first few (the metric names, say). */
function issueMessage(i: z.ZodIssue): string {
  if (i.code !== 'invalid_enum_value' || i.options.length <= 8) return i.message;
  const shown = i.options.slice(0, 6).map((o) => `'${String(o)}'`);
  return `Invalid enum value. Expected ${shown.join(' | ')} | … (${i.options.length} values), received '${String(i.received).slice(0, 40)}'`;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A configuration as stored by an older version (in the database or a
 * checkpoint): settings it predates are the ones it trained with, that is
 * off, and the EMA it had on by default then.
 */
export function upgradeStoredConfig(stored: TrainConfig): TrainConfig {
  return { ...PRESET_VALUES.tutorial, emaDecay: 0.999, preset: 'tutorial', task: 'generate', ...(stored as Partial<TrainConfig>) } as TrainConfig;
}
