import { z } from 'zod';

export const LOSSES = ['bce', 'hinge', 'lsgan', 'wgan-gp'] as const;
export const MODELS = ['dcgan', 'cdcgan'] as const;
export const BACKEND_CHOICES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const PRESETS = ['quality', 'tutorial'] as const;
export const AUGMENT = ['auto', 'on', 'off'] as const;
export type Preset = (typeof PRESETS)[number];
export type Loss = (typeof LOSSES)[number];
export type Model = (typeof MODELS)[number];
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

const positiveInt = (max: number) => z.number().int().positive().max(max);
const rate = z.number().positive().max(1);
const beta = z.number().min(0).lt(1);

/** Everything that decides what a run computes; stored with the run and in each checkpoint. */
export const TrainConfigSchema = z
  .object({
    dataset: z.string().min(1).max(200),
    model: z.enum(MODELS).default('dcgan'),
    loss: z.enum(LOSSES).default('bce'),
    steps: positiveInt(10_000_000).default(1200),
    batch: positiveInt(4096).default(64),
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
    checkpointEvery: positiveInt(10_000_000).default(200),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
  })
  .strict();

export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = Required<z.output<typeof TrainConfigSchema>>;

type PresetKey = 'lrG' | 'lrD' | 'emaDecay' | 'augment' | 'spectralNorm' | 'r1' | 'labelSmoothing';

/**
 * `tutorial` is the TensorFlow DCGAN tutorial's training as published
 * (Adam 2e-4, β1 0.5, no stabiliser): the baseline that `npm run
 * bench:quality` measures the default against. `quality` is the default,
 * each stabiliser in it kept because it measurably helped there (README,
 * "Training that works without tuning").
 */
export const PRESET_VALUES: Record<Preset, Pick<TrainConfig, PresetKey>> = {
  tutorial: { lrG: 2e-4, lrD: 2e-4, emaDecay: 0, augment: 'off', spectralNorm: false, r1: 0, labelSmoothing: 0 },
  quality: { lrG: 1e-3, lrD: 1e-3, emaDecay: 0.999, augment: 'auto', spectralNorm: false, r1: 0, labelSmoothing: 0 },
};

/**
 * Fills what the user left out from the preset. WGAN-GP wants several
 * critic steps and no momentum to train well; the other losses train with
 * the DCGAN settings. Values the user set win.
 */
export function resolveConfig(input: TrainConfigInput): TrainConfig {
  const parsed = TrainConfigSchema.parse(input);
  const wgan = parsed.loss === 'wgan-gp';
  // quality's 1e-3 was measured with the DCGAN losses; WGAN-GP's critic keeps the tutorial's rate.
  const rates = wgan ? { lrG: PRESET_VALUES.tutorial.lrG, lrD: PRESET_VALUES.tutorial.lrD } : {};
  const c = { ...PRESET_VALUES[parsed.preset], ...rates, ...withoutUndefined(parsed) };
  const b1 = wgan ? 0 : 0.5;
  const b2 = wgan ? 0.9 : 0.999;
  return {
    ...c,
    dSteps: c.dSteps ?? (wgan ? 5 : 1),
    beta1G: c.beta1G ?? b1,
    beta2G: c.beta2G ?? b2,
    beta1D: c.beta1D ?? b1,
    beta2D: c.beta2D ?? b2,
  };
}

export function formatZodError(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
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
  return { ...PRESET_VALUES.tutorial, emaDecay: 0.999, preset: 'tutorial', ...(stored as Partial<TrainConfig>) } as TrainConfig;
}
