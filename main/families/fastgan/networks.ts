/**
 * FastGAN's networks (Liu et al., ICLR 2021, "Towards Faster and Stabilized
 * GAN Training for High-fidelity Few-shot Image Synthesis"), as pure
 * functions over a ParamSet; callers own the tidy scope.
 *
 * Generator: a 4×4 start from the latent, then one upsampling block per
 * doubling (nearest ×2, 3×3 convolution, batch norm, GLU), with skip-layer
 * excitation: the 4, 8 and 16 px features gate the channels of the 64, 128
 * and 256 px ones. Discriminator: a strided first layer, then residual
 * down-sampling blocks to 8×8 and a 4×4 head whose 5×5 logits are averaged;
 * small decoders rebuild the (augmented) real image from D's 8×8 features
 * and a quarter of it from a quarter of its 16×16 ones — the self-supervised
 * loss that keeps D learning what images are rather than memorising them.
 * The paper's LPIPS term needs pretrained weights; an L1 loss stands in.
 */
import { tf } from '../../engine/tf.js';
import { addBatchNorm, batchNorm, type Mode } from '../../engine/layers.js';
import { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';

export const FASTGAN_SIZES = [64, 128, 256] as const;
/**
 * Channels at each resolution per unit of width: the paper's nfc_multi at
 * a sixteenth of its ngf of 64 (the default width of 64 gives 128 channels
 * at 4 px, 16 at 64 px), so that a CPU trains 64 px at ~1.6 s a step of 16
 * (docs/fastgan.md); a GPU can take --width 256 or more.
 */
const MULT: Record<number, number> = { 4: 2, 8: 1, 16: 1, 32: 0.5, 64: 0.25, 128: 0.125, 256: 0.0625 };
/** Skip-layer excitation: the low resolution whose features gate each high one. */
export const SLE: Record<number, number> = { 64: 4, 128: 8, 256: 16 };
/** Side of the decoders' reconstructions (the paper's 128, scaled to a desktop's budget). */
export const DECODED = 32;

/** What a FastGAN checkpoint's networks are; `task` tells its checkpoints from the other families'. */
export interface FastGanSpec {
  task: 'fastgan';
  size: number;
  channels: 1 | 3;
  zDim: number;
  width: number;
  /** Always 0: the family draws unconditionally (sampling reads the field). */
  numClasses: 0;
}

export function fastGanSpec(size: number, channels: 1 | 3, zDim: number, width: number): FastGanSpec {
  return { task: 'fastgan', size, channels, zDim, width, numClasses: 0 };
}

export const channelsAt = (s: FastGanSpec, res: number) => Math.max(8, Math.round(s.width * MULT[res]));
/** Resolutions from 8 px to the image's, doubling. */
const ladder = (from: number, to: number) => {
  const out: number[] = [];
  for (let r = from; r <= to; r *= 2) out.push(r);
  return out;
};

const he = (fanIn: number) => Math.sqrt(2 / fanIn);

function addConv(p: ParamSet, name: string, k: number, cin: number, cout: number, rng: Rng, bias = false): void {
  p.normal(`${name}/W`, [k, k, cin, cout], rng, he(k * k * cin));
  if (bias) p.constant(`${name}/b`, [cout], 0);
}

const conv = (x: tf.Tensor4D, p: ParamSet, name: string, stride = 1, pad: 'same' | 'valid' = 'same') => {
  const y = tf.conv2d(x, p.get(`${name}/W`) as tf.Tensor4D, stride, pad);
  const b = p.trainable.get(`${p.prefix}/${name}/b`);
  return b ? (tf.add(y, b) as tf.Tensor4D) : y;
};

/** Gated linear unit over channels: the first half times the sigmoid of the second. */
function glu(x: tf.Tensor4D): tf.Tensor4D {
  const [a, b] = tf.split(x, 2, 3);
  return tf.mul(a, tf.sigmoid(b));
}

const leaky = (x: tf.Tensor4D) => tf.leakyRelu(x, 0.2);
const swish = (x: tf.Tensor) => tf.mul(x, tf.sigmoid(x));

export function createFastGanGenerator(s: FastGanSpec, rng: Rng): ParamSet {
  const p = new ParamSet('G');
  const c4 = channelsAt(s, 4);
  p.normal('init/W', [s.zDim, 4 * 4 * 2 * c4], rng, he(s.zDim));
  addBatchNorm(p, 'init/bn', 2 * c4);
  for (const res of ladder(8, s.size)) {
    addConv(p, `up${res}`, 3, channelsAt(s, res / 2), 2 * channelsAt(s, res), rng);
    addBatchNorm(p, `up${res}/bn`, 2 * channelsAt(s, res));
    const low = SLE[res];
    if (low) {
      // A 4×4 valid convolution on a 4×4 pool is a dense layer on its 16 positions.
      p.normal(`sle${res}/a`, [16 * channelsAt(s, low), channelsAt(s, res)], rng, he(16 * channelsAt(s, low)));
      p.constant(`sle${res}/ab`, [channelsAt(s, res)], 0);
      p.normal(`sle${res}/b`, [channelsAt(s, res), channelsAt(s, res)], rng, he(channelsAt(s, res)));
      p.constant(`sle${res}/bb`, [channelsAt(s, res)], 0);
    }
  }
  addConv(p, 'out', 3, channelsAt(s, s.size), s.channels, rng, true);
  return p;
}

/** Skip-layer excitation: `low`'s 4×4 summary gates each channel of `high`. */
function excite(p: ParamSet, res: number, low: tf.Tensor4D, high: tf.Tensor4D): tf.Tensor4D {
  const [n, side] = low.shape;
  const pooled = side === 4 ? low : tf.avgPool(low, side / 4, side / 4, 'valid');
  const a = swish(tf.add(tf.matMul(tf.reshape(pooled, [n, -1]), p.get(`sle${res}/a`) as tf.Tensor2D), p.get(`sle${res}/ab`)));
  const gate = tf.sigmoid(tf.add(tf.matMul(a as tf.Tensor2D, p.get(`sle${res}/b`) as tf.Tensor2D), p.get(`sle${res}/bb`)));
  return tf.mul(high, tf.reshape(gate, [n, 1, 1, -1]));
}

/** Images in [-1, 1], NHWC, from latents. */
export function fastGanGenerate(p: ParamSet, s: FastGanSpec, z: tf.Tensor2D, mode: Mode): tf.Tensor4D {
  const n = z.shape[0];
  const c4 = channelsAt(s, 4);
  let x = glu(batchNorm(tf.reshape(tf.matMul(z, p.get('init/W') as tf.Tensor2D), [n, 4, 4, 2 * c4]), p, 'init/bn', mode));
  const feats = new Map<number, tf.Tensor4D>([[4, x]]);
  for (const res of ladder(8, s.size)) {
    x = glu(batchNorm(conv(tf.image.resizeNearestNeighbor(x, [res, res]), p, `up${res}`), p, `up${res}/bn`, mode));
    const low = SLE[res];
    if (low) x = excite(p, res, feats.get(low)!, x);
    feats.set(res, x);
  }
  return tf.tanh(conv(x, p, 'out'));
}

/** D's blocks from the image side, by parameter prefix: what FreezeD counts (the decoders train always). */
export function fastGanDiscriminatorBlocks(s: FastGanSpec): string[] {
  return ['in', ...ladder(8, s.size / 4).reverse().map((res) => `down${res}`), 'head'];
}

export function createFastGanDiscriminator(s: FastGanSpec, rng: Rng): ParamSet {
  const p = new ParamSet('D');
  const first = s.size / 2;
  addConv(p, 'in', 4, s.channels, channelsAt(s, first), rng, true);
  for (const res of ladder(8, first / 2).reverse()) {
    const cin = channelsAt(s, res * 2);
    const cout = channelsAt(s, res);
    addConv(p, `down${res}/a`, 4, cin, cout, rng);
    addBatchNorm(p, `down${res}/a/bn`, cout);
    addConv(p, `down${res}/b`, 3, cout, cout, rng);
    addBatchNorm(p, `down${res}/b/bn`, cout);
    addConv(p, `down${res}/skip`, 1, cin, cout, rng);
    addBatchNorm(p, `down${res}/skip/bn`, cout);
  }
  const c8 = channelsAt(s, 8);
  addConv(p, 'head/a', 1, c8, c8, rng);
  addBatchNorm(p, 'head/a/bn', c8);
  addConv(p, 'head/b', 4, c8, 1, rng, true);
  for (const [name, cin] of [['decBig', c8], ['decPart', channelsAt(s, 16)]] as const) {
    let c = cin;
    const w = decoderWidth(s);
    for (const res of ladder(16, DECODED)) {
      addConv(p, `${name}/up${res}`, 3, c, 2 * w, rng);
      addBatchNorm(p, `${name}/up${res}/bn`, 2 * w);
      c = w;
    }
    addConv(p, `${name}/out`, 3, c, s.channels, rng, true);
  }
  return p;
}

const decoderWidth = (s: FastGanSpec) => Math.max(8, s.width / 4);

/** D's features at 8×8 and 16×16 and its logit per image. */
export function fastGanDiscriminate(p: ParamSet, s: FastGanSpec, images: tf.Tensor4D, mode: Mode): { logits: tf.Tensor1D; feat8: tf.Tensor4D; feat16: tf.Tensor4D } {
  let x = leaky(conv(images, p, 'in', 2));
  let feat16 = x;
  for (const res of ladder(8, s.size / 4).reverse()) {
    const main = leaky(batchNorm(conv(leaky(batchNorm(conv(x, p, `down${res}/a`, 2), p, `down${res}/a/bn`, mode)), p, `down${res}/b`), p, `down${res}/b/bn`, mode));
    const skip = leaky(batchNorm(conv(tf.avgPool(x, 2, 2, 'valid'), p, `down${res}/skip`), p, `down${res}/skip/bn`, mode));
    x = tf.mul(tf.add(main, skip), 0.5);
    if (res === 16) feat16 = x;
  }
  const head = conv(leaky(batchNorm(conv(x, p, 'head/a'), p, 'head/a/bn', mode)), p, 'head/b', 1, 'valid');
  return { logits: tf.reshape(tf.mean(head, [1, 2, 3]), [-1]), feat8: x, feat16 };
}

/** A decoder's image in [-1, 1] at DECODED px from D's 8×8 features. */
export function decode(p: ParamSet, name: 'decBig' | 'decPart', feat: tf.Tensor4D, mode: Mode): tf.Tensor4D {
  let x = feat;
  for (const res of ladder(16, DECODED)) x = glu(batchNorm(conv(tf.image.resizeNearestNeighbor(x, [res, res]), p, `${name}/up${res}`), p, `${name}/up${res}/bn`, mode));
  return tf.tanh(conv(x, p, `${name}/out`));
}

/**
 * The reconstruction loss on real images as D sees them: the whole image
 * from its 8×8 features, and quarter `quarter` (0–3, row-major) from that
 * quarter of its 16×16 features, each L1 against the image resized to match.
 */
export function reconstructionLoss(p: ParamSet, real: tf.Tensor4D, feat8: tf.Tensor4D, feat16: tf.Tensor4D, quarter: number, mode: Mode): tf.Scalar {
  const whole = tf.image.resizeBilinear(real, [DECODED, DECODED]);
  const qy = Math.floor(quarter / 2);
  const qx = quarter % 2;
  const part = tf.slice(tf.image.resizeBilinear(real, [2 * DECODED, 2 * DECODED]), [0, qy * DECODED, qx * DECODED, 0], [-1, DECODED, DECODED, -1]);
  const featPart = tf.slice(feat16, [0, qy * 8, qx * 8, 0], [-1, 8, 8, -1]);
  const big = tf.mean(tf.abs(tf.sub(decode(p, 'decBig', feat8, mode), whole)));
  const small = tf.mean(tf.abs(tf.sub(decode(p, 'decPart', featPart, mode), part)));
  return tf.add(big, small) as tf.Scalar;
}
