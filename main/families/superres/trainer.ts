/**
 * One super-resolution run in memory, beside the GAN trainer and sharing its
 * machinery: Adam with its state saved, the run's seeded random stream,
 * the average of G, checkpoints in the same format, the same step loop.
 * Two phases, as SRGAN and ESRGAN train: L1 alone (the PSNR phase), then the
 * same L1 with a patch discriminator's adversarial loss and, when asked,
 * feature matching.
 */
import { takeData, tf } from '../../engine/tf.js';
import { NetPair, pairSettings } from '../../engine/net-pair.js';
import type { CheckpointData } from '../run-checkpoint.js';
import type { SuperResSettings } from './settings.js';
import type { TrainConfig } from '../run-config.js';
import { patchVerdicts } from '../../engine/losses.js';
import { imageStepMetrics } from '../../engine/image-step.js';
import type { ParamSet } from '../../engine/params.js';
import { Rng } from '../../engine/rng.js';
import type { ImageBatch } from '../../core/image-batch.js';
import type { StepMetrics } from '../../engine/step-metrics.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';
import { heldOutRng, heldOutSplit, imageOf, type Split } from '../../engine/held-out.js';
import { pairBatch } from './data.js';
import { lowResOf } from './degrade.js';
import { createPatchDiscriminator, createSrGenerator, judgePatches, superResolve, type SrSpec } from './networks.js';
import type { Image } from '../../images/resample.js';

export function srSpecFor(config: TrainConfig, data: Pick<Dataset, 'name' | 'size' | 'channels'>): SrSpec {
  const sr = config.superres;
  if (!sr) throw new StudioError('a super-resolution run needs its settings (task superres)');
  if (data.size < sr.crop) throw new StudioError(`dataset ${data.name} has ${data.size} px images, smaller than the ${sr.crop} px crops; import it at a larger size or choose a smaller crop`);
  return { task: 'superres', channels: data.channels, scale: sr.scale, blocks: sr.blocks, feats: sr.feats, crop: sr.crop, dWidth: sr.dWidth };
}

/** Held-out images shown on the run's timeline: low-res | upscaled | original. */
const PREVIEW_IMAGES = 4;

/** mean |a − b| over all elements. */
const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;

/** Relativistic average (ESRGAN) or standard non-saturating adversarial losses on patch logits, with D's view of each side. */
function adversarial(kind: SuperResSettings['advLoss'], real: tf.Tensor, fake: tf.Tensor) {
  const r = kind === 'ragan' ? tf.sub(real, tf.mean(fake)) : real;
  const f = kind === 'ragan' ? tf.sub(fake, tf.mean(real)) : fake;
  const sp = (x: tf.Tensor) => tf.mean(tf.softplus(x)) as tf.Scalar;
  return {
    d: tf.add(sp(tf.neg(r)), sp(f)) as tf.Scalar,
    // RaGAN's G also pushes real patches to look less real than its own; the standard loss only its own.
    g: (kind === 'ragan' ? tf.add(sp(r), sp(tf.neg(f))) : sp(tf.neg(f))) as tf.Scalar,
    r,
    f,
  };
}

/** The adversarial phase's share of the learning rates under the cosine schedule. */
const ADVERSARIAL_LR_SCALE = 0.1;

export class SrTrainer extends NetPair {
  readonly split: Split | null;

  private constructor(
    readonly config: TrainConfig,
    readonly spec: SrSpec,
    private readonly data: Dataset | null,
    from?: CheckpointData,
  ) {
    const init = Rng.fromSeed(config.seed);
    super(createSrGenerator(spec, init), createPatchDiscriminator(spec, init), pairSettings(config), init);
    this.split = data ? heldOutSplit(data.count) : null;
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, from?: CheckpointData): SrTrainer {
    const spec = from ? (from.spec as SrSpec) : srSpecFor(config, data);
    if (from && (from.spec as SrSpec).channels !== data.channels) throw new StudioError(`checkpoint was trained on ${(from.spec as SrSpec).channels}-channel images, dataset has ${data.channels}`);
    return new SrTrainer(config, spec, data, from);
  }

  /** The networks of a checkpoint, for upscaling; it cannot train. */
  static fromCheckpoint(c: CheckpointData): SrTrainer {
    return new SrTrainer(c.config, c.spec as SrSpec, null, c);
  }

  private get sr(): SuperResSettings {
    return this.config.superres!;
  }

  /** The PSNR phase's last weights are kept as a checkpoint of their own: either phase can be exported. */
  get milestones(): readonly number[] {
    return [this.sr.psnrSteps];
  }

  /** The phase whose training made the current weights (the end of the PSNR phase is still the PSNR phase's). */
  get weightsPhase(): 'psnr' | 'adversarial' {
    return this.step <= this.sr.psnrSteps ? 'psnr' : 'adversarial';
  }

  /** The phase the next step trains in. */
  get phase(): 'psnr' | 'adversarial' {
    return this.step < this.sr.psnrSteps ? 'psnr' : 'adversarial';
  }

  private batch(): { hr: tf.Tensor4D; lr: tf.Tensor4D } {
    if (!this.data || !this.split) throw new Error('this trainer was restored for upscaling only');
    const { crop, scale } = this.sr;
    const n = this.config.batch;
    const c = this.spec.channels;
    const b = pairBatch(this.data, this.split.train, n, this.sr, this.rng);
    return { hr: tf.tensor4d(b.hr, [n, crop, crop, c]), lr: tf.tensor4d(b.lr, [n, crop / scale, crop / scale, c]) };
  }

  /**
   * The learning rates' factor at this step. 'cosine': down from 1 to 0.1
   * along the PSNR phase (a short schedule gains most from ending slowly),
   * then 0.1 through the adversarial phase — with the default 1e-3, ESRGAN's
   * 1e-4 for its GAN phase.
   */
  lrScale(step = this.step): number {
    const { schedule, psnrSteps } = this.sr;
    if (schedule === 'constant') return 1;
    if (step >= psnrSteps) return ADVERSARIAL_LR_SCALE;
    return ADVERSARIAL_LR_SCALE + (1 - ADVERSARIAL_LR_SCALE) * 0.5 * (1 + Math.cos((Math.PI * step) / psnrSteps));
  }

  async trainStep(): Promise<StepMetrics> {
    const t0 = performance.now();
    const n = this.config.batch;
    const psnrPhase = this.phase === 'psnr';
    const scale = this.lrScale();
    const packed = tf.tidy(() => {
      const { hr, lr } = this.batch();
      if (psnrPhase) {
        const { value, grads } = tf.variableGrads(() => l1(superResolve(this.G, this.spec, lr), hr), this.G.trainableList());
        this.optG.apply(grads, scale);
        return tf.stack([value]);
      }
      const { contentWeight, advWeight, fmWeight, advLoss } = this.sr;
      let figures: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const fake = superResolve(this.G, this.spec, lr);
        // D's update on this batch, its gradients taken with respect to D alone; G's loss then sees the updated D.
        const { value: dLoss, grads: dGrads } = tf.variableGrads(() => adversarial(advLoss, judgePatches(this.D, hr).logits, judgePatches(this.D, fake).logits).d, this.D.trainableList());
        this.optD.apply(dGrads, scale);
        const real = judgePatches(this.D, hr);
        const mine = judgePatches(this.D, fake);
        const adv = adversarial(advLoss, real.logits, mine.logits);
        const content = l1(fake, hr);
        let total = tf.add(tf.mul(content, contentWeight), tf.mul(adv.g, advWeight));
        if (fmWeight > 0) {
          const fm = tf.addN(real.features.map((r, i) => l1(mine.features[i], r)));
          total = tf.add(total, tf.mul(fm, fmWeight / real.features.length));
        }
        figures = [content, dLoss, adv.g, ...patchVerdicts(adv.r, adv.f)].map((t) => tf.keep(t));
        return total as tf.Scalar;
      }, this.G.trainableList());
      this.optG.apply(grads, scale);
      value.dispose();
      const out = tf.stack(figures);
      tf.dispose(figures);
      return out;
    });
    const { m, ms } = await this.finishStep(packed, t0);
    return imageStepMetrics(this.step, m, n, ms);
  }

  /** The generator results come from: the average when there is one (no batch norm here, so nothing to recalibrate). */
  sampler(): ParamSet {
    return this.averaged();
  }

  /** One image's high-resolution version: 0–255 in, 0–255 out (clipped), any size the memory allows. */
  async upscale(img: Image): Promise<Float32Array> {
    const c = this.spec.channels;
    const s = this.spec.scale;
    const out = tf.tidy(() => {
      const x = tf.sub(tf.div(tf.tensor4d(img.data, [1, img.height, img.width, c]), 127.5), 1) as tf.Tensor4D;
      return tf.clipByValue(tf.mul(tf.add(superResolve(this.sampler(), this.spec, x), 1), 127.5), 0, 255);
    });
    const data = await takeData(out);
    if (data.length !== img.width * s * img.height * s * c) throw new Error('unexpected output size');
    return data;
  }

  /** The timeline's picture: for a few held-out images, a centre crop at low resolution (pixels enlarged), upscaled, and the original. */
  async preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }> {
    if (!this.data || !this.split) throw new Error('this trainer was restored for upscaling only');
    const { crop, scale } = this.sr;
    const c = this.spec.channels;
    const picks = Array.from(this.split.heldOut.slice(0, PREVIEW_IMAGES));
    const per = crop * crop * c;
    const data = new Float32Array(picks.length * 3 * per);
    const at = Math.floor((this.data.size - crop) / 2);
    for (const [i, k] of picks.entries()) {
      const whole = imageOf(this.data, k);
      const hr = new Float32Array(per);
      for (let y = 0; y < crop; y++) hr.set(whole.data.subarray(((at + y) * whole.width + at) * c, ((at + y) * whole.width + at + crop) * c), y * crop * c);
      const lr = lowResOf({ data: hr, width: crop, height: crop, channels: c }, this.sr, heldOutRng(k));
      const sr = await this.upscale(lr);
      const small = crop / scale;
      const enlarged = new Float32Array(per);
      for (let y = 0; y < crop; y++) {
        for (let x = 0; x < crop; x++) {
          for (let ch = 0; ch < c; ch++) enlarged[(y * crop + x) * c + ch] = lr.data[(Math.floor(y / scale) * small + Math.floor(x / scale)) * c + ch];
        }
      }
      [enlarged, sr, hr].forEach((img, j) => {
        for (let p = 0; p < per; p++) data[(i * 3 + j) * per + p] = img[p] / 127.5 - 1;
      });
    }
    return { batch: { data, count: picks.length * 3, size: crop, channels: c }, columns: 3, seed: 0 };
  }

  async toCheckpoint(): Promise<CheckpointData> {
    return this.snapshot(this.config, this.spec);
  }
}
