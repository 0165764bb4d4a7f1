/**
 * Translation generators as TensorFlow.js LayersModels: pix2pix's U-Net and
 * each of CycleGAN's ResNet generators, layer for layer as
 * networks.ts computes them in evaluation mode (dropout
 * off, batch norm on its running statistics), with the averaged weights.
 * tfjs-layers has no instance normalisation, so the models name a small
 * custom layer, InstanceNormalization; the export writes its definition
 * beside the model (instance-norm.js) to register before loading.
 */
import { writeFileSync } from 'node:fs';
import { saveLayersModel } from '../../export/tfjs-model.js';
import { join } from 'node:path';
import { tf } from '../../engine/tf.js';
import { BN_EPSILON, BN_MOMENTUM, LEAKY_SLOPE } from '../../engine/layers.js';
import type { ParamSet } from '../../engine/params.js';
import { LUMA, type TranslateSpec } from './networks.js';
import type { TranslationModel } from './load.js';

const INSTANCE_EPSILON = 1e-5;

/** Each image's own mean and variance per channel, no learned scale or shift (the reference's affine=False). */
export class InstanceNormalization extends tf.layers.Layer {
  static className = 'InstanceNormalization';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const { mean, variance } = tf.moments(x, [1, 2], true);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, INSTANCE_EPSILON)));
    });
  }
  override getConfig() {
    return { ...super.getConfig(), epsilon: INSTANCE_EPSILON };
  }
}
tf.serialization.registerClass(InstanceNormalization);

/** The same layer for a page or script that loads the export: `registerInstanceNorm(tf)` before tf.loadLayersModel. */
export const INSTANCE_NORM_JS = `// GAN Studio: the instance normalisation layer its translation models use.
// import * as tf from '@tensorflow/tfjs'; import { registerInstanceNorm } from './instance-norm.js';
// registerInstanceNorm(tf); const model = await tf.loadLayersModel('model.json');
export function registerInstanceNorm(tf) {
  class InstanceNormalization extends tf.layers.Layer {
    static className = 'InstanceNormalization';
    call(inputs) {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const { mean, variance } = tf.moments(x, [1, 2], true);
        return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, ${INSTANCE_EPSILON})));
      });
    }
    getConfig() {
      return { ...super.getConfig(), epsilon: ${INSTANCE_EPSILON} };
    }
  }
  tf.serialization.registerClass(InstanceNormalization);
}
`;

/** Layers in the making, with the weights to give them once the model is built. */
class Builder {
  readonly weights: [tf.layers.Layer, tf.Tensor[]][] = [];
  /** Fixed kernels made here, disposed once copied into the model. */
  private readonly owned: tf.Tensor[] = [];

  own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  constructor(
    private readonly p: ParamSet,
    private readonly spec: TranslateSpec,
  ) {}

  apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[], weights: tf.Tensor[] = []): tf.SymbolicTensor {
    if (weights.length) this.weights.push([layer, weights]);
    return layer.apply(x) as tf.SymbolicTensor;
  }

  conv(name: string, x: tf.SymbolicTensor, stride: number, transpose = false, activation?: 'tanh'): tf.SymbolicTensor {
    const W = this.p.get(`${name}/W`);
    const k = W.shape[0] as number;
    const options = { kernelSize: k, strides: stride, padding: 'same' as const, activation, name: name.replace(/\//g, '_') };
    const layer = transpose ? tf.layers.conv2dTranspose({ ...options, filters: W.shape[2] as number }) : tf.layers.conv2d({ ...options, filters: W.shape[3] as number });
    return this.apply(layer, x, [W, this.p.get(`${name}/b`)]);
  }

  norm(name: string, x: tf.SymbolicTensor): tf.SymbolicTensor {
    const layerName = `${name.replace(/\//g, '_')}_norm`;
    if (this.spec.norm === 'instance') return this.apply(new InstanceNormalization({ name: layerName }), x);
    const weights = ['gamma', 'beta', 'mean', 'var'].map((k) => this.p.get(`${name}/norm/${k}`));
    return this.apply(tf.layers.batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: layerName }), x, weights);
  }

  relu(x: tf.SymbolicTensor, name: string) {
    return this.apply(tf.layers.reLU({ name }), x);
  }

  leaky(x: tf.SymbolicTensor, name: string) {
    return this.apply(tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name }), x);
  }

  finish(input: tf.SymbolicTensor, output: tf.SymbolicTensor, name: string): tf.LayersModel {
    const model = tf.model({ inputs: input, outputs: output, name });
    for (const [layer, weights] of this.weights) layer.setWeights(weights);
    tf.dispose(this.owned);
    return model;
  }
}

/** pix2pix's U-Net; takes images of the training size (or any multiple of 2^depth), [-1, 1]. */
export function unetModel(p: ParamSet, spec: TranslateSpec): tf.LayersModel {
  const b = new Builder(p, spec);
  const D = spec.depth;
  const input = tf.input({ shape: [null, null, spec.inChannels], name: 'input_a' });
  const enc: tf.SymbolicTensor[] = [b.conv('down0', input, 2)];
  for (let i = 1; i < D; i++) {
    let h = b.conv(`down${i}`, b.leaky(enc[i - 1], `down${i}_leaky`), 2);
    if (i < D - 1) h = b.norm(`down${i}`, h);
    enc.push(h);
  }
  let h = enc[D - 1];
  // Dropout is training's noise; evaluation runs without it, as the studio does.
  for (let i = D - 1; i >= 1; i--) {
    const u = b.norm(`up${i}`, b.conv(`up${i}`, b.relu(h, `up${i}_relu`), 2, true));
    h = b.apply(tf.layers.concatenate({ axis: -1, name: `skip${i}` }), [enc[i - 1], u]);
  }
  let out = b.conv('up0', b.relu(h, 'up0_relu'), 2, true, 'tanh');
  if (spec.keepLuma) {
    // The input's luma kept: out + (gray − luma(out)), spread over the three channels, by fixed 1×1 convolutions.
    const negLuma = b.apply(tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false, trainable: false, name: 'minus_luma' }), out, [b.own(tf.tensor4d(LUMA.map((w) => -w), [1, 1, 3, 1]))]);
    const diff = b.apply(tf.layers.add({ name: 'luma_difference' }), [input, negLuma]);
    const spread = b.apply(tf.layers.conv2d({ filters: 3, kernelSize: 1, useBias: false, trainable: false, name: 'luma_spread' }), diff, [b.own(tf.ones([1, 1, 1, 3]))]);
    out = b.apply(tf.layers.add({ name: 'keep_luma' }), [out, spread]);
  }
  return b.finish(input, out, 'gan_studio_pix2pix');
}

/** One of CycleGAN's generators ('AB/' or 'BA/'); takes images of any side divisible by 4, [-1, 1]. */
export function resnetModel(p: ParamSet, prefix: 'AB/' | 'BA/', spec: TranslateSpec): tf.LayersModel {
  const b = new Builder(p, spec);
  const cin = prefix === 'AB/' ? spec.inChannels : spec.outChannels;
  const input = tf.input({ shape: [null, null, cin], name: prefix === 'AB/' ? 'input_a' : 'input_b' });
  const n = (s: string) => `${prefix}${s}`;
  const block = (x: tf.SymbolicTensor, name: string, stride = 1, transpose = false) => b.relu(b.norm(n(name), b.conv(n(name), x, stride, transpose)), `${n(name)}_relu`.replace(/\//g, '_'));
  let h = block(input, 'in');
  h = block(h, 'down0', 2);
  h = block(h, 'down1', 2);
  for (let i = 0; i < spec.depth; i++) {
    const r = b.norm(n(`block${i}/b`), b.conv(n(`block${i}/b`), block(h, `block${i}/a`), 1));
    h = b.apply(tf.layers.add({ name: `${n(`block${i}`)}_add`.replace(/\//g, '_') }), [h, r]);
  }
  h = block(h, 'up1', 2, true);
  h = block(h, 'up0', 2, true);
  return b.finish(input, b.conv(n('out'), h, 1, false, 'tanh'), prefix === 'AB/' ? 'gan_studio_cyclegan_a_to_b' : 'gan_studio_cyclegan_b_to_a');
}

/** Writes instance-norm.js beside a model that needs it; returns its path, or null. */
export function writeInstanceNorm(dir: string, spec: TranslateSpec): string | null {
  if (spec.norm !== 'instance') return null;
  const path = join(dir, 'instance-norm.js');
  writeFileSync(path, INSTANCE_NORM_JS);
  return path;
}

/** A translation run's generators as LayersModels, with where each goes and what a user needs to call it; the caller disposes them. */
export function exportableTranslators(t: TranslationModel): { subdir: string; model: tf.LayersModel; meta: Record<string, unknown> }[] {
  const { task, size, inChannels, outChannels, norm } = t.spec;
  const base = { task, size, norm, customLayers: norm === 'instance' ? ['InstanceNormalization (instance-norm.js)'] : [], output: 'images in [-1, 1], NHWC, the input\'s size' };
  if (task === 'pix2pix') {
    return [{ subdir: '', model: unetModel(t.sampler(), t.spec), meta: { ...base, source: t.config.translate!.source, direction: 'AtoB', inputs: [`input_a: [-1, 1], ${inChannels} channel(s), sides multiples of ${2 ** t.spec.depth}`], outputChannels: outChannels } }];
  }
  return (['AB/', 'BA/'] as const).map((prefix) => ({
    subdir: prefix === 'AB/' ? 'AtoB' : 'BtoA',
    model: resnetModel(t.sampler(), prefix, t.spec),
    meta: { ...base, direction: prefix === 'AB/' ? 'AtoB' : 'BtoA', inputs: [`${prefix === 'AB/' ? 'input_a' : 'input_b'}: [-1, 1], ${inChannels} channel(s), sides multiples of 4`] },
  }));
}

/** Every generator of a run saved under `dir` (CycleGAN's in AtoB/ and BtoA/), each with the custom layer's code; the written files. */
export async function saveTranslators(t: TranslationModel, dir: string, meta: Record<string, unknown>): Promise<string[]> {
  const files: string[] = [];
  for (const { subdir, model, meta: m } of exportableTranslators(t)) {
    const to = join(dir, subdir);
    try {
      files.push(...(await saveLayersModel(model, to, { ...meta, ...m })));
    } finally {
      model.dispose();
    }
    const js = writeInstanceNorm(to, t.spec);
    if (js) files.push(js);
  }
  return files;
}
