/**
 * The networks of a text-conditional GAN: the DCGAN generator whose class
 * input is a caption vector compressed to condDim numbers (with a leaky
 * ReLU, as in GAN-INT-CLS), and the DCGAN discriminator with a projection
 * of the caption vector onto its features (Miyato & Koyama's projection,
 * for a caption in place of a class). Pure functions of their parameters.
 */
import { tf } from '../../engine/tf.js';
import type { TrainConfig } from '../run-config.js';
import { discriminatorLoss } from '../../engine/losses.js';
import { createDiscriminator, createGenerator, discriminatorFeatureShape, discriminatorFeatures, generate, SIZES, type ImageSize, type NetSpec } from '../../engine/networks.js';
import { dense, leaky, type Mode } from '../../engine/layers.js';
import type { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';
import { spectralWeight } from '../../engine/spectral.js';
import type { EncoderSpec } from './encoder.js';
import { captionLength, FIRST_WORD, type Vocabulary } from '../../core/tokens.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';

export interface TextSpec extends NetSpec {
  task: 'text2image';
  text: { vocab: Vocabulary; maxLen: number; wordDim: number; embedDim: number; condDim: number };
}

/** Caption vectors the average's batch-norm statistics are measured on, kept in G so a checkpoint carries them. */
export const CALIBRATION = 256;

export function textSpecFor(config: TrainConfig, data: Dataset): TextSpec {
  if (!(SIZES as readonly number[]).includes(data.size)) throw new StudioError(`dataset ${data.name} has ${data.size} px images; models are built for ${SIZES.join(', ')} px`);
  if (!data.captions || data.captions.texts.length === 0) {
    throw new StudioError(`dataset ${data.name} has no captions; import it with captions (captions.csv, captions.json, captions.txt or class folders) or train --model dcgan`);
  }
  const t = config.text!;
  return {
    task: 'text2image',
    size: data.size as ImageSize,
    channels: data.channels,
    zDim: config.zDim,
    width: config.width,
    numClasses: 0,
    dropout: config.dropout,
    spectralNorm: config.spectralNorm,
    text: { vocab: data.captions.vocab, maxLen: captionLength(data.captions.texts), wordDim: t.wordDim, embedDim: t.embedDim, condDim: t.condDim },
  };
}

/** G's view of the spec: its class input is the compressed caption vector. */
export const gSpec = (s: TextSpec): NetSpec => ({ ...s, numClasses: s.text.condDim });
export const encoderSpec = (s: TextSpec): EncoderSpec => ({ vocabSize: s.text.vocab.words.length + FIRST_WORD, maxLen: s.text.maxLen, wordDim: s.text.wordDim, embedDim: s.text.embedDim, size: s.size, channels: s.channels });

export function textGenerator(spec: TextSpec, rng: Rng): ParamSet {
  const p = createGenerator(gSpec(spec), rng);
  p.normal('text/W', [spec.text.embedDim, spec.text.condDim], rng);
  p.constant('text/b', [spec.text.condDim], 0);
  p.stateConstant('text/calib', [CALIBRATION, spec.text.embedDim], 0);
  return p;
}

export function textDiscriminator(spec: TextSpec, rng: Rng): ParamSet {
  const p = createDiscriminator(spec, rng);
  p.normal('text/W', [spec.text.embedDim, discriminatorFeatureShape(spec).reduce((a, b) => a * b, 1)], rng);
  return p;
}

/** z [n, zDim] and caption vectors [n, embedDim] → images in [-1, 1]. */
export function generateFromText(p: ParamSet, spec: TextSpec, z: tf.Tensor2D, vectors: tf.Tensor2D, mode: Mode): tf.Tensor4D {
  const cond = leaky(dense(vectors, p.get('text/W'), p.get('text/b')));
  return generate(p, gSpec(spec), z, cond, mode);
}

/** Images and the caption vectors they are judged against → logits [n]: D's verdict plus the projection of the caption onto its features. */
export function discriminateText(p: ParamSet, spec: TextSpec, images: tf.Tensor4D, vectors: tf.Tensor2D, mode: Mode): tf.Tensor1D {
  const weight = (name: string) => {
    const uv = mode.spectral?.get(name);
    return uv ? spectralWeight(p.get(name), uv) : p.get(name);
  };
  const feat = discriminatorFeatures(p, spec, images, mode, weight);
  const logit = tf.reshape(dense(feat, weight('out/W'), p.get('out/b')), [images.shape[0]]);
  return tf.add(logit, tf.sum(tf.mul(tf.matMul(vectors, p.get('text/W') as tf.Tensor2D), feat), 1)) as tf.Tensor1D;
}

/**
 * The matching-aware objective: D's usual loss with real images matched to
 * their captions on the real side and, on the fake side, real images with
 * wrong captions and generated images in equal parts. For BCE this is the
 * paper's log D(x, h) + ½[log(1 − D(x, ĥ)) + log(1 − D(x̂, h))].
 */
export function matchingAwareLoss(loss: TrainConfig['loss'], matched: tf.Tensor1D, mismatched: tf.Tensor1D, fake: tf.Tensor1D, smoothing = 0): tf.Scalar {
  return discriminatorLoss(loss, matched, tf.concat([mismatched, fake]), smoothing);
}

