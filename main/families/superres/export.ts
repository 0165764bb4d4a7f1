/**
 * A super-resolution generator as a TensorFlow.js LayersModel. It takes
 * low-resolution images of any size (NHWC, [-1, 1]) and returns them
 * `scale` times larger, as networks.ts `superResolve` does.
 * tfjs-layers has no depth-to-space layer; a 2×2 stride-2 transposed
 * convolution whose fixed 0/1 kernel routes channel block (i, j) to pixel
 * offset (i, j) is exactly one, and it loads everywhere Keras layers load.
 */
import { tf } from '../../engine/tf.js';
import { LEAKY_SLOPE } from '../../engine/layers.js';
import type { ParamSet } from '../../engine/params.js';
import { upStages, type SrSpec } from './networks.js';

/** The kernel [2, 2, out, 4·out] of a ×2 depth-to-space in pixelShuffle's channel order. */
export function depthToSpaceKernel(out: number): tf.Tensor4D {
  const k = new Float32Array(2 * 2 * out * 4 * out);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      for (let c = 0; c < out; c++) k[((i * 2 + j) * out + c) * 4 * out + (i * 2 + j) * out + c] = 1;
    }
  }
  return tf.tensor4d(k, [2, 2, out, 4 * out]);
}

/** Builds the layers and copies the weights in; the caller disposes the model. */
export function srGeneratorModel(p: ParamSet, spec: SrSpec): tf.LayersModel {
  const owned: tf.Tensor[] = [];
  const layerWeights: [tf.layers.Layer, tf.Tensor[]][] = [];
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  const conv = (name: string, x: tf.SymbolicTensor) => {
    const W = p.get(`${name}/W`);
    const layer = tf.layers.conv2d({ filters: W.shape[3] as number, kernelSize: W.shape[0] as number, padding: 'same', name });
    layerWeights.push([layer, [W, p.get(`${name}/b`)]]);
    return apply(layer, x);
  };
  const leaky = (name: string, x: tf.SymbolicTensor) => apply(tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name }), x);
  const add = (name: string, a: tf.SymbolicTensor, b: tf.SymbolicTensor) => apply(tf.layers.add({ name }), [a, b]);

  const lr = tf.input({ shape: [null, null, spec.channels], name: 'low_resolution' });
  const head = conv('head', lr);
  let x = head;
  for (let i = 0; i < spec.blocks; i++) x = add(`block${i}/add`, x, conv(`block${i}/b`, leaky(`block${i}/leaky`, conv(`block${i}/a`, x))));
  x = add('body/add', conv('body', x), head);
  for (let i = 0; i < upStages(spec.scale); i++) {
    const shuffle = tf.layers.conv2dTranspose({ filters: spec.feats, kernelSize: 2, strides: 2, padding: 'valid', useBias: false, trainable: false, name: `up${i}/depth_to_space` });
    const kernel = depthToSpaceKernel(spec.feats);
    owned.push(kernel);
    layerWeights.push([shuffle, [kernel]]);
    x = leaky(`up${i}/leaky`, apply(shuffle, conv(`up${i}`, x)));
  }
  const base = apply(tf.layers.upSampling2d({ size: [spec.scale, spec.scale], interpolation: 'bilinear', name: 'bilinear' }), lr);
  const out = add('output', conv('tail', x), base);
  const model = tf.model({ inputs: lr, outputs: out, name: 'gan_studio_super_resolution' });
  for (const [layer, weights] of layerWeights) layer.setWeights(weights);
  tf.dispose(owned);
  return model;
}
