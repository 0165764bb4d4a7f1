/**
 * FastGAN's generator as a TensorFlow.js LayersModel of stock layers only,
 * so tf.loadLayersModel reads it with nothing registered: the gated linear
 * units become two fixed 1×1 convolutions that pick each half of the
 * channels (the second through a sigmoid) and a multiply; skip-layer
 * excitation becomes pooling, two dense layers and a broadcast multiply.
 * Mirrors networks.ts `fastGanGenerate` in inference mode.
 */
import { tf } from '../../engine/tf.js';
import { BN_EPSILON, BN_MOMENTUM } from '../../engine/layers.js';
import type { ParamSet } from '../../engine/params.js';
import { channelsAt, SLE, type FastGanSpec } from './networks.js';

/** A 1×1 kernel that copies channels [from, from + c) of 2c. */
function halfPicker(c: number, from: number): tf.Tensor4D {
  const w = new Float32Array(2 * c * c);
  for (let i = 0; i < c; i++) w[(from + i) * c + i] = 1;
  return tf.tensor4d(w, [1, 1, 2 * c, c]);
}

/** Builds the layers and copies the weights in; the caller disposes the model. */
export function fastGanGeneratorModel(p: ParamSet, s: FastGanSpec): tf.LayersModel {
  const made: tf.Tensor[] = [];
  const weighted: [tf.layers.Layer, tf.Tensor[]][] = [];
  const add = <L extends tf.layers.Layer>(layer: L, weights: tf.Tensor[]): L => (weighted.push([layer, weights]), layer);
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  const bn = (name: string, x: tf.SymbolicTensor) =>
    apply(add(tf.layers.batchNormalization({ name: name.replace(/\//g, '_'), momentum: BN_MOMENTUM, epsilon: BN_EPSILON }), ['gamma', 'beta', 'mean', 'var'].map((k) => p.get(`${name}/${k}`))), x);
  const glu = (name: string, x: tf.SymbolicTensor, c: number) => {
    const pick = (half: number, activation: 'linear' | 'sigmoid') => {
      const w = halfPicker(c, half * c);
      made.push(w);
      return apply(add(tf.layers.conv2d({ filters: c, kernelSize: 1, useBias: false, activation, name: `${name}_${half ? 'gate' : 'value'}` }), [w]), x);
    };
    return apply(tf.layers.multiply({ name: `${name}_glu` }), [pick(0, 'linear'), pick(1, 'sigmoid')]);
  };
  const conv = (name: string, x: tf.SymbolicTensor, bias = false, activation: 'linear' | 'tanh' = 'linear') => {
    const W = p.get(`${name}/W`);
    return apply(add(tf.layers.conv2d({ filters: W.shape[3] as number, kernelSize: W.shape[0] as number, padding: 'same', useBias: bias, activation, name }), bias ? [W, p.get(`${name}/b`)] : [W]), x);
  };

  const z = tf.input({ shape: [s.zDim], name: 'z' });
  const c4 = channelsAt(s, 4);
  let x = apply(add(tf.layers.dense({ units: 4 * 4 * 2 * c4, useBias: false, name: 'init' }), [p.get('init/W')]), z);
  x = apply(tf.layers.reshape({ targetShape: [4, 4, 2 * c4], name: 'init_reshape' }), x);
  x = glu('init', bn('init/bn', x), c4);
  const feats = new Map<number, tf.SymbolicTensor>([[4, x]]);
  for (let res = 8; res <= s.size; res *= 2) {
    // Nearest-neighbour ×2, as tf.image.resizeNearestNeighbor doubles.
    x = apply(tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest', name: `up${res}_resize` }), x);
    x = glu(`up${res}`, bn(`up${res}/bn`, conv(`up${res}`, x)), channelsAt(s, res));
    const low = SLE[res];
    if (low) {
      const c = channelsAt(s, res);
      let g = feats.get(low)!;
      if (low > 4) g = apply(tf.layers.averagePooling2d({ poolSize: low / 4, strides: low / 4, padding: 'valid', name: `sle${res}_pool` }), g);
      g = apply(tf.layers.flatten({ name: `sle${res}_flat` }), g);
      g = apply(add(tf.layers.dense({ units: c, activation: 'swish', name: `sle${res}_a` }), [p.get(`sle${res}/a`), p.get(`sle${res}/ab`)]), g);
      g = apply(add(tf.layers.dense({ units: c, activation: 'sigmoid', name: `sle${res}_b` }), [p.get(`sle${res}/b`), p.get(`sle${res}/bb`)]), g);
      g = apply(tf.layers.reshape({ targetShape: [1, 1, c], name: `sle${res}_gate` }), g);
      x = apply(tf.layers.multiply({ name: `sle${res}_excite` }), [x, g]);
    }
    feats.set(res, x);
  }
  x = conv('out', x, true, 'tanh');
  const model = tf.model({ inputs: z, outputs: x, name: 'gan_studio_fastgan_generator' });
  for (const [layer, weights] of weighted) layer.setWeights(weights);
  tf.dispose(made);
  return model;
}
