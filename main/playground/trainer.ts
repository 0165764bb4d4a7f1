/**
 * One playground GAN in memory: MLP G and D on 2D points, k discriminator
 * updates then one generator update per step, the project's Adam and losses.
 * The networks see points divided by half the shown extent, so ring and grid
 * reach them at the same scale and one set of learning rates serves both.
 */
import { tf } from '../engine/tf.js';
import type { AdamSettings } from '../engine/adam.js';
import { NetPair } from '../engine/net-pair.js';
import { discriminatorLoss, generatorLoss, gradientPenalty, r1Penalty, verdict } from '../engine/losses.js';
import { Rng } from '../engine/rng.js';
import type { Distribution } from './distributions.js';
import { createPointDiscriminator, createPointGenerator, discriminatePoints, generatePoints } from './mlp.js';
import { LatentPrior } from './latent.js';
import { lrScale, type PlaygroundRecipe } from './recipe.js';

export interface PointStepMetrics {
  step: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the last real batch, as a probability. */
  dReal: number;
  /** Mean D(G(z)) on the last generated batch, as a probability. */
  dFake: number;
}

export class PointTrainer extends NetPair {
  /** Held by the optimizers and rescaled in place: Adam reads its rate at every update. */
  private readonly lrG: AdamSettings;
  private readonly lrD: AdamSettings;
  private readonly prior: LatentPrior;
  /** Data units per network unit. */
  readonly scale: number;

  constructor(readonly recipe: PlaygroundRecipe, readonly data: Distribution) {
    const rng = Rng.fromSeed(recipe.seed);
    const lrG = { lr: recipe.lrG, beta1: recipe.beta1, beta2: recipe.beta2 };
    const lrD = { lr: recipe.lrD, beta1: recipe.beta1, beta2: recipe.beta2 };
    super(createPointGenerator(recipe, rng), createPointDiscriminator(recipe, rng), { emaDecay: recipe.emaDecay, adamG: lrG, adamD: lrD }, rng);
    this.lrG = lrG;
    this.lrD = lrD;
    this.prior = new LatentPrior(recipe, rng);
    this.scale = data.extent / 2;
  }

  private real(n: number): tf.Tensor2D {
    const pts = this.data.sample(n, this.rng);
    for (let i = 0; i < pts.length; i++) pts[i] /= this.scale;
    return tf.tensor2d(pts, [n, 2]);
  }

  private noise(n: number): tf.Tensor2D {
    return tf.tensor2d(this.prior.sample(n, this.rng), [n, this.recipe.zDim]);
  }

  /** Points [n, 2] as packs [n/pack, 2·pack] of consecutive points, D's input. */
  private packs(x: tf.Tensor2D): tf.Tensor2D {
    const p = this.recipe.pack;
    return p === 1 ? x : (tf.reshape(x, [x.shape[0] / p, 2 * p]) as tf.Tensor2D);
  }

  private penalty(real: tf.Tensor2D, fake: tf.Tensor2D): tf.Scalar | null {
    const r = this.recipe;
    if (r.penalty === 'none') return null;
    // The engine's penalties are written for images: packs pass as 1×1 images with 2·pack channels.
    const [n, c] = real.shape;
    const asImage = (x: tf.Tensor2D) => tf.reshape(x, [n, 1, 1, c]) as tf.Tensor4D;
    const critic = (x: tf.Tensor4D) => discriminatePoints(this.D, r, tf.reshape(x, [n, c]) as tf.Tensor2D);
    if (r.penalty === 'r1') return r1Penalty(critic, asImage(real), r.penaltyWeight);
    const eps = tf.tensor4d(this.rng.fillUniform(new Float32Array(n)), [n, 1, 1, 1]);
    return gradientPenalty(critic, asImage(real), asImage(fake), eps, r.penaltyWeight);
  }

  /** One D update on fresh real and generated batches; returns the loss and logits, kept for the caller to release. */
  private discriminatorStep(): { value: tf.Scalar; logits: tf.Tensor1D } {
    const r = this.recipe;
    const n = r.batch;
    const real = this.packs(this.real(n));
    const fake = this.packs(generatePoints(this.G, r, this.noise(n)));
    const both = tf.concat([real, fake]);
    let logits: tf.Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const out = discriminatePoints(this.D, r, both);
      logits = tf.keep(out);
      const [lr, lf] = tf.split(out, 2) as [tf.Tensor1D, tf.Tensor1D];
      const loss = discriminatorLoss(r.loss, lr, lf);
      const pen = this.penalty(real, fake);
      return pen ? tf.add(loss, pen) : loss;
    }, this.D.trainableList());
    this.optD.apply(grads);
    return { value: tf.keep(value), logits: logits! };
  }

  /** k D updates, then one G update. */
  trainStep(): PointStepMetrics {
    const r = this.recipe;
    const s = lrScale(r, this.step);
    this.lrG.lr = r.lrG * s;
    this.lrD.lr = r.lrD * s;
    const out = tf.tidy(() => {
      let last: { value: tf.Scalar; logits: tf.Tensor1D } | null = null;
      for (let k = 0; k < r.dSteps; k++) {
        if (last) tf.dispose([last.value, last.logits]);
        last = this.discriminatorStep();
      }
      const z = this.noise(r.batch);
      const { value: gLoss, grads } = tf.variableGrads(
        () => generatorLoss(r.loss, discriminatePoints(this.D, r, this.packs(generatePoints(this.G, r, z)))),
        this.G.trainableList(),
      );
      this.optG.apply(grads);
      const d = last!;
      const [lr, lf] = tf.split(d.logits, 2) as [tf.Tensor1D, tf.Tensor1D];
      const metrics = Array.from(tf.stack([d.value, gLoss, tf.mean(verdict(r.loss, lr)), tf.mean(verdict(r.loss, lf))]).dataSync());
      // Kept tensors outlive the tidy unless released here.
      tf.dispose([d.value, d.logits]);
      return metrics;
    });
    this.advance();
    return { step: this.step, dLoss: out[0], gLoss: out[1], dReal: out[2], dFake: out[3] };
  }


  /** Latents for n points from the prior, by their own seed so a session can keep fixed ones. */
  latents(n: number, seed: number): Float32Array {
    return this.prior.sample(n, Rng.fromSeed(seed));
  }

  /** Points in data units from the given latents, by the averaged generator when there is one. */
  generate(z: Float32Array): Float32Array {
    const n = z.length / this.recipe.zDim;
    const p = this.ema ?? this.G;
    return tf.tidy(() => {
      const pts = generatePoints(p, this.recipe, tf.tensor2d(z, [n, this.recipe.zDim]));
      return tf.mul(pts, this.scale).dataSync() as Float32Array;
    });
  }

  /**
   * D's verdict as probabilities at the centres of a res×res grid over the
   * shown square, row by row from the top (y = +extent), each row left to right.
   */
  surface(res: number): Float32Array {
    const e = this.data.extent;
    const pts = new Float32Array(res * res * 2);
    for (let row = 0; row < res; row++) {
      for (let col = 0; col < res; col++) {
        const i = row * res + col;
        pts[2 * i] = (-e + ((col + 0.5) * 2 * e) / res) / this.scale;
        pts[2 * i + 1] = (e - ((row + 0.5) * 2 * e) / res) / this.scale;
      }
    }
    return tf.tidy(() => {
      // A packed D judges a pack made of copies of the point: its verdict on "all samples here".
      const x = tf.tile(tf.tensor2d(pts, [res * res, 2]), [1, this.recipe.pack]) as tf.Tensor2D;
      return verdict(this.recipe.loss, discriminatePoints(this.D, this.recipe, x)).dataSync() as Float32Array;
    });
  }
}
