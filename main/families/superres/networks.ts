/**
 * Super-resolution networks. The generator: SRResNet's shape in EDSR's
 * manner (residual blocks without batch norm, which trains better for
 * restoration), a ×2 sub-pixel (depth-to-space) stage per octave, and a
 * bilinear copy of the input added to the output, so it learns only the
 * detail bilinear upscaling misses. The discriminator: a patch
 * discriminator — strided convolutions to a map of logits, one per
 * overlapping patch of the crop — whose intermediate features serve the
 * feature-matching loss.
 */
import { tf } from '../../engine/tf.js';
import { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';
import { conv, leaky } from '../../engine/layers.js';

export interface SrSpec {
  task: 'superres';
  channels: 1 | 3;
  scale: 2 | 4;
  blocks: number;
  feats: number;
  /** Side of the high-resolution crops D judges. */
  crop: number;
  /** D's first layer width; doubled at each stride. */
  dWidth: number;
}

/** He initialisation for convolutions followed by a leaky ReLU. */
function he(p: ParamSet, name: string, shape: [number, number, number, number], rng: Rng, gain = 1): void {
  const fanIn = shape[0] * shape[1] * shape[2];
  p.normal(`${name}/W`, shape, rng, gain * Math.sqrt(2 / (1 + 0.2 ** 2) / fanIn));
  p.constant(`${name}/b`, [shape[3]], 0);
}

export function upStages(scale: 2 | 4): number {
  return Math.log2(scale);
}

export function createSrGenerator(spec: SrSpec, rng: Rng): ParamSet {
  const p = new ParamSet('G');
  const F = spec.feats;
  he(p, 'head', [3, 3, spec.channels, F], rng);
  for (let i = 0; i < spec.blocks; i++) {
    he(p, `block${i}/a`, [3, 3, F, F], rng);
    // Each block starts close to the identity: deep residual stacks train from there.
    he(p, `block${i}/b`, [3, 3, F, F], rng, 0.1);
  }
  he(p, 'body', [3, 3, F, F], rng);
  for (let i = 0; i < upStages(spec.scale); i++) he(p, `up${i}`, [3, 3, F, 4 * F], rng);
  he(p, 'tail', [3, 3, F, spec.channels], rng, 0.1);
  return p;
}

/**
 * Depth-to-space by 2 (TensorFlow's DCR order): channel block (i, j) of
 * every pixel becomes the pixel at offset (i, j) of a 2×2 block. Written
 * with reshape and transpose, whose gradients every backend has
 * (TensorFlow.js has none for DepthToSpace).
 */
export function pixelShuffle(x: tf.Tensor4D, r = 2): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const out = c / (r * r);
  const blocks = tf.reshape(x, [n, h, w, r, r, out]);
  return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [n, h * r, w * r, out]);
}

function convOf(x: tf.Tensor4D, p: ParamSet, name: string, stride = 1): tf.Tensor4D {
  return conv(x, p.get(`${name}/W`), p.get(`${name}/b`), stride);
}

/** Low-resolution images in [-1, 1] → high-resolution images, about [-1, 1] (not clipped: L1 trains on it). */
export function superResolve(p: ParamSet, spec: SrSpec, lr: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = lr.shape;
  const head = convOf(lr, p, 'head');
  let x = head;
  for (let i = 0; i < spec.blocks; i++) x = tf.add(x, convOf(leaky(convOf(x, p, `block${i}/a`)), p, `block${i}/b`));
  x = tf.add(convOf(x, p, 'body'), head);
  for (let i = 0; i < upStages(spec.scale); i++) x = leaky(pixelShuffle(convOf(x, p, `up${i}`)));
  const base = tf.image.resizeBilinear(lr, [h * spec.scale, w * spec.scale]);
  return tf.add(convOf(x, p, 'tail'), base);
}

/**
 * Low-resolution pixels on each side that can influence an output pixel:
 * what a tile needs around it to come out as the whole image would.
 */
export function receptiveMargin(spec: SrSpec): number {
  // head, 2 per block and body are 3×3 at low resolution (one pixel each); each
  // upsampling conv and the tail add at most one more, the bilinear copy one.
  return 1 + 2 * spec.blocks + 1 + upStages(spec.scale) + 1 + 1;
}

const D_STRIDES = 3;

export function createPatchDiscriminator(spec: SrSpec, rng: Rng): ParamSet {
  const p = new ParamSet('D');
  const w = spec.dWidth;
  he(p, 'in', [3, 3, spec.channels, w], rng);
  let cin = w;
  for (let i = 0; i < D_STRIDES; i++) {
    const out = w * 2 ** (i + 1);
    he(p, `down${i}`, [4, 4, cin, out], rng);
    cin = out;
  }
  he(p, 'out', [3, 3, cin, 1], rng);
  return p;
}

/** Patch logits [n, crop/8, crop/8, 1] and the features after each stride, for feature matching. */
export function judgePatches(p: ParamSet, x: tf.Tensor4D): { logits: tf.Tensor4D; features: tf.Tensor4D[] } {
  let h = leaky(convOf(x, p, 'in'));
  const features: tf.Tensor4D[] = [];
  for (let i = 0; i < D_STRIDES; i++) {
    h = leaky(convOf(h, p, `down${i}`, 2));
    features.push(h);
  }
  return { logits: convOf(h, p, 'out'), features };
}
