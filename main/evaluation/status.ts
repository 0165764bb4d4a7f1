/**
 * The plain-language state of a run, from its recent steps and its latest
 * evaluation: what a person would conclude looking at the curves. Pure, so
 * the CLI, the service and the interface say the same thing.
 */
import type { StepMetrics } from '../engine/step-metrics.js';
import type { Evaluation } from './evaluation.js';

export type TrainingState = 'warming-up' | 'balanced' | 'learning' | 'discriminator-winning' | 'generator-winning' | 'collapsed' | 'diverged';

export interface TrainingStatus {
  state: TrainingState;
  /** A short label for a badge. */
  label: string;
  /** One sentence of explanation and, where useful, what to try. */
  detail: string;
}

/** A step's losses and the two probabilities users watch, as far as the step has them (an SR run's PSNR phase has only L1). */
export function stepFigures(m: Pick<StepMetrics, 'dLoss' | 'gLoss' | 'dReal' | 'dFake'> & { content?: number | null; encoder?: number | null }, sep = '  '): string {
  const parts: string[] = [];
  if (m.content != null) parts.push(`L1 ${m.content.toFixed(4)}`);
  if (m.encoder != null) parts.push(`encoder ${m.encoder.toFixed(3)}`);
  if (m.dLoss != null && m.gLoss != null) parts.push(`D ${m.dLoss.toFixed(3)} G ${m.gLoss.toFixed(3)}`);
  if (m.dReal != null && m.dFake != null) parts.push(`D(x) ${m.dReal.toFixed(2)} D(G(z)) ${m.dFake.toFixed(2)}`);
  return parts.join(sep);
}

/** How many recent steps the state is read from. */
export const STATUS_WINDOW = 50;
/** Steps before the curves mean anything. */
export const WARM_UP_STEPS = 50;
/** Diversity (generated over real) below this, or this many near-twins, reads as collapse. */
export const COLLAPSE_DIVERSITY = 0.6;
export const COLLAPSE_NEAR_DUPLICATES = 0.2;

type Steps = Pick<StepMetrics, 'step' | 'dLoss' | 'gLoss' | 'dReal' | 'dFake'> & Partial<Pick<StepMetrics, 'accReal' | 'accFake' | 'content'>>;
type Judged = Pick<Evaluation, 'diversity' | 'nearDuplicates' | 'classesCovered'> & { numClasses?: number | null };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `recent`: the last few dozen steps, oldest first. */
export function trainingStatus(recent: readonly Steps[], evaluation: Judged | null = null): TrainingStatus {
  const last = recent.at(-1);
  // Steps without a discriminator (super-resolution's PSNR phase) are read by their reconstruction loss alone.
  if (last && last.dLoss == null) {
    if (last.content != null && !Number.isFinite(last.content)) {
      return { state: 'diverged', label: 'diverged', detail: 'the loss is no longer a number; resume from the last checkpoint with a lower learning rate' };
    }
    return { state: 'learning', label: 'learning', detail: 'learning to reconstruct (L1 alone, no discriminator yet): PSNR rises while the loss falls' };
  }
  if (last && (!Number.isFinite(last.dLoss) || !Number.isFinite(last.gLoss))) {
    return { state: 'diverged', label: 'diverged', detail: 'the losses are no longer numbers; resume from the last checkpoint with lower learning rates' };
  }
  // An untrained generator draws the same blur for every latent: that is not collapse yet.
  if (!last || last.step < WARM_UP_STEPS || recent.length < 5) {
    return { state: 'warming-up', label: 'warming up', detail: 'too early to tell; the curves settle after the first few dozen steps' };
  }
  if (evaluation) {
    const fewClasses = evaluation.classesCovered != null && evaluation.numClasses ? evaluation.classesCovered <= evaluation.numClasses / 2 : false;
    if (evaluation.diversity < COLLAPSE_DIVERSITY || evaluation.nearDuplicates > COLLAPSE_NEAR_DUPLICATES || fewClasses) {
      const why = fewClasses
        ? `only ${evaluation.classesCovered} of ${evaluation.numClasses} classes appear`
        : evaluation.nearDuplicates > COLLAPSE_NEAR_DUPLICATES
          ? `${Math.round(evaluation.nearDuplicates * 100)}% of samples have a near-twin`
          : `samples are ${Math.round(evaluation.diversity * 100)}% as varied as the real images`;
      return { state: 'collapsed', label: 'generator collapsed', detail: `mode collapse: ${why}; try a fork with spectral normalisation, R1 or DiffAugment, or a lower generator learning rate` };
    }
  }
  const adversarial = recent.filter((m) => m.dReal != null && m.dFake != null);
  const dReal = mean(adversarial.map((m) => m.dReal!));
  const dFake = mean(adversarial.map((m) => m.dFake!));
  const acc = recent.every((m) => m.accReal != null && m.accFake != null) ? mean(recent.map((m) => ((m.accReal ?? 0) + (m.accFake ?? 0)) / 2)) : null;
  if (dReal > 0.85 && dFake < 0.15 && (acc == null || acc > 0.9)) {
    return { state: 'discriminator-winning', label: 'discriminator winning', detail: 'D tells real from generated almost every time, so G learns little; a lower D learning rate, label smoothing or DiffAugment can help' };
  }
  if (dFake > 0.7 || (dFake > dReal + 0.1 && dReal < 0.4)) {
    return { state: 'generator-winning', label: 'generator winning', detail: 'D takes generated images for real; it may have stopped learning — watch the samples for collapse' };
  }
  if (Math.abs(dReal - 0.5) < 0.2 && Math.abs(dFake - 0.5) < 0.2) {
    return { state: 'balanced', label: 'balanced', detail: 'D is close to guessing (D ≈ 0.5): the game is near its balance point' };
  }
  return { state: 'learning', label: 'learning', detail: 'D is ahead but not saturated: the usual state while G improves' };
}

/** Diversity lower than this share of the run's best so far is worth a warning even above the collapse line. */
export const DIVERSITY_DROP = 0.75;

/**
 * What to warn a person about when a new evaluation arrives: collapse, or
 * diversity falling well below the run's best. Null when all is well.
 */
export function diversityAlarm(previous: readonly Pick<Evaluation, 'diversity'>[], e: Pick<Evaluation, 'step' | 'diversity' | 'nearDuplicates'>): string | null {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (e.step < WARM_UP_STEPS) return null;
  if (e.diversity < COLLAPSE_DIVERSITY || e.nearDuplicates > COLLAPSE_NEAR_DUPLICATES) {
    return `possible mode collapse at step ${e.step}: samples are ${pct(e.diversity)} as varied as the real images, ${pct(e.nearDuplicates)} have a near-twin`;
  }
  const best = Math.max(0, ...previous.map((p) => p.diversity));
  if (best > 0 && e.diversity < best * DIVERSITY_DROP) {
    return `diversity is falling at step ${e.step}: ${e.diversity.toFixed(2)}, down from ${best.toFixed(2)}`;
  }
  return null;
}
