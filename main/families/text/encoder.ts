/**
 * A small image–text encoder trained on a dataset's own (image, caption)
 * pairs, CLIP-style: a text tower (word embeddings averaged over the
 * caption, two dense layers) and an image tower (three strided
 * convolutions, one dense layer) map both to unit vectors where a caption
 * lies nearest its images. Text-conditional GANs condition on its text
 * vectors; evaluation ranks captions for generated images with it.
 */
import { tf } from '../../engine/tf.js';
import { conv, dense, leaky } from '../../engine/layers.js';
import { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';
import { FIRST_WORD } from '../../core/tokens.js';

export interface EncoderSpec {
  /** Token ids below this (the vocabulary's words plus PAD and UNKNOWN). */
  vocabSize: number;
  maxLen: number;
  wordDim: number;
  /** Width of the shared space both towers map into. */
  embedDim: number;
  size: number;
  channels: 1 | 3;
}

/** Cosine similarities are multiplied by this before the softmax (CLIP's learned scale settles near 100; 10 trains these small towers steadily). */
export const LOGIT_SCALE = 10;
const HIDDEN = 256;
const IMAGE_WIDTHS = [32, 64, 128];

export function createTextTower(spec: EncoderSpec, rng: Rng, prefix = 'T'): ParamSet {
  const p = new ParamSet(prefix);
  p.normal('words', [spec.vocabSize, spec.wordDim], rng, 0.1);
  p.normal('h/W', [spec.wordDim, HIDDEN], rng, Math.sqrt(1 / spec.wordDim));
  p.constant('h/b', [HIDDEN], 0);
  p.normal('out/W', [HIDDEN, spec.embedDim], rng, Math.sqrt(1 / HIDDEN));
  p.constant('out/b', [spec.embedDim], 0);
  return p;
}

export function createImageTower(spec: EncoderSpec, rng: Rng, prefix = 'I'): ParamSet {
  const p = new ParamSet(prefix);
  let cin: number = spec.channels;
  for (const [i, w] of IMAGE_WIDTHS.entries()) {
    p.normal(`conv${i}/W`, [3, 3, cin, w], rng, Math.sqrt(2 / (9 * cin)));
    p.constant(`conv${i}/b`, [w], 0);
    cin = w;
  }
  const side = Math.ceil(spec.size / 2 ** IMAGE_WIDTHS.length);
  p.normal('out/W', [side * side * cin, spec.embedDim], rng, Math.sqrt(1 / (side * side * cin)));
  p.constant('out/b', [spec.embedDim], 0);
  return p;
}

const unit = (x: tf.Tensor2D) => tf.div(x, tf.add(tf.norm(x, 2, 1, true), 1e-8)) as tf.Tensor2D;

/**
 * Captions as bags of words: row i holds 1/k for each of caption i's k known
 * words (repeats add up), so bag @ words is the mean of its word vectors. A
 * matrix product rather than a gather: its gradient runs on every backend
 * (WebAssembly has no scatter for a gather's). Unknown words weigh nothing;
 * a caption of none is the zero vector.
 */
export function bagOfWords(ids: Int32Array, maxLen: number, vocabSize: number): Float32Array {
  const n = ids.length / maxLen;
  const out = new Float32Array(n * vocabSize);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let j = 0; j < maxLen; j++) if (ids[i * maxLen + j] >= FIRST_WORD) k++;
    for (let j = 0; j < maxLen; j++) {
      const id = ids[i * maxLen + j];
      if (id >= FIRST_WORD) out[i * vocabSize + id] += 1 / k;
    }
  }
  return out;
}

/** Bags of words [n, vocabSize] → unit vectors [n, embedDim]. */
export function encodeText(p: ParamSet, bags: tf.Tensor2D): tf.Tensor2D {
  const mean = tf.matMul(bags, p.get('words') as tf.Tensor2D) as tf.Tensor2D;
  const h = leaky(dense(mean, p.get('h/W'), p.get('h/b')));
  return unit(dense(h, p.get('out/W'), p.get('out/b')));
}

/** images [n, size, size, channels] in [-1, 1] → unit vectors [n, embedDim]. */
export function encodeImages(p: ParamSet, images: tf.Tensor4D): tf.Tensor2D {
  let x = images;
  for (let i = 0; i < IMAGE_WIDTHS.length; i++) x = leaky(conv(x, p.get(`conv${i}/W`), p.get(`conv${i}/b`), 2));
  return unit(dense(tf.reshape(x, [images.shape[0], -1]) as tf.Tensor2D, p.get('out/W'), p.get('out/b')));
}

/**
 * CLIP's symmetric cross-entropy over a batch's image–caption similarities,
 * with one difference: pairs whose captions are the same text are all
 * positives (soft targets), since a small dataset's batch often holds one
 * caption twice and calling the second a negative would teach nonsense.
 * same[i][j] = 1 when caption i and caption j are the same text.
 */
export function contrastiveLoss(img: tf.Tensor2D, txt: tf.Tensor2D, same: tf.Tensor2D): tf.Scalar {
  const logits = tf.mul(tf.matMul(img, txt, false, true), LOGIT_SCALE) as tf.Tensor2D;
  const targets = tf.div(same, tf.sum(same, 1, true)) as tf.Tensor2D;
  const rows = tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits, 1)), 1)));
  const cols = tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(tf.transpose(logits), 1)), 1)));
  return tf.mul(0.5, tf.add(rows, cols)) as tf.Scalar;
}

/** same[i][j] for a batch of caption keys (equal keys: the same text). */
export function sameCaption(keys: ArrayLike<number>): tf.Tensor2D {
  const n = keys.length;
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = keys[i] === keys[j] ? 1 : 0;
  return tf.tensor2d(m, [n, n]);
}
