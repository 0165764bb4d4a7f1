/** An augmentation study's settings: what is swept, how each classifier trains, and where its GANs come from. */
import { z } from 'zod';
import { CLASSIFIERS } from './classifier.js';

export const PerClass = z.union([z.number().int().min(1).max(100_000), z.literal('all')]);
export type PerClassValue = z.output<typeof PerClass>;

export const StudySettingsSchema = z
  .object({
    dataset: z.string().min(1).max(200),
    /** K: real images per class ('all': the whole pool left once the test images are set aside). */
    perClass: z.array(PerClass).min(1).max(12).default([10, 50, 200, 'all']),
    /** M per class as multiples of K; 0 is real images alone (always measured). */
    synthetic: z.array(z.number().min(0).max(100)).min(1).max(12).default([0, 1, 4, 10]),
    seeds: z.number().int().min(1).max(20).default(3),
    /** The first seed; the others follow it. */
    seed: z.number().int().min(0).max(2 ** 31).default(1),
    classifier: z.enum(CLASSIFIERS).default('judge'),
    /** Classifier steps per arm, the same for every arm: extra images cost no extra training. */
    steps: z.number().int().min(1).max(100_000).default(300),
    batch: z.number().int().min(1).max(1024).default(64),
    lr: z.number().positive().max(1).default(2e-3),
    /** Classic augmentation mirrors images too; 'auto' mirrors unless the classes are digits or single characters, which mirroring changes. */
    flips: z.enum(['auto', 'on', 'off']).default('auto'),
    /** Train the GAN runs the study needs and no existing run matches (otherwise their cells have no synthetic arms). */
    trainGans: z.boolean().default(true),
    /** Steps of each GAN the study trains (the run default when absent). */
    ganSteps: z.number().int().min(1).max(10_000_000).optional(),
  })
  .strict();

export type StudySettings = z.output<typeof StudySettingsSchema>;
export type StudySettingsInput = z.input<typeof StudySettingsSchema>;

/** The key of a K: how cells and GAN runs are filed. */
export const perClassKey = (k: PerClassValue) => String(k);

/** Mirroring keeps a class's identity unless its names are digits or single characters (a mirrored 2 or b is not one). */
export function flipsAllowed(flips: StudySettings['flips'], classNames: string[]): boolean {
  if (flips !== 'auto') return flips === 'on';
  return !classNames.every((n) => /^[0-9]+$/.test(n) || [...n].length === 1);
}

/** The seeds a study measures each K with. */
export const studySeeds = (s: Pick<StudySettings, 'seed' | 'seeds'>) => Array.from({ length: s.seeds }, (_, i) => s.seed + i);

/** The subsets whose GANs a study needs: one per K and seed, one for 'all' (the pool does not depend on the seed). */
export function ganSubsets(s: StudySettings): { perClass: PerClassValue; seed: number }[] {
  if (!s.synthetic.some((m) => m > 0)) return [];
  const out: { perClass: PerClassValue; seed: number }[] = [];
  for (const k of s.perClass) for (const seed of k === 'all' ? [s.seed] : studySeeds(s)) out.push({ perClass: k, seed });
  return out;
}

export const subsetKey = (x: { perClass: PerClassValue; seed: number }) => (x.perClass === 'all' ? 'all' : `${x.perClass}/${x.seed}`);
