/**
 * Translation networks, after the reference implementation
 * (junyanz/pytorch-CycleGAN-and-pix2pix): pix2pix's U-Net generator with as
 * many 4×4 stride-2 levels as the image has octaves (unet_256 has 8, so a
 * 64 px U-Net has 6 and reaches 1×1 — a U-Net deeper than its image fails,
 * that repository's issue #1229), CycleGAN's ResNet generator, and the
 * PatchGAN discriminator whose receptive field suits the size (70 px from
 * 128 px up, else 34 px). Weights drawn from N(0, 0.02) as both papers.
 */
import { tf } from '../../engine/tf.js';
import { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';
import { addBatchNorm, batchNorm, conv, convTranspose, leaky, type Mode } from '../../engine/layers.js';
import type { Norm } from './settings.js';

export interface TranslateSpec {
  task: 'pix2pix' | 'cyclegan';
  size: number;
  /** Domain A's channels (pix2pix: the input's) and domain B's (the target's). */
  inChannels: 1 | 3;
  outChannels: 1 | 3;
  ngf: number;
  ndf: number;
  norm: Norm;
  /** pix2pix: U-Net levels; cyclegan: residual blocks per generator. */
  depth: number;
  /** Stride-2 layers of each PatchGAN. */
  dLayers: number;
  /** pix2pix: the dropout rate of the U-Net's middle decoder layers. */
  dropout: number;
  /**
   * Colourisation: the output's luma is the input's, and the network supplies
   * the colour — the RGB form of pix2pix's own colourisation, which predicts
   * Lab's a and b from L.
   */
  keepLuma: boolean;
}

/** ITU-R BT.601 luma weights; they sum to 1, so adding d to each channel adds d to the luma. */
export const LUMA = [0.299, 0.587, 0.114] as const;

/** RGB outputs whose luma is set to `gray`'s: each pixel shifted by the difference, equally in every channel. */
export function withLuma(rgb: tf.Tensor4D, gray: tf.Tensor4D): tf.Tensor4D {
  const luma = tf.sum(tf.mul(rgb, tf.tensor1d(LUMA as unknown as number[])), 3, true);
  return tf.add(rgb, tf.sub(gray, luma));
}

/** Octaves of the side down to 1 px, at most 8 (unet_256): 64 px → 6, 28 px → 2 (a 7 px bottleneck). */
export function unetDepth(size: number): number {
  let d = 0;
  while (size % 2 === 0 && size > 1 && d < 8) {
    size /= 2;
    d++;
  }
  return d;
}

/** 3 stride-2 layers (70 px receptive field) from 128 px up; 2 (34 px) below. */
export function patchLayers(size: number): number {
  return size >= 128 ? 3 : 2;
}

/** Receptive field of a PatchGAN with n stride-2 4×4 layers and two stride-1 4×4 layers. */
export function patchReceptiveField(layers: number): number {
  let rf = 1;
  // Back from the output: two stride-1 layers, then the stride-2 ones.
  for (let i = 0; i < 2; i++) rf += 3;
  for (let i = 0; i < layers; i++) rf = rf * 2 + 2;
  return rf;
}

const widthAt = (base: number, level: number) => base * Math.min(2 ** level, 8);

function addNorm(p: ParamSet, name: string, norm: Norm, channels: number): void {
  // Instance norm without learned scale and shift, as the reference's default (affine=False).
  if (norm === 'batch') addBatchNorm(p, name, channels);
}

/** Instance norm (each image's own statistics per channel) or batch norm. */
export function normalise(x: tf.Tensor4D, p: ParamSet, name: string, norm: Norm, mode: Mode): tf.Tensor4D {
  if (norm === 'batch') return batchNorm(x, p, name, mode);
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
}

/** Decoder levels of the U-Net that take dropout: the reference's max(0, depth − 5) blocks just outside the innermost. */
export function dropoutLevels(depth: number): number[] {
  const k = Math.max(0, depth - 5);
  return Array.from({ length: k }, (_, i) => depth - 2 - i);
}

/** Shapes of the dropout masks one U-Net pass of n images needs, in dropoutLevels' order. */
export function unetDropoutShapes(spec: TranslateSpec, n: number): [number, number, number, number][] {
  return dropoutLevels(spec.depth).map((i) => {
    const side = spec.size / 2 ** i;
    return [n, side, side, widthAt(spec.ngf, i - 1)];
  });
}

export function createUnet(spec: TranslateSpec, rng: Rng, p = new ParamSet('G')): ParamSet {
  const D = spec.depth;
  for (let i = 0; i < D; i++) {
    const cin = i === 0 ? spec.inChannels : widthAt(spec.ngf, i - 1);
    p.normal(`down${i}/W`, [4, 4, cin, widthAt(spec.ngf, i)], rng, 0.02);
    p.constant(`down${i}/b`, [widthAt(spec.ngf, i)], 0);
    if (i > 0 && i < D - 1) addNorm(p, `down${i}/norm`, spec.norm, widthAt(spec.ngf, i));
  }
  for (let i = D - 1; i >= 0; i--) {
    const cin = i === D - 1 ? widthAt(spec.ngf, i) : 2 * widthAt(spec.ngf, i);
    const out = i === 0 ? spec.outChannels : widthAt(spec.ngf, i - 1);
    // conv2dTranspose filters are [h, w, out, in].
    p.normal(`up${i}/W`, [4, 4, out, cin], rng, 0.02);
    p.constant(`up${i}/b`, [out], 0);
    if (i > 0) addNorm(p, `up${i}/norm`, spec.norm, out);
  }
  return p;
}

/** Inputs in [-1, 1] → outputs in (-1, 1). mode.dropoutMasks: one per dropout level (training only). */
export function unet(p: ParamSet, spec: TranslateSpec, x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
  const D = spec.depth;
  const enc: tf.Tensor4D[] = [];
  let h = conv(x, p.get('down0/W'), p.get('down0/b'), 2);
  enc.push(h);
  for (let i = 1; i < D; i++) {
    h = conv(leaky(h), p.get(`down${i}/W`), p.get(`down${i}/b`), 2);
    if (i < D - 1) h = normalise(h, p, `down${i}/norm`, spec.norm, mode);
    enc.push(h);
  }
  const drops = dropoutLevels(D);
  for (let i = D - 1; i >= 1; i--) {
    let u = convTranspose(tf.relu(h), p.get(`up${i}/W`), p.get(`up${i}/b`), 2);
    u = normalise(u, p, `up${i}/norm`, spec.norm, mode);
    const m = drops.indexOf(i);
    if (m >= 0 && mode.dropoutMasks) u = tf.mul(u, mode.dropoutMasks[m]);
    h = tf.concat([enc[i - 1], u], 3);
  }
  const out = tf.tanh(convTranspose(tf.relu(h), p.get('up0/W'), p.get('up0/b'), 2));
  return spec.keepLuma ? withLuma(out, x) : out;
}

/** CycleGAN's generator: 7×7 in, two stride-2 downs, residual blocks, two ups, 7×7 out; under `prefix` in p. */
export function createResnet(p: ParamSet, prefix: string, spec: TranslateSpec, cin: number, cout: number, rng: Rng): void {
  const F = spec.ngf;
  const add = (name: string, shape: number[], channels: number) => {
    p.normal(`${prefix}${name}/W`, shape, rng, 0.02);
    p.constant(`${prefix}${name}/b`, [channels], 0);
  };
  add('in', [7, 7, cin, F], F);
  addNorm(p, `${prefix}in/norm`, spec.norm, F);
  add('down0', [3, 3, F, 2 * F], 2 * F);
  addNorm(p, `${prefix}down0/norm`, spec.norm, 2 * F);
  add('down1', [3, 3, 2 * F, 4 * F], 4 * F);
  addNorm(p, `${prefix}down1/norm`, spec.norm, 4 * F);
  for (let i = 0; i < spec.depth; i++) {
    for (const half of ['a', 'b']) {
      add(`block${i}/${half}`, [3, 3, 4 * F, 4 * F], 4 * F);
      addNorm(p, `${prefix}block${i}/${half}/norm`, spec.norm, 4 * F);
    }
  }
  add('up1', [3, 3, 2 * F, 4 * F], 2 * F);
  addNorm(p, `${prefix}up1/norm`, spec.norm, 2 * F);
  add('up0', [3, 3, F, 2 * F], F);
  addNorm(p, `${prefix}up0/norm`, spec.norm, F);
  add('out', [7, 7, F, cout], cout);
}

export function resnet(p: ParamSet, prefix: string, spec: TranslateSpec, x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
  const layer = (h: tf.Tensor4D, name: string, stride = 1) => conv(h, p.get(`${prefix}${name}/W`), p.get(`${prefix}${name}/b`), stride);
  const norm = (h: tf.Tensor4D, name: string) => normalise(h, p, `${prefix}${name}/norm`, spec.norm, mode);
  let h = tf.relu(norm(layer(x, 'in'), 'in'));
  h = tf.relu(norm(layer(h, 'down0', 2), 'down0'));
  h = tf.relu(norm(layer(h, 'down1', 2), 'down1'));
  for (let i = 0; i < spec.depth; i++) {
    const r = norm(layer(tf.relu(norm(layer(h, `block${i}/a`), `block${i}/a`)), `block${i}/b`), `block${i}/b`);
    h = tf.add(h, r);
  }
  const up = (t: tf.Tensor4D, name: string) => convTranspose(t, p.get(`${prefix}${name}/W`), p.get(`${prefix}${name}/b`), 2);
  h = tf.relu(norm(up(h, 'up1'), 'up1'));
  h = tf.relu(norm(up(h, 'up0'), 'up0'));
  return tf.tanh(layer(h, 'out'));
}

/** A PatchGAN under `prefix` in p: `layers` stride-2 4×4 convolutions, one stride-1, then one to a logit per patch. */
export function createPatchGan(p: ParamSet, prefix: string, spec: TranslateSpec, cin: number, rng: Rng): void {
  let c = cin;
  for (let i = 0; i <= spec.dLayers; i++) {
    const out = widthAt(spec.ndf, i);
    p.normal(`${prefix}conv${i}/W`, [4, 4, c, out], rng, 0.02);
    p.constant(`${prefix}conv${i}/b`, [out], 0);
    if (i > 0) addNorm(p, `${prefix}conv${i}/norm`, spec.norm, out);
    c = out;
  }
  p.normal(`${prefix}out/W`, [4, 4, c, 1], rng, 0.02);
  p.constant(`${prefix}out/b`, [1], 0);
}

/** Patch logits [n, h', w', 1]. */
export function patchGan(p: ParamSet, prefix: string, spec: TranslateSpec, x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
  let h = x;
  for (let i = 0; i <= spec.dLayers; i++) {
    h = conv(h, p.get(`${prefix}conv${i}/W`), p.get(`${prefix}conv${i}/b`), i < spec.dLayers ? 2 : 1);
    if (i > 0) h = normalise(h, p, `${prefix}conv${i}/norm`, spec.norm, mode);
    h = leaky(h);
  }
  return conv(h, p.get(`${prefix}out/W`), p.get(`${prefix}out/b`), 1);
}
