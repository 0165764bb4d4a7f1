/**
 * One MLP GAN run in memory: what a family's trainer must do, in the fewest
 * lines — train a step, hand out a preview, save and restore itself exactly.
 * The shared parts do the rest: NetPair holds the networks, their Adam and
 * the generator's average, and names a checkpoint's tensors.
 */
import { imageBatch } from '../../engine/batches.js';
import { discriminatorLoss, generatorLoss, judgedReal, verdict } from '../../engine/losses.js';
import { NetPair, pairSettings } from '../../engine/net-pair.js';
import { Rng } from '../../engine/rng.js';
import { previewBatch } from '../../engine/sampling.js';
import { adversarialMetrics, type StepMetrics } from '../../engine/step-metrics.js';
import { takeData, tf } from '../../engine/tf.js';
import type { ImageBatch } from '../../core/image-batch.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';
import type { CheckpointData, RunTrainer } from '../run-checkpoint.js';
import type { TrainConfig } from '../run-config.js';
import { createMlpDiscriminator, createMlpGenerator, MLP_SIZES, mlpDiscriminate, mlpGenerate, mlpSpec, type MlpSpec } from './networks.js';

export class MlpTrainer extends NetPair implements RunTrainer {
  private constructor(
    readonly config: TrainConfig,
    readonly spec: MlpSpec,
    /** Null for a trainer restored only to generate images. */
    private readonly data: Dataset | null,
    from?: CheckpointData,
  ) {
    const init = Rng.fromSeed(config.seed);
    super(createMlpGenerator(spec, init), createMlpDiscriminator(spec, init), pairSettings(config), init);
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, from?: CheckpointData): MlpTrainer {
    if (!(MLP_SIZES as readonly number[]).includes(data.size)) throw new StudioError(`dataset ${data.name} has ${data.size} px images; the MLP GAN trains on ${MLP_SIZES.join(' or ')} px`);
    const spec = from ? (from.spec as MlpSpec) : mlpSpec(data.size, data.channels, config.zDim, config.width);
    if (spec.size !== data.size || spec.channels !== data.channels) {
      throw new StudioError(`checkpoint was trained on ${spec.size} px ×${spec.channels} images, dataset has ${data.size} px ×${data.channels}`);
    }
    return new MlpTrainer(config, spec, data, from);
  }

  static fromCheckpoint(c: CheckpointData): MlpTrainer {
    return new MlpTrainer(c.config, c.spec as MlpSpec, null, c);
  }

  /** One D update on a real and a generated batch, then one G update against the updated D. */
  async trainStep(): Promise<StepMetrics> {
    if (!this.data) throw new Error('this trainer was restored for sampling only');
    const t0 = performance.now();
    const { loss, batch: n } = this.config;
    const data = this.data;
    const picks = Int32Array.from({ length: n }, () => this.rng.int(data.count));
    const z = this.rng.normal(n * this.spec.zDim);
    const packed = tf.tidy(() => {
      const real = imageBatch(data, picks);
      const zt = tf.tensor2d(z, [n, this.spec.zDim]);
      let logits: tf.Tensor1D | null = null;
      const d = tf.variableGrads(() => {
        const both = mlpDiscriminate(this.D, this.spec, tf.concat([real, mlpGenerate(this.G, this.spec, zt)]));
        logits = tf.keep(both);
        const [r, f] = tf.split(both, 2) as [tf.Tensor1D, tf.Tensor1D];
        return discriminatorLoss(loss, r, f);
      }, this.D.trainableList());
      this.optD.apply(d.grads);
      const g = tf.variableGrads(() => generatorLoss(loss, mlpDiscriminate(this.D, this.spec, mlpGenerate(this.G, this.spec, zt))), this.G.trainableList());
      this.optG.apply(g.grads);
      const [r, f] = tf.split(logits!, 2) as [tf.Tensor1D, tf.Tensor1D];
      const out = tf.stack([d.value, g.value, tf.mean(verdict(loss, r)), tf.mean(verdict(loss, f)), judgedReal(loss, r), tf.sub(1, judgedReal(loss, f))]);
      // Kept out of the gradient's scope to be read here; this tidy does not own it.
      tf.dispose(logits!);
      return out;
    });
    // The step's one read-back; the average follows G before it.
    const { m, ms } = await this.finishStep(packed, t0);
    return adversarialMetrics(this.step, m, n, ms);
  }

  /** The generator samples come from: the average when there is one (no batch norm, so nothing to measure). */
  sampler() {
    return this.averaged();
  }

  async generateImages(z: Float32Array): Promise<Float32Array> {
    return takeData(tf.tidy(() => mlpGenerate(this.sampler(), this.spec, tf.tensor2d(z, [z.length / this.spec.zDim, this.spec.zDim]))));
  }

  async preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }> {
    return previewBatch(this);
  }

  async toCheckpoint(): Promise<CheckpointData> {
    return this.snapshot(this.config, this.spec);
  }
}
