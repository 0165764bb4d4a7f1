/**
 * pix2pix (Isola et al. 2017): a U-Net learns input → target from pairs,
 * with an L1 term (weight 100) and a conditional PatchGAN that judges
 * (input, output) against (input, target) with the standard non-saturating
 * loss, D's objective halved as the paper does. advWeight 0 is the paper's
 * "L1 alone" ablation: no discriminator is trained.
 */
import { tf } from '../../engine/tf.js';
import { pairSettings } from '../../engine/net-pair.js';
import type { CheckpointData } from '../run-checkpoint.js';
import type { TrainConfig } from '../run-config.js';
import { patchVerdicts } from '../../engine/losses.js';
import { imageStepMetrics } from '../../engine/image-step.js';
import { heldOutRng, heldOutSplit, type Split } from '../../engine/held-out.js';
import type { Mode } from '../../engine/layers.js';
import { ParamSet } from '../../engine/params.js';
import { Rng } from '../../engine/rng.js';
import type { StepMetrics } from '../../engine/step-metrics.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';
import { asChannels, bce, l1, PREVIEW_IMAGES, toNetwork, TRANSLATE_HELD_OUT, TranslateTrainer } from './base.js';
import { createPatchGan, createUnet, patchGan, patchLayers, unet, unetDepth, unetDropoutShapes, type TranslateSpec } from './networks.js';
import { PairSource } from './pairs.js';
import type { Direction } from './tiles.js';

export function pix2pixSpec(config: TrainConfig, source: Pick<PairSource, 'size' | 'inChannels' | 'outChannels'>): TranslateSpec {
  const t = config.translate!;
  const depth = unetDepth(source.size);
  if (depth < 2) throw new StudioError(`${source.size} px images cannot be halved twice; pix2pix needs a side divisible by 4 (import at 32, 64, 128 or 256 px)`, 'INVALID_INPUT');
  return {
    task: 'pix2pix',
    size: source.size,
    inChannels: source.inChannels,
    outChannels: source.outChannels,
    ngf: t.ngf,
    ndf: t.ndf,
    norm: t.norm,
    depth,
    dLayers: patchLayers(source.size),
    dropout: t.dropout,
    keepLuma: t.source === 'gray' && source.inChannels === 1 && source.outChannels === 3,
  };
}

export class Pix2PixTrainer extends TranslateTrainer {
  readonly source: PairSource | null;
  readonly split: Split | null;

  private constructor(config: TrainConfig, spec: TranslateSpec, source: PairSource | null, from?: CheckpointData) {
    const rng = Rng.fromSeed(config.seed);
    const D = new ParamSet('D');
    createPatchGan(D, '', spec, spec.inChannels + spec.outChannels, rng);
    // G after D, so that the seed draws the same D whatever the generator's settings.
    const G = createUnet(spec, rng);
    super(config, spec, G, D, pairSettings(config), rng);
    this.source = source;
    this.split = source ? heldOutSplit(source.count, TRANSLATE_HELD_OUT) : null;
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, from?: CheckpointData): Pix2PixTrainer {
    const source = new PairSource(data, config.translate!);
    const spec = from ? (from.spec as TranslateSpec) : pix2pixSpec(config, source);
    if (spec.size !== source.size || spec.inChannels !== source.inChannels || spec.outChannels !== source.outChannels) {
      throw new StudioError(`checkpoint was trained on ${spec.size} px pairs (${spec.inChannels} → ${spec.outChannels} channels); dataset ${data.name} gives ${source.size} px (${source.inChannels} → ${source.outChannels})`);
    }
    return new Pix2PixTrainer(config, spec, source, from);
  }

  /** The networks of a checkpoint, for translating; it cannot train. */
  static fromCheckpoint(c: CheckpointData): Pix2PixTrainer {
    return new Pix2PixTrainer(c.config, c.spec as TranslateSpec, null, c);
  }

  protected generate(p: ParamSet, direction: Direction, x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
    if (direction !== 'AtoB') throw new StudioError('a pix2pix model translates one way (A to B)', 'INVALID_INPUT');
    return unet(p, this.spec, x, mode);
  }

  private batch(): { a: tf.Tensor4D; b: tf.Tensor4D } {
    if (!this.source || !this.split) throw new Error('this trainer was restored for translating only');
    const n = this.config.batch;
    const { size, inChannels, outChannels } = this.spec;
    const a = new Float32Array(n * size * size * inChannels);
    const b = new Float32Array(n * size * size * outChannels);
    for (let i = 0; i < n; i++) {
      const k = this.split.train[this.rng.int(this.split.train.length)];
      const flip = this.t.flips && this.rng.uniform() < 0.5;
      const p = this.source.pair(k, flip, this.rng);
      a.set(p.a, i * p.a.length);
      b.set(p.b, i * p.b.length);
    }
    return { a: toNetwork(a, n, size, inChannels), b: toNetwork(b, n, size, outChannels) };
  }

  /** Inverted-dropout keep masks for one U-Net pass, from the run's stream. */
  private dropoutMasks(n: number): tf.Tensor[] {
    const rate = this.spec.dropout;
    if (rate <= 0) return [];
    return unetDropoutShapes(this.spec, n).map((shape) => {
      const u = this.rng.fillUniform(new Float32Array(shape.reduce((x, y) => x * y, 1)));
      return tf.tensor(u.map((v) => (v >= rate ? 1 / (1 - rate) : 0)), shape);
    });
  }

  async trainStep(): Promise<StepMetrics> {
    const t0 = performance.now();
    const n = this.config.batch;
    const { l1Weight, advWeight } = this.t;
    const scale = this.lrScale();
    const spec = this.spec;
    const packed = tf.tidy(() => {
      const { a, b } = this.batch();
      const mode: Mode = { training: true, dropoutMasks: this.dropoutMasks(n) };
      if (advWeight === 0) {
        let content: tf.Scalar | null = null;
        const { value, grads } = tf.variableGrads(() => {
          content = tf.keep(l1(unet(this.G, spec, a, mode), b));
          return tf.mul(content, l1Weight) as tf.Scalar;
        }, this.G.trainableList());
        this.optG.apply(grads, scale);
        value.dispose();
        const out = tf.stack([content!]);
        content!.dispose();
        return out;
      }
      let figures: tf.Tensor[] = [];
      const dMode: Mode = { training: true };
      const { value, grads } = tf.variableGrads(() => {
        const fake = unet(this.G, spec, a, mode);
        // D's update on this batch (gradients with respect to D alone), then G's loss against the updated D.
        const { value: dLoss, grads: dGrads } = tf.variableGrads(
          () => tf.mul(tf.add(bce(patchGan(this.D, '', spec, tf.concat([a, b], 3), dMode), 1), bce(patchGan(this.D, '', spec, tf.concat([a, fake], 3), dMode), 0)), 0.5) as tf.Scalar,
          this.D.trainableList(),
        );
        this.optD.apply(dGrads, scale);
        const real = patchGan(this.D, '', spec, tf.concat([a, b], 3), dMode);
        const mine = patchGan(this.D, '', spec, tf.concat([a, fake], 3), dMode);
        const gAdv = bce(mine, 1);
        const content = l1(fake, b);
        figures = [content, dLoss, gAdv, ...patchVerdicts(real, mine)].map((x) => tf.keep(x));
        return tf.add(tf.mul(gAdv, advWeight), tf.mul(content, l1Weight)) as tf.Scalar;
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

  /** Held-out pair k: its input and target (the input's random draw, for masks, fixed per image). */
  heldOutPair(k: number): { a: Float32Array; b: Float32Array } {
    if (!this.source) throw new Error('this trainer was restored for translating only');
    return this.source.pair(k, false, heldOutRng(k));
  }

  /** The timeline's picture: for a few held-out pairs, input | output | target. */
  async preview() {
    if (!this.split) throw new Error('this trainer was restored for translating only');
    const { size, inChannels, outChannels } = this.spec;
    const picks = Array.from(this.split.heldOut.slice(0, PREVIEW_IMAGES));
    const pairs = picks.map((k) => this.heldOutPair(k));
    const per = size * size * inChannels;
    const inputs = new Float32Array(picks.length * per);
    pairs.forEach((p, i) => inputs.set(p.a, i * per));
    const outputs = await this.translateAll(inputs, picks.length, 'AtoB');
    const perOut = size * size * outChannels;
    const data = new Float32Array(picks.length * 3 * perOut);
    pairs.forEach((p, i) => {
      [asChannels(p.a, inChannels, outChannels), outputs.subarray(i * perOut, (i + 1) * perOut), p.b].forEach((img, j) => {
        for (let q = 0; q < perOut; q++) data[(i * 3 + j) * perOut + q] = img[q] / 127.5 - 1;
      });
    });
    return { batch: { data, count: picks.length * 3, size, channels: outChannels }, columns: 3, seed: 0 };
  }
}
