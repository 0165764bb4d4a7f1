/**
 * DCGAN generator and discriminator for 28, 32, 64 and 128 px images, with an
 * optional class-conditional variant: the generator sees a one-hot label next
 * to its noise, the discriminator adds a projection of the label embedding
 * onto its features (Miyato & Koyama 2018).
 */
import { tf } from './tf.js';
import { ParamSet } from './params.js';
import { Rng } from './rng.js';
import { addBatchNorm, batchNorm, conv, convTranspose, dense, leaky, type Mode } from './layers.js';
import { addSpectralState, spectralWeight } from './spectral.js';

export const SIZES = [28, 32, 64, 128] as const;
export type ImageSize = (typeof SIZES)[number];

export interface NetSpec {
  size: ImageSize;
  channels: 1 | 3;
  zDim: number;
  /** Channels of the widest-but-one layer: 64 gives the DCGAN tutorial's 128/64. */
  width: number;
  /** 0 for an unconditional model. */
  numClasses: number;
  dropout: number;
  /** Spectral normalisation of D's weights; absent in checkpoints made before it existed. */
  spectralNorm?: boolean;
}

export const KERNEL = 5;

/** Upsampling stages: 7→14→28, or 4→8→16→32(→64→128). */
export function layout(size: ImageSize): { base: number; stages: number } {
  switch (size) {
    case 28:
      return { base: 7, stages: 2 };
    case 32:
      return { base: 4, stages: 3 };
    case 64:
      return { base: 4, stages: 4 };
    case 128:
      return { base: 4, stages: 5 };
  }
}

function gWidths(spec: NetSpec): number[] {
  const { stages } = layout(spec.size);
  // stages+1 entries: dense output channels, then each stage's output.
  const widths = Array.from({ length: stages }, (_, i) => spec.width * 2 ** (stages - 1 - i));
  return [...widths, spec.channels];
}

function dWidths(spec: NetSpec): number[] {
  const { stages } = layout(spec.size);
  return Array.from({ length: stages }, (_, i) => spec.width * 2 ** i);
}

export function createGenerator(spec: NetSpec, rng: Rng): ParamSet {
  const p = new ParamSet('G');
  const { base, stages } = layout(spec.size);
  const w = gWidths(spec);
  p.normal('dense/W', [spec.zDim + spec.numClasses, base * base * w[0]], rng);
  addBatchNorm(p, 'bn0', w[0]);
  for (let i = 0; i < stages; i++) {
    p.normal(`up${i}/W`, [KERNEL, KERNEL, w[i + 1], w[i]], rng);
    if (i < stages - 1) addBatchNorm(p, `bn${i + 1}`, w[i + 1]);
    else p.constant(`up${i}/b`, [w[i + 1]], 0);
  }
  return p;
}

export function createDiscriminator(spec: NetSpec, rng: Rng): ParamSet {
  const p = new ParamSet('D');
  const w = dWidths(spec);
  let cin: number = spec.channels;
  for (let i = 0; i < w.length; i++) {
    p.normal(`conv${i}/W`, [KERNEL, KERNEL, cin, w[i]], rng);
    p.constant(`conv${i}/b`, [w[i]], 0);
    cin = w[i];
  }
  const feat = discriminatorFeatureShape(spec).reduce((a, b) => a * b, 1);
  p.normal('out/W', [feat, 1], rng);
  p.constant('out/b', [1], 0);
  if (spec.numClasses > 0) p.normal('embed', [spec.numClasses, feat], rng);
  if (spec.spectralNorm) for (const name of spectralLayers(spec)) addSpectralState(p, name, p.get(name).shape.at(-1)!, rng);
  return p;
}

/** D's blocks from the image side, by parameter prefix: what FreezeD counts (the head, with the class embedding, last). */
export function discriminatorBlocks(spec: NetSpec): string[] {
  return [...dWidths(spec).map((_, i) => `conv${i}`), 'out'];
}

/** The discriminator weights that spectral normalisation divides (the projection embedding is left as in the paper's code). */
export function spectralLayers(spec: NetSpec): string[] {
  if (!spec.spectralNorm) return [];
  return [...dWidths(spec).map((_, i) => `conv${i}/W`), 'out/W'];
}

/** Shape of the features before the last dense layer, without the batch axis. */
export function discriminatorFeatureShape(spec: NetSpec): [number, number, number] {
  const w = dWidths(spec);
  return [Math.ceil(spec.size / 2 ** w.length), Math.ceil(spec.size / 2 ** w.length), w[w.length - 1]];
}

/** Shapes of the dropout masks one discriminator pass needs, without the batch axis. */
export function dropoutShapes(spec: NetSpec): number[][] {
  if (spec.dropout <= 0) return [];
  let s: number = spec.size;
  return dWidths(spec).map((c) => {
    s = Math.ceil(s / 2);
    return [s, s, c];
  });
}

function oneHot(labels: tf.Tensor1D, numClasses: number): tf.Tensor2D {
  return tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, numClasses).toFloat() as tf.Tensor2D;
}

/**
 * z [n, zDim] (and, for conditional models, labels [n] or class weights
 * [n, numClasses] — a blend of one-hot inputs, for moving between classes
 * continuously) → images [n, size, size, channels] in [-1, 1].
 */
export function generate(p: ParamSet, spec: NetSpec, z: tf.Tensor2D, labels: tf.Tensor1D | tf.Tensor2D | null, mode: Mode): tf.Tensor4D {
  const { base, stages } = layout(spec.size);
  const w = gWidths(spec);
  let input = z;
  if (spec.numClasses > 0) {
    if (!labels) throw new Error('a conditional generator needs labels');
    input = tf.concat([z, labels.rank === 2 ? (labels as tf.Tensor2D) : oneHot(labels as tf.Tensor1D, spec.numClasses)], 1);
  }
  let h = dense(input, p.get('dense/W'));
  let x = tf.reshape(h, [z.shape[0], base, base, w[0]]) as tf.Tensor4D;
  x = leaky(batchNorm(x, p, 'bn0', mode));
  for (let i = 0; i < stages; i++) {
    const last = i === stages - 1;
    x = convTranspose(x, p.get(`up${i}/W`), last ? p.get(`up${i}/b`) : undefined, 2);
    x = last ? tf.tanh(x) : leaky(batchNorm(x, p, `bn${i + 1}`, mode));
  }
  return x;
}

/** images [n, size, size, channels] → logits [n]. */
export function discriminate(p: ParamSet, spec: NetSpec, images: tf.Tensor4D, labels: tf.Tensor1D | null, mode: Mode): tf.Tensor1D {
  const n = images.shape[0];
  if (spec.spectralNorm && !mode.spectral) throw new Error('a spectrally normalised discriminator needs its power-iteration vectors');
  const weight = (name: string) => {
    const uv = mode.spectral?.get(name);
    return uv ? spectralWeight(p.get(name), uv) : p.get(name);
  };
  const feat = discriminatorFeatures(p, spec, images, mode, weight);
  let logit = tf.reshape(dense(feat, weight('out/W'), p.get('out/b')), [n]) as tf.Tensor1D;
  if (spec.numClasses > 0) {
    if (!labels) throw new Error('a conditional discriminator needs labels');
    const e = tf.matMul(oneHot(labels, spec.numClasses), p.get('embed') as tf.Tensor2D);
    logit = tf.add(logit, tf.sum(tf.mul(e, feat), 1));
  }
  return logit;
}

/**
 * D's features before its last layer, [n, features]. Without `weight`, the
 * raw weights: a spectrally normalised D's layers then differ from training
 * by one scale each, which a distance between two images' features (the use
 * outside training) does not mind.
 */
export function discriminatorFeatures(p: ParamSet, spec: NetSpec, images: tf.Tensor4D, mode: Mode, weight = (name: string) => p.get(name) as tf.Tensor): tf.Tensor2D {
  let x = images;
  const convs = dWidths(spec).length;
  for (let i = 0; i < convs; i++) {
    x = leaky(conv(x, weight(`conv${i}/W`) as tf.Tensor4D, p.get(`conv${i}/b`), 2));
    const mask = mode.training ? mode.dropoutMasks?.[i] : undefined;
    if (mask) x = tf.mul(x, mask);
  }
  return tf.reshape(x, [images.shape[0], -1]) as tf.Tensor2D;
}

/** Fixed latents (and labels i mod k) that a generator's batch-norm statistics are measured on. */
export function calibrationLatents(spec: NetSpec): { z: Float32Array; labels: Int32Array | null } {
  // 256, fewer for large images so one pass stays near a training batch's memory.
  const n = Math.max(32, Math.min(256, Math.floor(2 ** 26 / (spec.size * spec.size * spec.width))));
  const z = Rng.fromSeed(0x5eed5).normal(n * spec.zDim);
  return { z, labels: spec.numClasses > 0 ? Int32Array.from({ length: n }, (_, i) => i % spec.numClasses) : null };
}

/**
 * Replaces G's running batch-norm statistics by those of one training-mode
 * pass over calibrationLatents. An average of G's weights is a different
 * network from G, so G's running statistics (which also trail G by ~100
 * updates) do not describe it; on builtin:mnist measuring them on the
 * average itself halves FID early in a run (docs/quality.md, "Training that works
 * without tuning").
 */
export function calibrateBatchNorm(p: ParamSet, spec: NetSpec): void {
  const { z, labels } = calibrationLatents(spec);
  const n = z.length / spec.zDim;
  tf.tidy(() => {
    generate(p, spec, tf.tensor2d(z, [n, spec.zDim]), labels && tf.tensor1d(labels, 'int32'), { training: true, statMomentum: 0 });
  });
}
