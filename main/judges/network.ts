/**
 * The judge network: a small CNN classifier whose penultimate layer is the
 * feature space the studio measures GAN samples in (the role Inception-v3
 * plays for FID, but trained by the studio on the dataset itself, so it
 * knows 28 px digits and works offline).
 *
 * 3×3 convolutions of stride 2 halve the image down to 4×4 (28→14→7→4,
 * 32→16→8→4, …, 128→…→4), with one more stride-1 convolution after the
 * first, then a dense layer of F features, then the class logits. Strided
 * convolutions rather than pooling: they are the layers the engine's
 * WebAssembly training kernels make fast, and the networks stay small enough
 * (≈130 k weights at 28 px, 0.5 MB) to ship in the repository. On the MNIST
 * digits the extra stride-1 layer was worth about half a point of held-out
 * accuracy (97.6% → 98.0% at 6 epochs) for 15% more time.
 */
import { tf } from '../engine/tf.js';
import { ParamSet } from '../engine/params.js';
import type { Rng } from '../engine/rng.js';
import { conv, dense } from '../engine/layers.js';
import { SIZES, type ImageSize } from '../engine/networks.js';

export interface JudgeSpec {
  size: ImageSize;
  channels: 1 | 3;
  numClasses: number;
  /** The convolutions in order: output channels and stride. */
  convs: { width: number; stride: 1 | 2 }[];
  /** F: the dimension of the feature space. */
  features: number;
}

export const JUDGE_KERNEL = 3;
export const JUDGE_FEATURES = 64;
const LEAKY_SLOPE = 0.1;

export function judgeSpec(size: number, channels: number, numClasses: number, features = JUDGE_FEATURES): JudgeSpec {
  if (!(SIZES as readonly number[]).includes(size)) throw new Error(`judges are built for ${SIZES.join(', ')} px images, not ${size}`);
  if (channels !== 1 && channels !== 3) throw new Error(`judges take 1 or 3 channels, not ${channels}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error('a judge needs at least 2 classes');
  const stages = Math.ceil(Math.log2(size / 4));
  const convs: JudgeSpec['convs'] = [];
  for (let i = 0; i < stages; i++) {
    const width = Math.min(32 * 2 ** i, 64);
    convs.push({ width, stride: 2 });
    if (i === 0) convs.push({ width, stride: 1 });
  }
  return { size: size as ImageSize, channels, numClasses, convs, features };
}

/** Side of the last convolution's output (4 for every supported size). */
export function finalSide(spec: JudgeSpec): number {
  let s: number = spec.size;
  for (const c of spec.convs) s = Math.ceil(s / c.stride);
  return s;
}

export function createJudge(spec: JudgeSpec, rng: Rng): ParamSet {
  const p = new ParamSet('J');
  let cin: number = spec.channels;
  // He initialisation: the activations are leaky ReLUs without normalisation layers.
  spec.convs.forEach(({ width }, i) => {
    p.normal(`conv${i}/W`, [JUDGE_KERNEL, JUDGE_KERNEL, cin, width], rng, Math.sqrt(2 / (JUDGE_KERNEL * JUDGE_KERNEL * cin)));
    p.constant(`conv${i}/b`, [width], 0);
    cin = width;
  });
  const flat = finalSide(spec) ** 2 * cin;
  p.normal('feat/W', [flat, spec.features], rng, Math.sqrt(2 / flat));
  p.constant('feat/b', [spec.features], 0);
  p.normal('out/W', [spec.features, spec.numClasses], rng, Math.sqrt(1 / spec.features));
  p.constant('out/b', [spec.numClasses], 0);
  // Set after training so that the real images' features have a mean square
  // of 1: the KID kernel (xᵀy/F + 1)³ assumes features of about unit size
  // (raw ones are ~4, which makes KIDs run into the thousands), and figures
  // of judges trained on different datasets land on similar scales.
  p.stateConstant('feat/scale', [1], 1);
  return p;
}

/** images [n, size, size, channels] in [-1, 1] → features [n, F] and logits [n, C]. Callers own the tidy scope. */
export function judgeForward(p: ParamSet, spec: JudgeSpec, images: tf.Tensor4D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const n = images.shape[0];
  if (images.shape[1] !== spec.size || images.shape[2] !== spec.size || images.shape[3] !== spec.channels) {
    throw new Error(`the judge takes ${spec.size}×${spec.size}×${spec.channels} images, got ${images.shape.slice(1).join('×')}`);
  }
  let x = images;
  spec.convs.forEach(({ stride }, i) => {
    x = tf.leakyRelu(conv(x, p.get(`conv${i}/W`), p.get(`conv${i}/b`), stride), LEAKY_SLOPE);
  });
  const flat = tf.reshape(x, [n, -1]) as tf.Tensor2D;
  // Leaky rather than plain ReLU: no feature is ever constant at zero, so
  // the feature covariance has no dead dimensions.
  const h = tf.leakyRelu(dense(flat, p.get('feat/W'), p.get('feat/b')), LEAKY_SLOPE);
  return { features: tf.mul(h, p.get('feat/scale')), logits: dense(h, p.get('out/W'), p.get('out/b')) };
}

export function judgeFeatures(p: ParamSet, spec: JudgeSpec, images: tf.Tensor4D): tf.Tensor2D {
  return judgeForward(p, spec, images).features;
}

export function judgeLogits(p: ParamSet, spec: JudgeSpec, images: tf.Tensor4D): tf.Tensor2D {
  return judgeForward(p, spec, images).logits;
}
