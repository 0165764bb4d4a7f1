/**
 * What G draws its latents from: a standard normal, or a fixed mixture of K
 * narrow Gaussians (GM-GAN, Ben-Yosef & Weinshall 2018). A continuous map
 * from one Gaussian onto separated modes must send some latent mass to the
 * gaps between them, and an MLP becomes steep enough to make that mass small
 * only slowly; from a mixture it can send each narrow component to a mode
 * and leave the gaps empty.
 */
import { Rng } from '../engine/rng.js';

export interface LatentSpec {
  zDim: number;
  /** Mixture components; 0 for a standard normal. */
  components: number;
  /** Spread of each component around its centre. */
  componentStd: number;
}

export class LatentPrior {
  /** Component centres, zDim numbers each, drawn from a standard normal. */
  private readonly centres: Float32Array;

  constructor(private readonly spec: LatentSpec, rng: Rng) {
    this.centres = rng.normal(spec.components * spec.zDim);
  }

  /** n latents, zDim numbers each. */
  sample(n: number, rng: Rng): Float32Array {
    const { zDim, components, componentStd } = this.spec;
    if (components === 0) return rng.normal(n * zDim);
    const z = rng.normal(n * zDim, 0, componentStd);
    for (let i = 0; i < n; i++) {
      const k = rng.int(components);
      for (let d = 0; d < zDim; d++) z[i * zDim + d] += this.centres[k * zDim + d];
    }
    return z;
  }
}
