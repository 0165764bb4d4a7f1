/**
 * The settings every family shares (losses, presets, backends, subsets) and
 * their validation messages. The whole of a run's configuration, each
 * family's section included, is families/run-config.ts.
 */
import { z } from 'zod';

export const LOSSES = ['bce', 'hinge', 'lsgan', 'wgan-gp'] as const;
export const BACKEND_CHOICES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const PRESETS = ['quality', 'tutorial'] as const;
/** What D sees: DiffAugment on small datasets ('auto'), always ('on') or never ('off'), or ADA's adaptive augmentations ('ada'). */
export const AUGMENT = ['auto', 'on', 'off', 'ada'] as const;
export type Preset = (typeof PRESETS)[number];
export type Loss = (typeof LOSSES)[number];
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const positiveInt = (max: number) => z.number().int().positive().max(max);

export const SubsetSchema = z
  .object({ perClass: z.union([z.number().int().min(1).max(1_000_000), z.literal('all')]), seed: z.number().int().min(0).max(2 ** 32 - 1).default(1) })
  .strict();
export const rate = z.number().positive().max(1);
export const beta = z.number().min(0).lt(1);

/** The optimiser and stabiliser settings a preset fills in. */
export interface PresetValues {
  loss: Loss;
  lrG: number;
  lrD: number;
  emaDecay: number;
  augment: (typeof AUGMENT)[number];
  spectralNorm: boolean;
  r1: number;
  labelSmoothing: number;
}

/**
 * `tutorial` is the TensorFlow DCGAN tutorial's training as published
 * (Adam 2e-4, β1 0.5, no stabiliser): the baseline that `npm run
 * bench:quality` measures the default against. `quality` is the default,
 * each stabiliser in it kept because it measurably helped there (docs/quality.md,
 * "Training that works without tuning").
 */
export const PRESET_VALUES: Record<Preset, PresetValues> = {
  tutorial: { loss: 'bce', lrG: 2e-4, lrD: 2e-4, emaDecay: 0, augment: 'off', spectralNorm: false, r1: 0, labelSmoothing: 0 },
  // The hinge loss: better than bce at 1,200 steps on Fashion-MNIST, MNIST and the colour set (docs/quality.md, "Harder and colour data").
  quality: { loss: 'hinge', lrG: 1e-3, lrD: 1e-3, emaDecay: 0.999, augment: 'auto', spectralNorm: false, r1: 0, labelSmoothing: 0 },
};

/** What the shared parts of the engine (net-pair.ts) read of a run's settings. */
export interface OptimiserSettings {
  emaDecay: number;
  lrG: number;
  lrD: number;
  beta1G: number;
  beta2G: number;
  beta1D: number;
  beta2D: number;
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

export function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
