/**
 * A run's whole configuration: the shared settings (engine/config.ts) and
 * each family's section, resolved from what the user gave and upgraded from
 * what an older version stored. Pure, so the renderer shares it.
 */
import { z } from 'zod';
import { AUGMENT, BACKEND_CHOICES, LOSSES, PRESETS, PRESET_VALUES, SubsetSchema, beta, positiveInt, rate, withoutUndefined } from '../engine/config.js';
import { settingsIssue, type ParsedSettings } from './settings-section.js';
import { superResSection } from './superres/settings.js';
import { textSection } from './text/settings.js';
import { translateSection } from './translate/settings.js';
import { fastGanSection } from './fastgan/settings.js';

/**
 * The families' own sections of a run's settings, one line each: the pure
 * half of registry.ts's list, which the renderer can import (the registry
 * would pull every trainer into its bundle).
 */
export const SECTIONS = [superResSection, translateSection, textSection, fastGanSection] as const;
type Section = (typeof SECTIONS)[number];
type SectionKey = Section['key'];
type SectionSchemas = { [S in Section as S['key']]: z.ZodOptional<S['schema']> };
/** Each section as a run's resolved configuration holds it. */
type SectionSettings = { [S in Section as S['key']]?: NonNullable<S['resolved']> };
const sectionSchemas = Object.fromEntries(SECTIONS.map((s) => [s.key, s.schema.optional()])) as unknown as SectionSchemas;

export const MODELS = ['dcgan', 'cdcgan', 'text'] as const;
/** text2image: model 'text' (a run asked for as task generate with model text becomes one, as runs stored before it had its own task do). */
export const TASKS = ['generate', 'text2image', 'superres', 'pix2pix', 'cyclegan', 'mlp', 'fastgan'] as const;
export type Task = (typeof TASKS)[number];
export type Model = (typeof MODELS)[number];

/** Everything that decides what a run computes; stored with the run and in each checkpoint. */
export const TrainConfigSchema = z
  .object({
    task: z.enum(TASKS).default('generate'),
    ...sectionSchemas,
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
    /** FreezeD: D's first blocks (from the image side) held at the weights of the run this one started from; 0 trains them all. */
    freezeD: z.number().int().min(0).max(16).default(0),
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
export type TrainConfig = Required<Omit<z.output<typeof TrainConfigSchema>, SectionKey | 'subset'>> &
  SectionSettings & {
    subset?: z.output<typeof SubsetSchema>;
  };

/**
 * Fills what the user left out: from the section of the run's family when it
 * has one, else from the preset as a GAN trains. Values the user set win.
 */
export function resolveConfig(input: TrainConfigInput): TrainConfig {
  let parsed = TrainConfigSchema.parse(input) as unknown as ParsedSettings;
  for (const s of SECTIONS) parsed = s.normalize?.(parsed) ?? parsed;
  for (const s of SECTIONS) {
    if (parsed[s.key] !== undefined && !s.tasks.includes(parsed.task)) throw settingsIssue([s.key], s.needs);
  }
  const own = SECTIONS.find((s) => s.tasks.includes(parsed.task));
  const shared = Object.fromEntries(Object.entries(parsed).filter(([k]) => !SECTIONS.some((s) => s.key === k))) as ParsedSettings;
  return (own ? own.resolve({ ...shared, [own.key]: parsed[own.key] }, resolveGan) : resolveGan(shared, {})) as TrainConfig;
}

/**
 * A GAN's settings from the preset. WGAN-GP wants several critic steps and
 * no momentum to train well; the other losses train with the DCGAN settings.
 */
function resolveGan(parsed: ParsedSettings, defaults: { loss?: string; steps?: number }): Record<string, unknown> {
  const p = parsed as unknown as Omit<TrainConfig, SectionKey> & ParsedSettings;
  const loss = p.loss ?? defaults.loss ?? PRESET_VALUES[p.preset].loss;
  const wgan = loss === 'wgan-gp';
  // quality's 1e-3 was measured with the DCGAN losses; WGAN-GP's critic keeps the tutorial's rate.
  const rates = wgan ? { lrG: PRESET_VALUES.tutorial.lrG, lrD: PRESET_VALUES.tutorial.lrD } : {};
  const c = { ...PRESET_VALUES[p.preset], ...rates, ...withoutUndefined(p), loss } as Partial<TrainConfig>;
  const b1 = wgan ? 0 : 0.5;
  const b2 = wgan ? 0.9 : 0.999;
  return {
    ...c,
    steps: c.steps ?? defaults.steps ?? 1200,
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
 * A configuration as stored by an older version (in the database or a
 * checkpoint): settings it predates are the ones it trained with, that is
 * off, the EMA it had on by default then, and the task its family has now.
 */
export function upgradeStoredConfig(stored: TrainConfig): TrainConfig {
  let c = { ...PRESET_VALUES.tutorial, emaDecay: 0.999, preset: 'tutorial', task: 'generate', freezeD: 0, ...(stored as Partial<TrainConfig>) } as TrainConfig;
  for (const s of SECTIONS) c = s.upgradeStored?.(c) ?? c;
  return c;
}
