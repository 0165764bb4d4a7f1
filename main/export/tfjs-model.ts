/**
 * The generator as a TensorFlow.js LayersModel (model.json + one weights
 * file), so it loads with tf.loadLayersModel anywhere tfjs runs. The layers
 * mirror engine/networks.ts `generate` in inference mode, with the weights
 * of the averaged generator when the run keeps one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../engine/tf.js';
import { BN_EPSILON, BN_MOMENTUM, LEAKY_SLOPE } from '../engine/layers.js';
import { KERNEL, layout, type NetSpec } from '../engine/networks.js';
import type { ParamSet } from '../engine/params.js';

/** Builds the layers and copies the weights in; the caller disposes the model. */
export function generatorModel(p: ParamSet, spec: NetSpec): tf.LayersModel {
  const { base, stages } = layout(spec.size);
  const dense = p.get('dense/W');
  const units = dense.shape[1] as number;
  const w0 = units / (base * base);
  const z = tf.input({ shape: [spec.zDim], name: 'z' });
  const inputs = [z];
  let h: tf.SymbolicTensor = z;
  if (spec.numClasses > 0) {
    // Conditional models take the class as a one-hot vector beside the latent.
    const label = tf.input({ shape: [spec.numClasses], name: 'label_onehot' });
    inputs.push(label);
    h = tf.layers.concatenate({ name: 'z_and_label' }).apply([z, label]) as tf.SymbolicTensor;
  }
  const layerWeights: [tf.layers.Layer, tf.Tensor[]][] = [];
  const add = <L extends tf.layers.Layer>(layer: L, weights: tf.Tensor[] = []): L => {
    layerWeights.push([layer, weights]);
    return layer;
  };
  const bn = (name: string) =>
    add(tf.layers.batchNormalization({ name, momentum: BN_MOMENTUM, epsilon: BN_EPSILON }), ['gamma', 'beta', 'mean', 'var'].map((k) => p.get(`${name}/${k}`)));
  h = add(tf.layers.dense({ units, useBias: false, name: 'dense' }), [dense]).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reshape({ targetShape: [base, base, w0], name: 'reshape' }).apply(h) as tf.SymbolicTensor;
  h = bn('bn0').apply(h) as tf.SymbolicTensor;
  h = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: 'leaky0' }).apply(h) as tf.SymbolicTensor;
  for (let i = 0; i < stages; i++) {
    const last = i === stages - 1;
    const W = p.get(`up${i}/W`);
    const conv = tf.layers.conv2dTranspose({
      filters: W.shape[2] as number,
      kernelSize: KERNEL,
      strides: 2,
      padding: 'same',
      useBias: last,
      activation: last ? 'tanh' : undefined,
      name: `up${i}`,
    });
    h = add(conv, last ? [W, p.get(`up${i}/b`)] : [W]).apply(h) as tf.SymbolicTensor;
    if (!last) {
      h = bn(`bn${i + 1}`).apply(h) as tf.SymbolicTensor;
      h = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: `leaky${i + 1}` }).apply(h) as tf.SymbolicTensor;
    }
  }
  const model = tf.model({ inputs, outputs: h, name: 'gan_studio_generator' });
  for (const [layer, weights] of layerWeights) layer.setWeights(weights);
  return model;
}

/** Writes model.json and weights.bin into `dir`, as tfjs's own file saver lays them out. */
export async function saveLayersModel(model: tf.LayersModel, dir: string, meta: Record<string, unknown> = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsFile = 'weights.bin';
      writeFileSync(join(dir, weightsFile), new Uint8Array(artifacts.weightData as ArrayBuffer));
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: 'GAN Studio',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
        userDefinedMetadata: meta,
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      files.push(join(dir, 'model.json'), join(dir, weightsFile));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}
