/**
 * The playground's generator and discriminator: small fully connected
 * networks on 2D points, as pure functions over a ParamSet. Callers own the
 * tidy scope.
 */
import { tf } from '../engine/tf.js';
import type { ParamSet } from '../engine/params.js';
import type { Rng } from '../engine/rng.js';
import { createDenseLayers, denseForward } from '../engine/dense-layers.js';

export interface MlpSpec {
  zDim: number;
  /** Widths of the hidden layers. */
  gHidden: number[];
  dHidden: number[];
  /**
   * Points D judges together (PacGAN): D sees `pack` samples, all real or all
   * generated, side by side, and so can notice a batch of too-similar fakes.
   */
  pack: number;
  /** Spread of D's first-layer biases at init, in network units (points are scaled to about ±2). */
  dBiasStd: number;
}

export function createPointGenerator(spec: MlpSpec, rng: Rng): ParamSet {
  return createDenseLayers('G', [spec.zDim, ...spec.gHidden, 2], rng, 0);
}

export function createPointDiscriminator(spec: MlpSpec, rng: Rng): ParamSet {
  return createDenseLayers('D', [2 * spec.pack, ...spec.dHidden, 1], rng, spec.dBiasStd);
}

/** z [n, zDim] → points [n, 2], unbounded: the data's scale is the trainer's business. */
export function generatePoints(p: ParamSet, spec: MlpSpec, z: tf.Tensor2D): tf.Tensor2D {
  return denseForward(p, z, spec.gHidden.length + 1);
}

/** packs of points [n, 2·pack] → logits [n]. */
export function discriminatePoints(p: ParamSet, spec: MlpSpec, x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(denseForward(p, x, spec.dHidden.length + 1), [x.shape[0]]) as tf.Tensor1D;
}
