/**
 * The playground's generator and discriminator: small fully connected
 * networks on 2D points, as pure functions over a ParamSet. Callers own the
 * tidy scope.
 */
import { tf } from '../engine/tf.js';
import { ParamSet } from '../engine/params.js';
import type { Rng } from '../engine/rng.js';
import { dense, leaky } from '../engine/layers.js';

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

/**
 * He-normal weights, so activations keep their scale through depth. The
 * first layer's biases are random too: with zero biases every kink of the
 * first layer passes through the origin, and a discriminator must first
 * spend hundreds of steps moving them out to the modes before it can tell
 * a point on a mode from one beside it.
 */
function createMlp(prefix: string, widths: number[], rng: Rng, firstBiasStd: number): ParamSet {
  const p = new ParamSet(prefix);
  for (let i = 0; i < widths.length - 1; i++) {
    p.normal(`fc${i}/W`, [widths[i], widths[i + 1]], rng, Math.sqrt(2 / widths[i]));
    if (i === 0 && firstBiasStd > 0) p.normal(`fc${i}/b`, [widths[i + 1]], rng, firstBiasStd);
    else p.constant(`fc${i}/b`, [widths[i + 1]], 0);
  }
  return p;
}

export function createPointGenerator(spec: MlpSpec, rng: Rng): ParamSet {
  return createMlp('G', [spec.zDim, ...spec.gHidden, 2], rng, 0);
}

export function createPointDiscriminator(spec: MlpSpec, rng: Rng): ParamSet {
  return createMlp('D', [2 * spec.pack, ...spec.dHidden, 1], rng, spec.dBiasStd);
}

function forward(p: ParamSet, x: tf.Tensor2D, layers: number): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < layers; i++) {
    h = dense(h, p.get(`fc${i}/W`), p.get(`fc${i}/b`));
    if (i < layers - 1) h = leaky(h);
  }
  return h;
}

/** z [n, zDim] → points [n, 2], unbounded: the data's scale is the trainer's business. */
export function generatePoints(p: ParamSet, spec: MlpSpec, z: tf.Tensor2D): tf.Tensor2D {
  return forward(p, z, spec.gHidden.length + 1);
}

/** packs of points [n, 2·pack] → logits [n]. */
export function discriminatePoints(p: ParamSet, spec: MlpSpec, x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(forward(p, x, spec.dHidden.length + 1), [x.shape[0]]) as tf.Tensor1D;
}
