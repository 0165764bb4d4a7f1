/** Stacks of fully connected layers over a ParamSet: the playground's point networks and the MLP GAN's. */
import { dense, leaky } from './layers.js';
import { ParamSet } from './params.js';
import type { Rng } from './rng.js';
import type { tf } from './tf.js';

/**
 * He-normal weights, so activations keep their scale through depth. With
 * firstBiasStd the first layer's biases are random too (the playground's D
 * on 2D points): with zero biases every kink of that layer passes through
 * the origin, and a discriminator must first spend hundreds of steps moving
 * them out to the modes before it can tell a point on a mode from one
 * beside it.
 */
export function createDenseLayers(prefix: string, widths: number[], rng: Rng, firstBiasStd = 0): ParamSet {
  const p = new ParamSet(prefix);
  for (let i = 0; i < widths.length - 1; i++) {
    p.normal(`fc${i}/W`, [widths[i], widths[i + 1]], rng, Math.sqrt(2 / widths[i]));
    if (i === 0 && firstBiasStd > 0) p.normal(`fc${i}/b`, [widths[i + 1]], rng, firstBiasStd);
    else p.constant(`fc${i}/b`, [widths[i + 1]], 0);
  }
  return p;
}

/** The layers in turn, a leaky ReLU between them; the last is linear. */
export function denseForward(p: ParamSet, x: tf.Tensor2D, layers: number): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < layers; i++) {
    h = dense(h, p.get(`fc${i}/W`), p.get(`fc${i}/b`));
    if (i < layers - 1) h = leaky(h);
  }
  return h;
}
