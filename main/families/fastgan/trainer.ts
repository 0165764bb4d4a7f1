/**
 * One FastGAN run in memory. A step: one D update on real and generated
 * images as D sees them (DiffAugment by default, or ADA), with the hinge
 * loss and the decoders' reconstruction loss on the real half; then one G
 * update against the updated D, the generated batch shared as the GAN
 * trainer shares it. NetPair holds the networks, their Adam and the average
 * of G; the augmentation's state goes into checkpoints with them.
 */
import { DiscriminatorAugment } from '../../engine/augment.js';
import { imageBatch } from '../../engine/batches.js';
import { discriminatorLoss, generatorLoss, judgedReal, verdict } from '../../engine/losses.js';
import { NetPair, pairSettings } from '../../engine/net-pair.js';
import type { ParamSet } from '../../engine/params.js';
import { Rng } from '../../engine/rng.js';
import { previewBatch } from '../../engine/sampling.js';
import { adversarialMetrics, type StepMetrics } from '../../engine/step-metrics.js';
import { takeData, tf } from '../../engine/tf.js';
import type { ImageBatch } from '../../core/image-batch.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';
import type { CheckpointData, RunTrainer } from '../run-checkpoint.js';
import type { TrainConfig } from '../run-config.js';
import { createFastGanDiscriminator, fastGanDiscriminatorBlocks, createFastGanGenerator, FASTGAN_SIZES, fastGanDiscriminate, fastGanGenerate, fastGanSpec, reconstructionLoss, type FastGanSpec } from './networks.js';

/** Latents of the averaged generator's batch-norm calibration: fixed, so a checkpoint's samples do not depend on when they were drawn. */
const CALIBRATION = 128;

export const refuseSize = (name: string, size: number) =>
  (FASTGAN_SIZES as readonly number[]).includes(size) ? null : `dataset ${name} has ${size} px images; FastGAN trains on ${FASTGAN_SIZES.join(', ')} px (import it at one of them)`;

export class FastGanTrainer extends NetPair implements RunTrainer {
  private readonly augment: DiscriminatorAugment;

  private constructor(
    readonly config: TrainConfig,
    readonly spec: FastGanSpec,
    /** Null for a trainer restored only to generate images. */
    private readonly data: Dataset | null,
    from?: CheckpointData,
  ) {
    const init = Rng.fromSeed(config.seed);
    super(createFastGanGenerator(spec, init), createFastGanDiscriminator(spec, init), pairSettings(config), init);
    this.augment = new DiscriminatorAugment(config.augment, data, from);
    this.freezeDiscriminator(fastGanDiscriminatorBlocks(spec), config.freezeD);
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, from?: CheckpointData): FastGanTrainer {
    const refused = refuseSize(data.name, data.size);
    if (refused) throw new StudioError(refused);
    const spec = from ? (from.spec as FastGanSpec) : fastGanSpec(data.size, data.channels, config.zDim, config.width);
    if (spec.size !== data.size || spec.channels !== data.channels) {
      throw new StudioError(`checkpoint was trained on ${spec.size} px ×${spec.channels} images, dataset has ${data.size} px ×${data.channels}`);
    }
    return new FastGanTrainer(config, spec, data, from);
  }

  static fromCheckpoint(c: CheckpointData): FastGanTrainer {
    return new FastGanTrainer(c.config, c.spec as FastGanSpec, null, c);
  }

  private reconWeight(): number {
    return this.config.fastgan?.recon ?? 1;
  }

  /** One D update on n real images and the generated batch; returns its loss, the reconstruction loss and D's logits on both halves. */
  private discriminatorStep(fake: tf.Tensor4D) {
    const { loss, batch: n } = this.config;
    const data = this.data!;
    const picks = Int32Array.from({ length: n }, () => this.rng.int(data.count));
    const seen = this.augment.seen(this.rng, tf.concat([imageBatch(data, picks), fake]));
    const quarter = this.rng.int(4);
    const mode = { training: true };
    let logits: tf.Tensor1D | null = null;
    let recon: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const d = fastGanDiscriminate(this.D, this.spec, seen, mode);
      logits = tf.keep(d.logits);
      const [r, f] = tf.split(d.logits, 2) as [tf.Tensor1D, tf.Tensor1D];
      const rec = reconstructionLoss(this.D, tf.slice(seen, 0, n), tf.slice(d.feat8, 0, n), tf.slice(d.feat16, 0, n), quarter, mode);
      recon = tf.keep(rec);
      return tf.add(discriminatorLoss(loss, r, f), tf.mul(rec, this.reconWeight())) as tf.Scalar;
    }, this.D.trainableList());
    this.optD.apply(grads);
    return { value: tf.keep(value), recon: recon!, logits: logits! };
  }

  async trainStep(): Promise<StepMetrics> {
    if (!this.data) throw new Error('this trainer was restored for sampling only');
    const t0 = performance.now();
    const { loss, batch: n } = this.config;
    const z = this.rng.normal(n * this.spec.zDim);
    const packed = tf.tidy(() => {
      let d: ReturnType<FastGanTrainer['discriminatorStep']> | null = null;
      const { value: gLoss, grads } = tf.variableGrads(() => {
        const fake = fastGanGenerate(this.G, this.spec, tf.tensor2d(z, [n, this.spec.zDim]), { training: true });
        // D's update takes its gradients with respect to D only; G's loss sees the updated D.
        d = this.discriminatorStep(fake);
        return generatorLoss(loss, fastGanDiscriminate(this.D, this.spec, this.augment.seen(this.rng, fake), { training: true }).logits);
      }, this.G.trainableList());
      this.optG.apply(grads);
      const last = d!;
      const [r, f] = tf.split(last.logits, 2) as [tf.Tensor1D, tf.Tensor1D];
      const out = tf.stack([last.value, gLoss, tf.mean(verdict(loss, r)), tf.mean(verdict(loss, f)), judgedReal(loss, r), tf.sub(1, judgedReal(loss, f)), last.recon, tf.sum(tf.sign(r))]);
      tf.dispose([last.value, last.recon, last.logits]);
      return out;
    });
    const { m, ms } = await this.finishStep(packed, t0);
    return { ...adversarialMetrics(this.step, m, n, ms), content: m[6], ...this.augment.observe(m[7], n) };
  }

  /** The generator samples come from: the average, its batch-norm statistics measured on itself, else G. */
  sampler(): ParamSet {
    return this.averaged((ema) => {
      const z = Rng.fromSeed(0x5eed5).normal(CALIBRATION * this.spec.zDim);
      tf.tidy(() => {
        fastGanGenerate(ema, this.spec, tf.tensor2d(z, [CALIBRATION, this.spec.zDim]), { training: true, statMomentum: 0 });
      });
    });
  }

  async generateImages(z: Float32Array): Promise<Float32Array> {
    const p = this.sampler();
    return takeData(tf.tidy(() => fastGanGenerate(p, this.spec, tf.tensor2d(z, [z.length / this.spec.zDim, this.spec.zDim]), { training: false })));
  }

  async preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }> {
    return previewBatch(this);
  }

  async toCheckpoint(): Promise<CheckpointData> {
    this.sampler();
    return this.snapshot(this.config, this.spec, this.augment.tensors());
  }
}
