/**
 * An encoder per run: a network from an image to the latent (and class
 * logits, for a conditional model) that generated it, trained on pairs the
 * generator draws itself, (z, G(z)), so it needs no data. Its guess is
 * instant and lands near the answer; projection refines it. The network is
 * the judge's (strided convolutions, a dense feature layer) with zDim + C
 * outputs, so judge files carry it and the judge's code runs it.
 */
import { tf } from '../engine/tf.js';
import { Adam } from '../engine/adam.js';
import { Rng } from '../engine/rng.js';
import type { NetSpec } from '../engine/networks.js';
import type { ParamSet } from '../engine/params.js';
import { createJudge, judgeForward, judgeSpec, type Judge } from '../judges/index.js';
import { judgeDigest } from '../judges/judge.js';
import { generate } from '../engine/networks.js';
import { ENCODER_STEPS } from './defaults.js';

const ENCODER_FEATURES = 256;
const BATCH = 64;

export interface EncoderProgress {
  step: number;
  steps: number;
  /** Mean squared latent error over the last steps. */
  loss: number;
}

export interface TrainEncoderOptions {
  steps?: number;
  seed?: number;
  onProgress?: (p: EncoderProgress) => void | Promise<void>;
  cancelled?: () => boolean;
}

/** Trains an encoder for generator G (its sampler). The result is a Judge-shaped network whose logits are [z, class logits]. */
export async function trainEncoder(G: ParamSet, spec: NetSpec, opts: TrainEncoderOptions = {}): Promise<Judge> {
  const t0 = performance.now();
  const steps = opts.steps ?? ENCODER_STEPS;
  const { zDim, numClasses } = spec;
  // The judge's network wants two outputs at least; a one-number latent gets a spare.
  const outputs = Math.max(2, zDim + numClasses);
  const eSpec = judgeSpec(spec.size, spec.channels, outputs, ENCODER_FEATURES);
  const rng = Rng.fromSeed(opts.seed ?? 7);
  const params = createJudge(eSpec, rng);
  const lr = 1e-3;
  const settings = { lr, beta1: 0.9, beta2: 0.999 };
  const adam = new Adam('adamE', params.trainable, settings);
  let lossSum = 0;
  let lossCount = 0;
  try {
    for (let step = 1; step <= steps; step++) {
      if (opts.cancelled?.()) throw new Error('encoder training cancelled');
      settings.lr = lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / steps)));
      const zData = rng.normal(BATCH * zDim);
      const lab = numClasses > 0 ? Int32Array.from({ length: BATCH }, () => rng.int(numClasses)) : null;
      const loss = tf.tidy(() => {
        const zt = tf.tensor2d(zData, [BATCH, zDim]);
        const lt = lab && tf.tensor1d(lab, 'int32');
        const images = generate(G, spec, zt, lt, { training: false });
        const { value, grads } = tf.variableGrads(() => {
          const out = judgeForward(params, eSpec, images).logits;
          const zHat = tf.slice(out, [0, 0], [BATCH, zDim]);
          let l = tf.mean(tf.square(tf.sub(zHat, zt)));
          if (lt) {
            const logits = tf.slice(out, [0, zDim], [BATCH, numClasses]);
            l = tf.add(l, tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(lt, numClasses), tf.logSoftmax(logits)), 1))));
          }
          return l as tf.Scalar;
        }, params.trainableList());
        adam.apply(grads);
        return value;
      });
      const v = (await loss.data())[0];
      loss.dispose();
      if (!Number.isFinite(v)) throw new Error(`encoder training diverged at step ${step}`);
      lossSum += v;
      lossCount++;
      if (step % 25 === 0 || step === steps) {
        await opts.onProgress?.({ step, steps, loss: lossSum / lossCount });
        lossSum = 0;
        lossCount = 0;
      }
    }
  } catch (err) {
    adam.dispose();
    params.dispose();
    throw err;
  }
  adam.dispose();
  const names = Array.from({ length: outputs }, (_, i) => (i < zDim ? `z${i}` : i < zDim + numClasses ? `class${i - zDim}` : 'spare'));
  return {
    spec: eSpec,
    params,
    classNames: names,
    accuracy: Number.NaN,
    heldOut: new Int32Array(0),
    info: { dataset: 'encoder', trainCount: steps * BATCH, epochs: 1, seed: opts.seed ?? 7, seconds: (performance.now() - t0) / 1000 },
    id: await judgeDigest(eSpec, params),
  };
}

/** The encoder's guess for n images: latents, and the most likely class of a conditional model. */
export async function encode(encoder: Judge, spec: NetSpec, images: Float32Array, n: number): Promise<{ z: Float32Array; labels: Int32Array | null }> {
  const { zDim, numClasses } = spec;
  if (encoder.spec.numClasses < zDim + numClasses) throw new Error('this encoder was trained for another generator');
  const out = tf.tidy(() => judgeForward(encoder.params, encoder.spec, tf.tensor4d(images, [n, spec.size, spec.size, spec.channels])).logits);
  const all = (await out.data()) as Float32Array;
  out.dispose();
  const width = encoder.spec.numClasses;
  const z = new Float32Array(n * zDim);
  const labels = numClasses > 0 ? new Int32Array(n) : null;
  for (let i = 0; i < n; i++) {
    z.set(all.subarray(i * width, i * width + zDim), i * zDim);
    if (labels) {
      let b = 0;
      for (let c = 1; c < numClasses; c++) if (all[i * width + zDim + c] > all[i * width + zDim + b]) b = c;
      labels[i] = b;
    }
  }
  return { z, labels };
}
