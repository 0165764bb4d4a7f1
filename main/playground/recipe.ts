/**
 * Everything that decides what a playground session computes. The defaults
 * were chosen by measurement with bench/playground-sweep.ts (the figures are
 * in docs/playground.md): with one Gaussian latent no
 * loss, penalty (R1, WGAN-GP), packing or schedule tried came near 95 % high
 * quality on the grid in a short run; the mixture latent did, on every seed.
 */
import type { Loss } from '../engine/config.js';
import type { LatentSpec } from './latent.js';
import type { MlpSpec } from './mlp.js';

export type Penalty = 'none' | 'r1' | 'gp';

export interface PlaygroundRecipe extends MlpSpec, LatentSpec {
  loss: Loss;
  /** R1: γ/2·E‖∇D(x_real)‖²; gp: WGAN-GP's λ·E(‖∇D(x̂)‖ − 1)² on interpolates. */
  penalty: Penalty;
  penaltyWeight: number;
  lrG: number;
  lrD: number;
  beta1: number;
  beta2: number;
  batch: number;
  steps: number;
  /** Discriminator updates per generator update. */
  dSteps: number;
  /** EMA of G's weights for the points shown and measured; 0 shows G itself. */
  emaDecay: number;
  /** Share of the run, at its end, over which both learning rates fall linearly to `lrFloor`× their value. */
  decayFraction: number;
  lrFloor: number;
  seed: number;
}

export const DEFAULT_RECIPE: PlaygroundRecipe = {
  zDim: 4,
  components: 64,
  componentStd: 0.0075,
  gHidden: [64, 64, 64],
  dHidden: [64, 64, 64],
  dBiasStd: 1,
  pack: 1,
  loss: 'bce',
  penalty: 'none',
  penaltyWeight: 0,
  lrG: 1e-3,
  lrD: 1e-3,
  beta1: 0.5,
  beta2: 0.99,
  batch: 128,
  steps: 3000,
  dSteps: 1,
  emaDecay: 0.999,
  decayFraction: 0.5,
  lrFloor: 0.01,
  seed: 1,
};

/** The learning-rate multiplier at a step (0-based) of a run of `steps`. */
export function lrScale(r: Pick<PlaygroundRecipe, 'steps' | 'decayFraction' | 'lrFloor'>, step: number): number {
  const start = r.steps * (1 - r.decayFraction);
  if (r.decayFraction <= 0 || step < start) return 1;
  const t = Math.min(1, (step - start) / (r.steps - start));
  return 1 - t * (1 - r.lrFloor);
}
