import { z } from 'zod';

export const LOSSES = ['bce', 'hinge', 'lsgan', 'wgan-gp'] as const;
export const MODELS = ['dcgan', 'cdcgan'] as const;
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
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
    lrG: rate.default(2e-4),
    lrD: rate.default(2e-4),
    beta1G: beta.optional(),
    beta2G: beta.optional(),
    beta1D: beta.optional(),
    beta2D: beta.optional(),
    zDim: positiveInt(1024).default(100),
    width: positiveInt(1024).default(64),
    dropout: z.number().min(0).lt(1).default(0.3),
    gpWeight: z.number().min(0).max(1000).default(10),
    emaDecay: z.number().min(0).lt(1).default(0.999),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    checkpointEvery: positiveInt(10_000_000).default(200),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
  })
  .strict();

export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = Required<z.output<typeof TrainConfigSchema>>;

/**
 * WGAN-GP wants several critic steps and no momentum to train well; the
 * other losses train with the DCGAN settings. Values the user set win.
 */
export function resolveConfig(input: TrainConfigInput): TrainConfig {
  const c = TrainConfigSchema.parse(input);
  const wgan = c.loss === 'wgan-gp';
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
