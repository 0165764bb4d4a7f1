/**
 * Trains a judge on a labelled dataset: softmax cross-entropy with Adam, a
 * seeded split that keeps a share of the images aside to report accuracy on,
 * and small random shifts of the training images so that the classifier (and
 * so the feature space) does not hinge on exact pixel positions, which GAN
 * samples do not reproduce.
 */
import { tf } from '../engine/tf.js';
import { Adam } from '../engine/adam.js';
import { Rng } from '../engine/rng.js';
import type { ParamSet } from '../engine/params.js';
import { shuffle } from '../datasets/subset.js';
import { StudioError } from '../errors.js';
import { createJudge, judgeForward, judgeSpec, type JudgeSpec } from './network.js';
import { embedImages, imagesAt, judgeAccuracy, judgeDigest, type Judge } from './judge.js';

export interface JudgeData {
  name?: string;
  pixels: Uint8Array;
  count: number;
  size: number;
  channels: number;
  labels: Int32Array | Uint8Array | null;
  classNames: string[];
}

export interface JudgeProgress {
  epoch: number;
  epochs: number;
  /** Optimizer steps so far and in all. */
  step: number;
  steps: number;
  /** Mean training loss over the steps since the last report. */
  loss: number;
  /** Held-out accuracy, at the end of each epoch. */
  accuracy?: number;
}

export interface TrainJudgeOptions {
  seed: number;
  epochs?: number;
  batch?: number;
  lr?: number;
  /** Share of the images kept aside for the accuracy figure (default 0.15). */
  heldOut?: number;
  /** Largest random shift of a training image, in pixels (default 2; 0 turns it off). */
  shift?: number;
  onProgress?: (p: JudgeProgress) => void;
  /** Steps between progress reports (default 20). */
  reportEvery?: number;
}

const MAX_STEPS = 2000;

export async function trainJudge(data: JudgeData, opts: TrainJudgeOptions): Promise<Judge> {
  const t0 = performance.now();
  const { labels, classNames, count } = data;
  if (!labels || classNames.length < 2) {
    throw new StudioError(`dataset${data.name ? ` ${data.name}` : ''} has no class labels: a judge is trained to tell its classes apart`);
  }
  if (labels.length !== count) throw new Error(`${labels.length} labels for ${count} images`);
  const spec = judgeSpec(data.size, data.channels, classNames.length);
  const batch = opts.batch ?? 128;
  const shift = opts.shift ?? 2;
  const rng = Rng.fromSeed(opts.seed);

  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffle(order, rng);
  const nHeld = Math.round(count * (opts.heldOut ?? 0.15));
  if (count - nHeld < batch) throw new StudioError(`a judge needs more than ${batch + nHeld} labelled images; the dataset has ${count}`);
  const heldOut = order.slice(count - nHeld).sort();
  const train = order.slice(0, count - nHeld);

  const params = createJudge(spec, rng);
  const lr = opts.lr ?? 2e-3;
  // Adam reads its settings at every step, so lowering settings.lr decays it.
  const settings = { lr, beta1: 0.9, beta2: 0.999 };
  const opt = new Adam('adamJ', params.trainable, settings);
  const stepsPerEpoch = Math.floor(train.length / batch);
  // 8 epochs, but no more than about MAX_STEPS updates: a large dataset (Fashion-MNIST's 70,000) needs fewer passes, and its judge should not take the CPU for ten minutes.
  const epochs = opts.epochs ?? Math.max(1, Math.min(8, Math.round(MAX_STEPS / stepsPerEpoch)));
  const steps = epochs * stepsPerEpoch;
  const reportEvery = opts.reportEvery ?? 20;
  const per = data.size * data.size * data.channels;
  const x = new Float32Array(batch * per);
  const y = new Int32Array(batch);
  let step = 0;
  let lossSum = 0;
  let lossCount = 0;
  let accuracy = NaN;
  const partial = (): Judge => ({
    spec,
    params,
    classNames: [...classNames],
    accuracy,
    heldOut,
    info: { dataset: data.name ?? '', trainCount: train.length, epochs, seed: opts.seed, seconds: (performance.now() - t0) / 1000 },
    id: '',
  });
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffle(train, rng);
      for (let s = 0; s < stepsPerEpoch; s++) {
        for (let i = 0; i < batch; i++) {
          const k = train[s * batch + i];
          y[i] = labels[k];
          copyMoved(data, k, x, i * per, shift > 0 ? rng.int(2 * shift + 1) - shift : 0, shift > 0 ? rng.int(2 * shift + 1) - shift : 0);
        }
        // Cosine decay to 5% of the rate: the last epochs settle into a
        // minimum instead of bouncing around it, worth about a point of accuracy.
        settings.lr = lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / steps)));
        const lossTensor = classifierStep(params, spec, opt, x, y, batch);
        let loss: number;
        try {
          loss = (await lossTensor.data())[0];
        } finally {
          lossTensor.dispose();
        }
        step++;
        lossSum += loss;
        lossCount++;
        if (!Number.isFinite(loss)) throw new StudioError(`judge training diverged at step ${step} (loss ${loss}); try a lower learning rate`);
        const endOfEpoch = s === stepsPerEpoch - 1;
        if (endOfEpoch) accuracy = await judgeAccuracy(partial(), data, heldOut);
        if (opts.onProgress && (step % reportEvery === 0 || endOfEpoch)) {
          opts.onProgress({ epoch, epochs, step, steps, loss: lossSum / lossCount, ...(endOfEpoch ? { accuracy } : {}) });
          lossSum = 0;
          lossCount = 0;
        }
      }
    }
  } catch (err) {
    opt.dispose();
    params.dispose();
    throw err;
  }
  opt.dispose();
  const judge = partial();
  await setFeatureScale(judge, data, train.subarray(0, 2000));
  judge.id = await judgeDigest(spec, params);
  return judge;
}

/** Scales the features so that their mean square over the given images is 1. */
async function setFeatureScale(judge: Judge, data: JudgeData, indices: Int32Array): Promise<void> {
  const scale = judge.params.get('feat/scale');
  tf.tidy(() => scale.assign(tf.ones([1])));
  const { features } = await embedImages(judge, imagesAt(data, indices), indices.length);
  let ss = 0;
  for (const v of features) ss += v * v;
  const rms = Math.sqrt(ss / features.length);
  if (rms > 0) tf.tidy(() => scale.assign(tf.fill([1], 1 / rms)));
}

/** One Adam step of softmax cross-entropy on a batch x (in [-1, 1]) with labels y; the loss, for the caller to read and dispose. */
export function classifierStep(params: ParamSet, spec: JudgeSpec, opt: Adam, x: Float32Array, y: Int32Array, batch: number): tf.Scalar {
  return tf.tidy(() => {
    const images = tf.tensor4d(x, [batch, spec.size, spec.size, spec.channels]);
    const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), spec.numClasses);
    const { value, grads } = tf.variableGrads(() => {
      const { logits } = judgeForward(params, spec, images);
      return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
    }, params.trainableList());
    opt.apply(grads);
    return value;
  });
}

/** Image k moved by (dy, dx), mirrored left to right when `flip`, edges repeated into the uncovered border, scaled to [-1, 1]. */
export function copyMoved(data: Pick<JudgeData, 'size' | 'channels' | 'pixels'>, k: number, out: Float32Array, at: number, dy: number, dx: number, flip = false): void {
  const { size, channels, pixels } = data;
  const src = k * size * size * channels;
  for (let r = 0; r < size; r++) {
    const sr = Math.min(Math.max(r - dy, 0), size - 1);
    for (let c = 0; c < size; c++) {
      const sc = Math.min(Math.max((flip ? size - 1 - c : c) - dx, 0), size - 1);
      const from = src + (sr * size + sc) * channels;
      const to = at + (r * size + c) * channels;
      for (let ch = 0; ch < channels; ch++) out[to + ch] = pixels[from + ch] / 127.5 - 1;
    }
  }
}
