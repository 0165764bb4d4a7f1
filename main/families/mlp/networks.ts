/**
 * The 2014 GAN's networks (Goodfellow et al.): fully connected layers on
 * flattened images, as pure functions over a ParamSet. Callers own the tidy
 * scope.
 */
import { tf } from '../../engine/tf.js';
import { createDenseLayers, denseForward } from '../../engine/dense-layers.js';
import type { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';

/** What an MLP checkpoint's networks are; `task` tells a checkpoint of this family from the others. */
export interface MlpSpec {
  task: 'mlp';
  size: number;
  channels: 1 | 3;
  zDim: number;
  /** Units of each of the two hidden layers, in both networks. */
  hidden: number;
  /** Always 0: the family draws unconditionally (sampling reads the field). */
  numClasses: 0;
}

/** Sides an MLP trains on: its first layer grows with the square of the side. */
export const MLP_SIZES = [28, 32] as const;

export function mlpSpec(size: number, channels: 1 | 3, zDim: number, width: number): MlpSpec {
  return { task: 'mlp', size, channels, zDim, hidden: 4 * width, numClasses: 0 };
}

const pixels = (s: MlpSpec) => s.size * s.size * s.channels;

export const createMlpGenerator = (s: MlpSpec, rng: Rng) => createDenseLayers('G', [s.zDim, s.hidden, s.hidden, pixels(s)], rng);
export const createMlpDiscriminator = (s: MlpSpec, rng: Rng) => createDenseLayers('D', [pixels(s), s.hidden, s.hidden, 1], rng);

/** Images in [-1, 1], NHWC, from latents. */
export function mlpGenerate(p: ParamSet, s: MlpSpec, z: tf.Tensor2D): tf.Tensor4D {
  return tf.reshape(tf.tanh(denseForward(p, z, 3)), [-1, s.size, s.size, s.channels]);
}

/** D's logit for each image. */
export function mlpDiscriminate(p: ParamSet, s: MlpSpec, images: tf.Tensor4D): tf.Tensor1D {
  return tf.reshape(denseForward(p, tf.reshape(images, [-1, pixels(s)]), 3), [-1]);
}
