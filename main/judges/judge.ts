/**
 * A trained judge: its network, the classes it knows, how well it knows
 * them, and helpers to run it over images held as plain arrays.
 */
import { createHash } from 'node:crypto';
import { tf } from '../engine/tf.js';
import type { ParamSet } from '../engine/params.js';
import { judgeForward, type JudgeSpec } from './network.js';

export interface JudgeInfo {
  /** Dataset name the judge was trained on. */
  dataset: string;
  trainCount: number;
  epochs: number;
  seed: number;
  /** Wall-clock training time. */
  seconds: number;
}

export interface Judge {
  spec: JudgeSpec;
  params: ParamSet;
  classNames: string[];
  /** Accuracy on the held-out images, which it never trained on. */
  accuracy: number;
  /** Indices (into the training dataset's image order) of the held-out images. */
  heldOut: Int32Array;
  info: JudgeInfo;
  /** A digest of the spec and weights: real-data references computed with another judge are refused. */
  id: string;
}

export function disposeJudge(judge: Judge): void {
  judge.params.dispose();
}

/**
 * The digest of a spec and its weights, from the weights' values already in
 * memory: JSON.stringify(spec), then each tensor's name and float32 bytes, in
 * the network's parameter order (ParamSet.all()).
 */
export function judgeDigestOf(spec: JudgeSpec, weights: Iterable<readonly [string, Float32Array]>): string {
  const h = createHash('sha256').update(JSON.stringify(spec));
  for (const [name, data] of weights) {
    h.update(name).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}

/** The digest of a network's weights, read from the backend. */
export async function judgeDigest(spec: JudgeSpec, params: ParamSet): Promise<string> {
  const weights: [string, Float32Array][] = [];
  for (const [name, v] of params.all()) weights.push([name, (await v.data()) as Float32Array]);
  return judgeDigestOf(spec, weights);
}

export interface JudgeOutputs {
  /** [n × F] */
  features: Float32Array;
  /** [n × C] softmax probabilities */
  probs: Float32Array;
}

/** Runs the judge over n images in [-1, 1] (NHWC, float32) in batches, in inference. */
export async function embedImages(judge: Judge, images: Float32Array, n: number, batch = 250): Promise<JudgeOutputs> {
  const { size, channels, features: F, numClasses: C } = judge.spec;
  const per = size * size * channels;
  if (images.length !== n * per) {
    throw new Error(`expected ${n} images of ${size}×${size}×${channels} (${n * per} values), got ${images.length}`);
  }
  const features = new Float32Array(n * F);
  const probs = new Float32Array(n * C);
  for (let start = 0; start < n; start += batch) {
    const b = Math.min(batch, n - start);
    const [ft, pt] = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * per, (start + b) * per), [b, size, size, channels]);
      const out = judgeForward(judge.params, judge.spec, x);
      return [out.features, tf.softmax(out.logits)];
    });
    try {
      const [f, p] = await Promise.all([ft.data() as Promise<Float32Array>, pt.data() as Promise<Float32Array>]);
      features.set(f, start * F);
      probs.set(p, start * C);
    } finally {
      ft.dispose();
      pt.dispose();
    }
  }
  return { features, probs };
}

/** The pixels of the chosen images of a uint8 NHWC dataset, scaled to [-1, 1] as the trainer scales them. */
export function imagesAt(data: { pixels: Uint8Array; size: number; channels: number }, indices: ArrayLike<number>): Float32Array {
  const per = data.size * data.size * data.channels;
  const out = new Float32Array(indices.length * per);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * per;
    for (let p = 0; p < per; p++) out[i * per + p] = data.pixels[src + p] / 127.5 - 1;
  }
  return out;
}

/** Share of the chosen images whose label is the judge's most probable class. */
export async function judgeAccuracy(
  judge: Judge,
  data: { pixels: Uint8Array; size: number; channels: number; labels: ArrayLike<number> | null },
  indices: ArrayLike<number>,
): Promise<number> {
  if (!data.labels) throw new Error('accuracy needs labelled images');
  const { probs } = await embedImages(judge, imagesAt(data, indices), indices.length);
  const C = judge.spec.numClasses;
  let correct = 0;
  for (let i = 0; i < indices.length; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
    if (best === data.labels[indices[i]]) correct++;
  }
  return correct / indices.length;
}
