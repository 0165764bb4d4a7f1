/**
 * One GAN training run in memory: networks, optimizers, random state, and the
 * step of the seeds — k discriminator steps on a real and a generated batch,
 * then one generator step.
 */
import { takeData, tf } from '../../engine/tf.js';
import { NetPair, pairSettings } from '../../engine/net-pair.js';
import type { CheckpointData } from '../run-checkpoint.js';
import type { TrainConfig } from '../run-config.js';
import { discriminatorLoss, generatorLoss, gradientPenalty, judgedReal, r1Penalty, verdict } from '../../engine/losses.js';
import { DiscriminatorAugment } from '../../engine/augment.js';
import {
  calibrateBatchNorm,
  createDiscriminator,
  discriminatorBlocks,
  createGenerator,
  discriminate,
  generate,
  SIZES,
  type ImageSize,
  type NetSpec,
} from '../../engine/networks.js';
import type { ParamSet } from '../../engine/params.js';
import { Rng } from '../../engine/rng.js';
import { previewBatch } from '../../engine/sampling.js';
import { type ImageBatch } from '../../core/image-batch.js';
import type { Mode } from '../../engine/layers.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';

import { adversarialMetrics, type AdversarialStepMetrics } from '../../engine/step-metrics.js';
import { dropoutMode, R1_INTERVAL, spectralVectorsOf } from '../../engine/regularisers.js';
import { imageBatch } from '../../engine/batches.js';

export function specFor(config: TrainConfig, data: Dataset): NetSpec {
  if (!(SIZES as readonly number[]).includes(data.size)) {
    throw new StudioError(`dataset ${data.name} has ${data.size} px images; models are built for ${SIZES.join(', ')} px`);
  }
  const conditional = config.model === 'cdcgan';
  if (conditional && (!data.labels || data.classNames.length < 2)) {
    throw new StudioError(`dataset ${data.name} has no class labels; train it with --model dcgan`);
  }
  return {
    size: data.size as ImageSize,
    channels: data.channels,
    zDim: config.zDim,
    width: config.width,
    numClasses: conditional ? data.classNames.length : 0,
    dropout: config.dropout,
    spectralNorm: config.spectralNorm,
  };
}

/** A GAN checkpoint's networks; a super-resolution or translation run's checkpoint draws nothing from noise. */
function ganSpec(c: CheckpointData): NetSpec {
  // Callers ask the registry first (familyOfSpec, requireCapability), which says what the run does instead.
  if ('task' in c.spec) throw new StudioError(`this checkpoint is of a ${String(c.spec.task)} run, not a GAN's`, 'INVALID_INPUT');
  return c.spec as NetSpec;
}


export class Trainer extends NetPair {
  /** What D sees: DiffAugment, ADA or the images as they are, chosen once from the setting and the dataset's size. */
  private readonly augment: DiscriminatorAugment;

  private constructor(
    readonly config: TrainConfig,
    readonly spec: NetSpec,
    /** Null for a trainer restored only to generate images. */
    private readonly data: Dataset | null,
    from?: CheckpointData,
  ) {
    const init = Rng.fromSeed(config.seed);
    super(createGenerator(spec, init), createDiscriminator(spec, init), pairSettings(config), init);
    this.augment = new DiscriminatorAugment(config.augment, data, from);
    this.freezeDiscriminator(discriminatorBlocks(spec), config.freezeD);
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, from?: CheckpointData): Trainer {
    const spec = from ? ganSpec(from) : specFor(config, data);
    if (spec.size !== data.size || spec.channels !== data.channels) {
      throw new StudioError(`checkpoint was trained on ${spec.size} px ×${spec.channels} images, dataset has ${data.size} px ×${data.channels}`);
    }
    return new Trainer(config, spec, data, from);
  }

  /** The networks of a checkpoint, for generating images; it cannot train. */
  static fromCheckpoint(c: CheckpointData): Trainer {
    return new Trainer(c.config, ganSpec(c), null, c);
  }

  private realBatch(n: number): { images: tf.Tensor4D; labels: tf.Tensor1D | null } {
    if (!this.data) throw new Error('this trainer was restored for sampling only');
    const { count, labels } = this.data;
    const picks = new Int32Array(n);
    for (let i = 0; i < n; i++) picks[i] = this.rng.int(count);
    return {
      images: imageBatch(this.data, picks),
      labels: this.spec.numClasses > 0 ? tf.tensor1d(labels ? picks.map((k) => labels[k]) : new Int32Array(n), 'int32') : null,
    };
  }

  private noise(n: number): { z: tf.Tensor2D; labels: tf.Tensor1D | null } {
    const z = tf.tensor2d(this.rng.normal(n * this.spec.zDim), [n, this.spec.zDim]);
    if (this.spec.numClasses === 0) return { z, labels: null };
    const lab = new Int32Array(n);
    for (let i = 0; i < n; i++) lab[i] = this.rng.int(this.spec.numClasses);
    return { z, labels: tf.tensor1d(lab, 'int32') };
  }

  /** Inverted-dropout keep masks (0 or 1/keep) for one discriminator pass. */
  private dropout(n: number): Mode {
    return dropoutMode(this.rng, this.spec, n);
  }

  /** D's mode for one pass of n images: dropout masks, and this update's spectral vectors. */
  private dMode(n: number, spectral: Mode['spectral']): Mode {
    return { ...this.dropout(n), spectral };
  }

  /** The images as D sees them, with fresh random draws each call. */
  private augmented(images: tf.Tensor4D): tf.Tensor4D {
    return this.augment.seen(this.rng, images);
  }

  /**
   * One discriminator update on a real batch and the given generated batch.
   * Real and generated images go through D as one batch of 2n. Returns the
   * loss and D's logits on both halves, kept for the caller to release.
   */
  private discriminatorStep(fake: tf.Tensor4D, fakeLabels: tf.Tensor1D | null, spectral: Mode['spectral']) {
    const { loss, batch: n, gpWeight, labelSmoothing, r1 } = this.config;
    const spec = this.spec;
    const real = this.realBatch(n);
    const mode = this.dMode(2 * n, spectral);
    const eps = loss === 'wgan-gp' ? tf.tensor4d(this.rng.fillUniform(new Float32Array(n)), [n, 1, 1, 1]) : null;
    const images = this.augmented(tf.concat([real.images, fake]));
    const labels = real.labels && fakeLabels ? tf.concat([real.labels, fakeLabels]) : null;
    // Lazy R1: counted by D updates so that k D-steps per G step keep the interval.
    const withR1 = r1 > 0 && this.optD.iterations % R1_INTERVAL === 0;
    let logits: tf.Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const both = discriminate(this.D, spec, images, labels, mode);
      logits = tf.keep(both);
      const [r, f] = tf.split(both, 2) as [tf.Tensor1D, tf.Tensor1D];
      let l = discriminatorLoss(loss, r, f, labelSmoothing);
      if (eps || withR1) {
        const [realSeen, fakeSeen] = tf.split(images, 2) as [tf.Tensor4D, tf.Tensor4D];
        const critic = (x: tf.Tensor4D) =>
          discriminate(this.D, spec, x, real.labels, { training: true, spectral, dropoutMasks: mode.dropoutMasks?.map((m) => tf.slice(m, 0, n)) });
        if (eps) l = tf.add(l, gradientPenalty(critic, realSeen, fakeSeen, eps, gpWeight));
        if (withR1) l = tf.add(l, r1Penalty(critic, realSeen, r1 * R1_INTERVAL));
      }
      return l;
    }, this.D.trainableList());
    this.optD.apply(grads);
    return { value: tf.keep(value), logits: logits! as tf.Tensor1D };
  }

  /** One power iteration of every normalised D weight, before a D update. */
  private spectralVectors(): Mode['spectral'] {
    return spectralVectorsOf(this.D, this.spec);
  }

  /**
   * One training step: config.dSteps discriminator updates, then one
   * generator update. As in PyTorch's DCGAN, the last D update and the G
   * update share one generated batch: G runs forward once, its output is
   * scored by D for D's update, then by the updated D for G's.
   */
  async trainStep(): Promise<AdversarialStepMetrics> {
    const t0 = performance.now();
    const { loss, batch: n, dSteps } = this.config;
    const spec = this.spec;
    const packed = tf.tidy(() => {
      let d: { value: tf.Scalar; logits: tf.Tensor1D } | null = null;
      const keepLast = (next: typeof d) => {
        if (d) tf.dispose([d.value, d.logits]);
        d = next;
      };
      for (let k = 0; k < dSteps - 1; k++) {
        const { z, labels } = this.noise(n);
        // Outside any gradient scope: these D updates do not train G.
        keepLast(this.discriminatorStep(generate(this.G, spec, z, labels, { training: true }), labels, this.spectralVectors()));
      }
      const { z, labels } = this.noise(n);
      const spectral = this.spectralVectors();
      const { value: gLoss, grads } = tf.variableGrads(() => {
        const fake = generate(this.G, spec, z, labels, { training: true });
        // The D update's own gradients are taken with respect to D only, so
        // nothing of it flows back into G; G's loss sees the updated D.
        keepLast(this.discriminatorStep(fake, labels, spectral));
        return generatorLoss(loss, discriminate(this.D, spec, this.augmented(fake), labels, this.dMode(n, spectral)));
      }, this.G.trainableList());
      this.optG.apply(grads);
      const last = d!;
      const [realLogits, fakeLogits] = tf.split(last.logits, 2) as [tf.Tensor1D, tf.Tensor1D];
      const out = tf.stack([
        last.value,
        gLoss,
        tf.mean(verdict(loss, realLogits)),
        tf.mean(verdict(loss, fakeLogits)),
        judgedReal(loss, realLogits),
        tf.sub(1, judgedReal(loss, fakeLogits)),
        // ADA's controller reads how sure D is of the reals: the sum of their signs.
        tf.sum(tf.sign(realLogits)),
      ]);
      tf.dispose([last.value, last.logits]);
      return out;
    });
    const { m, ms } = await this.finishStep(packed, t0);
    return { ...adversarialMetrics(this.step, m, n, ms), ...this.augment.observe(m[6], n) };
  }

  /** The generator samples and exports come from: the average of G, its batch-norm statistics measured on itself, else G. */
  sampler(): ParamSet {
    return this.averaged((ema) => calibrateBatchNorm(ema, this.spec));
  }

  /** The run's progress grid: the same 64 latents at every step it is drawn. */
  async preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }> {
    return previewBatch(this);
  }

  /** Images in [-1, 1] from explicit latents, by the sampler() generator in inference mode. */
  async generateImages(z: Float32Array, labels: Int32Array | null): Promise<Float32Array> {
    const n = z.length / this.spec.zDim;
    const p = this.sampler();
    return takeData(
      tf.tidy(() => {
        const zt = tf.tensor2d(z, [n, this.spec.zDim]);
        const lt = this.spec.numClasses > 0 ? tf.tensor1d(labels ?? new Int32Array(n), 'int32') : null;
        return generate(p, this.spec, zt, lt, { training: false });
      }),
    );
  }

  async toCheckpoint(): Promise<CheckpointData> {
    // The average is saved with its own statistics, whether or not samples were drawn since it moved.
    this.sampler();
    return this.snapshot(this.config, this.spec, this.augment.tensors());
  }
}
