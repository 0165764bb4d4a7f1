/** Small pure layer functions over tensors; callers own the tidy scope. */
import { tf } from './tf.js';
import type { ParamSet } from './params.js';
import { blend } from './fused-kernels.js';
import type { SpectralVectors } from './spectral.js';

export const BN_MOMENTUM = 0.99;
export const BN_EPSILON = 1e-3;
export const LEAKY_SLOPE = 0.2;

export interface Mode {
  /** Batch statistics and dropout when true; running statistics when false. */
  training: boolean;
  /** Dropout keep-masks, already scaled by 1/keep, one per dropout layer in order. */
  dropoutMasks?: tf.Tensor[];
  /** Power-iteration vectors by weight name, for a spectrally normalised discriminator. */
  spectral?: Map<string, SpectralVectors>;
  /** How much of the running statistics a training pass keeps (BN_MOMENTUM when absent); 0 replaces them with this batch's. */
  statMomentum?: number;
}

export function dense(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, w as tf.Tensor2D) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

export function conv(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor | undefined, stride: number): tf.Tensor4D {
  const y = tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
  return b ? tf.add(y, b) : y;
}

export function convTranspose(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor | undefined, stride: number): tf.Tensor4D {
  const [n, h, wd] = x.shape;
  const out = w.shape[2] as number;
  const y = tf.conv2dTranspose(x, w as tf.Tensor4D, [n, h * stride, wd * stride, out], stride, 'same');
  return b ? tf.add(y, b) : y;
}

/**
 * Batch normalisation over all axes but the last. In training mode it
 * normalises with the batch's statistics and moves the running ones.
 */
export function batchNorm<T extends tf.Tensor>(x: T, p: ParamSet, name: string, mode: Mode): T {
  const gamma = p.get(`${name}/gamma`);
  const beta = p.get(`${name}/beta`);
  const runMean = p.get(`${name}/mean`);
  const runVar = p.get(`${name}/var`);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (mode.training) {
    ({ mean, variance } = tf.moments(x, axes));
    const m = mode.statMomentum ?? BN_MOMENTUM;
    runMean.assign(blend(runMean, mean, m));
    runVar.assign(blend(runVar, variance, m));
  } else {
    mean = runMean;
    variance = runVar;
  }
  // Written out rather than tf.batchNorm: its gradient tiles every statistic
  // to the full activation shape, which dominated the step on wasm.
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(tf.sub(x, mean), scale), beta) as T;
}

export function addBatchNorm(p: ParamSet, name: string, channels: number): void {
  p.constant(`${name}/gamma`, [channels], 1);
  p.constant(`${name}/beta`, [channels], 0);
  p.stateConstant(`${name}/mean`, [channels], 0);
  p.stateConstant(`${name}/var`, [channels], 1);
}

export function leaky<T extends tf.Tensor>(x: T): T {
  return tf.leakyRelu(x, LEAKY_SLOPE);
}
