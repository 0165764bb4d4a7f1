/**
 * What the pix2pix and CycleGAN trainers share, beside the networks and
 * optimisers of NetPair: the run's random stream and step, the learning
 * rate's linear decay, translating batches of 0–255 images with the average
 * generator, checkpoints (with any extra state a trainer keeps), the losses.
 */
import { takeData, tf } from '../../engine/tf.js';
import { NetPair, type NetPairSettings } from '../../engine/net-pair.js';
import type { CheckpointData, TensorData } from '../run-checkpoint.js';
import type { TrainConfig } from '../run-config.js';
import type { Mode } from '../../engine/layers.js';
import type { ParamSet } from '../../engine/params.js';
import type { Rng } from '../../engine/rng.js';
import type { ImageBatch } from '../../core/image-batch.js';
import type { StepMetrics } from '../../engine/step-metrics.js';
import type { TranslateSettings } from './settings.js';
import { translateLrScale } from './settings.js';
import type { TranslateSpec } from './networks.js';
import type { Direction, Translator } from './tiles.js';

/** mean |a − b|. */
export const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
/** Binary cross-entropy of logits against an all-`target` label (0 or 1), as softplus. */
export const bce = (logits: tf.Tensor, target: 0 | 1) => tf.mean(tf.softplus(target ? tf.neg(logits) : logits)) as tf.Scalar;
/** Least-squares GAN loss: mean (x − target)². */
export const mse = (x: tf.Tensor, target: 0 | 1) => tf.mean(tf.square(tf.sub(x, target))) as tf.Scalar;

/** 0–255 NHWC values → a [-1, 1] tensor. */
export const toNetwork = (x: Float32Array, n: number, side: number, c: number) => tf.tidy(() => tf.sub(tf.div(tf.tensor4d(x, [n, side, side, c]), 127.5), 1) as tf.Tensor4D);

/** Held-out examples shown on the run's timeline. */
export const PREVIEW_IMAGES = 4;

/** Held out for measurement: a tenth of the images, at most this many (FID wants hundreds). */
export const TRANSLATE_HELD_OUT = 500;

/** Images translated per pass in evaluation and previews. */
export const EVAL_BATCH = 16;

export abstract class TranslateTrainer extends NetPair implements Translator {

  protected constructor(
    readonly config: TrainConfig,
    readonly spec: TranslateSpec,
    G: ParamSet,
    D: ParamSet,
    settings: NetPairSettings,
    rng: Rng,
  ) {
    super(G, D, settings, rng);
  }

  protected get t(): TranslateSettings {
    return this.config.translate!;
  }

  get tileSide(): number {
    return this.spec.size;
  }

  inChannelsOf(d: Direction): 1 | 3 {
    return d === 'AtoB' ? this.spec.inChannels : this.spec.outChannels;
  }

  outChannelsOf(d: Direction): 1 | 3 {
    return d === 'AtoB' ? this.spec.outChannels : this.spec.inChannels;
  }

  lrScale(step = this.step): number {
    return translateLrScale(this.t.decay, step, this.config.steps);
  }

  /** The generator results come from: the average when there is one. */
  sampler(): ParamSet {
    return this.averaged();
  }

  /** One direction's generator on a [-1, 1] batch (evaluation mode: running statistics, no dropout). */
  protected abstract generate(p: ParamSet, direction: Direction, x: tf.Tensor4D, mode: Mode): tf.Tensor4D;

  /** n images of the training size, 0–255, through the average generator; 0–255 out (clipped). */
  async translateTiles(x: Float32Array, n: number, direction: Direction): Promise<Float32Array> {
    const side = this.spec.size;
    const out = tf.tidy(() => {
      const y = this.generate(this.sampler(), direction, toNetwork(x, n, side, this.inChannelsOf(direction)), { training: false });
      return tf.clipByValue(tf.mul(tf.add(y, 1), 127.5), 0, 255);
    });
    return takeData(out);
  }

  /** translateTiles over any number of images, EVAL_BATCH at a time. */
  async translateAll(x: Float32Array, n: number, direction: Direction): Promise<Float32Array> {
    const side = this.spec.size;
    const perIn = side * side * this.inChannelsOf(direction);
    const perOut = side * side * this.outChannelsOf(direction);
    const out = new Float32Array(n * perOut);
    for (let i = 0; i < n; i += EVAL_BATCH) {
      const k = Math.min(EVAL_BATCH, n - i);
      out.set(await this.translateTiles(x.subarray(i * perIn, (i + k) * perIn), k, direction), i * perOut);
    }
    return out;
  }

  abstract trainStep(): Promise<StepMetrics>;
  abstract preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }>;

  /** State beyond the networks and optimisers that exact resume needs (CycleGAN's image pools). */
  protected extraTensors(): Map<string, TensorData> {
    return new Map();
  }

  protected loadExtra(_tensors: Map<string, TensorData>): void {}

  async toCheckpoint(): Promise<CheckpointData> {
    return this.snapshot(this.config, this.spec, this.extraTensors());
  }

  protected override restore(c: CheckpointData): void {
    super.restore(c);
    this.loadExtra(c.tensors);
  }
}

/** Gray → RGB by repetition, to show a one-channel input beside colour images; other counts pass. */
export function asChannels(img: Float32Array, from: 1 | 3, to: 1 | 3): Float32Array {
  if (from === to) return img;
  const n = img.length / from;
  const out = new Float32Array(n * to);
  if (from === 1) for (let p = 0; p < n; p++) out.fill(img[p], p * 3, p * 3 + 3);
  else for (let p = 0; p < n; p++) out[p] = 0.299 * img[p * 3] + 0.587 * img[p * 3 + 1] + 0.114 * img[p * 3 + 2];
  return out;
}
