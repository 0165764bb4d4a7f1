/**
 * CycleGAN (Zhu et al. 2017): two ResNet generators, A→B and B→A, and a
 * PatchGAN per domain, trained on unpaired images with the least-squares
 * GAN loss, cycle consistency (λ = 10: A→B→A returns to A, and B→A→B to B),
 * the identity term (0.5 λ: a B image given to A→B stays as it is), and
 * each discriminator fed from a pool of 50 past generated images. The
 * generators are updated first, then the discriminators, as the reference.
 * Both generators live in one ParamSet ('G/AB/…', 'G/BA/…') and both
 * discriminators in another, so NetPair's checkpoints, average and
 * optimisers serve them unchanged.
 */
import { tf } from '../../engine/tf.js';
import { pairSettings } from '../../engine/net-pair.js';
import type { CheckpointData, TensorData } from '../run-checkpoint.js';
import type { TrainConfig } from '../run-config.js';
import { heldOutSplit, imageOf, type Split } from '../../engine/held-out.js';
import type { Mode } from '../../engine/layers.js';
import { ParamSet } from '../../engine/params.js';
import { Rng } from '../../engine/rng.js';
import type { StepMetrics } from '../../engine/step-metrics.js';
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';
import { l1, mse, PREVIEW_IMAGES, toNetwork, TRANSLATE_HELD_OUT, TranslateTrainer } from './base.js';
import { createPatchGan, createResnet, patchGan, patchLayers, resnet, type TranslateSpec } from './networks.js';
import { domainOf, mirror, type Domain } from './pairs.js';
import { ImagePool } from './pool.js';
import type { Direction } from './tiles.js';

export function cycleGanSpec(config: TrainConfig, a: Pick<Dataset, 'size' | 'channels' | 'name'>, b: Pick<Dataset, 'size' | 'channels' | 'name'>): TranslateSpec {
  const t = config.translate!;
  if (a.size !== b.size || a.channels !== b.channels) {
    throw new StudioError(`the two domains must have images of one size and channels: ${a.name} has ${a.size} px ×${a.channels}, ${b.name} ${b.size} px ×${b.channels}`, 'INVALID_INPUT');
  }
  if (a.size % 4 !== 0) throw new StudioError(`${a.size} px images cannot be halved twice; CycleGAN needs a side divisible by 4`, 'INVALID_INPUT');
  return {
    task: 'cyclegan',
    size: a.size,
    inChannels: a.channels,
    outChannels: b.channels,
    ngf: t.ngf,
    ndf: t.ndf,
    norm: t.norm,
    depth: t.blocks ?? (a.size > 128 ? 9 : 6),
    dLayers: patchLayers(a.size),
    dropout: 0,
    keepLuma: false,
  };
}

/** The two domains of a run: its dataset (or one class of it), and datasetB (or another class). */
export function domainsOf(config: TrainConfig, data: Dataset, dataB: Dataset | null): [Domain, Domain] {
  const t = config.translate!;
  if (t.datasetB) {
    if (!dataB || dataB.name !== t.datasetB) throw new StudioError(`dataset ${t.datasetB} (domain B) was not loaded`);
    return [domainOf(data), domainOf(dataB)];
  }
  return [domainOf(data, t.classA), domainOf(data, t.classB)];
}

interface Side {
  domain: Domain;
  split: Split;
}

export class CycleGanTrainer extends TranslateTrainer {
  readonly sides: [Side, Side] | null;
  private readonly pools: [ImagePool, ImagePool];

  private constructor(config: TrainConfig, spec: TranslateSpec, domains: [Domain, Domain] | null, from?: CheckpointData) {
    const rng = Rng.fromSeed(config.seed);
    const G = new ParamSet('G');
    createResnet(G, 'AB/', spec, spec.inChannels, spec.outChannels, rng);
    createResnet(G, 'BA/', spec, spec.outChannels, spec.inChannels, rng);
    const D = new ParamSet('D');
    createPatchGan(D, 'A/', spec, spec.inChannels, rng);
    createPatchGan(D, 'B/', spec, spec.outChannels, rng);
    super(config, spec, G, D, pairSettings(config), rng);
    this.sides = domains && [
      { domain: domains[0], split: heldOutSplit(domains[0].indices.length, TRANSLATE_HELD_OUT) },
      { domain: domains[1], split: heldOutSplit(domains[1].indices.length, TRANSLATE_HELD_OUT) },
    ];
    const per = spec.size * spec.size;
    // pool[0] holds generated A images (for D_A), pool[1] generated B images.
    this.pools = [new ImagePool(config.translate!.pool, per * spec.inChannels), new ImagePool(config.translate!.pool, per * spec.outChannels)];
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, dataB: Dataset | null, from?: CheckpointData): CycleGanTrainer {
    const domains = domainsOf(config, data, dataB);
    const fresh = cycleGanSpec(config, domains[0].data, domains[1].data);
    const spec = from ? (from.spec as TranslateSpec) : fresh;
    if (spec.size !== fresh.size || spec.inChannels !== fresh.inChannels || spec.outChannels !== fresh.outChannels) {
      throw new StudioError(`checkpoint was trained on ${spec.size} px images; the domains have ${fresh.size} px`);
    }
    return new CycleGanTrainer(config, spec, domains, from);
  }

  static fromCheckpoint(c: CheckpointData): CycleGanTrainer {
    return new CycleGanTrainer(c.config, c.spec as TranslateSpec, null, c);
  }

  protected generate(p: ParamSet, direction: Direction, x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
    return resnet(p, direction === 'AtoB' ? 'AB/' : 'BA/', this.spec, x, mode);
  }

  /** n training images of one side, 0–255, mirrored at random. */
  private draw(side: Side, n: number): Float32Array {
    const { size } = this.spec;
    const c = side.domain.data.channels;
    const out = new Float32Array(n * size * size * c);
    for (let i = 0; i < n; i++) {
      const k = side.domain.indices[side.split.train[this.rng.int(side.split.train.length)]];
      const img = imageOf(side.domain.data, k);
      if (this.t.flips && this.rng.uniform() < 0.5) mirror(img);
      out.set(img.data, i * img.data.length);
    }
    return out;
  }

  async trainStep(): Promise<StepMetrics> {
    if (!this.sides) throw new Error('this trainer was restored for translating only');
    const t0 = performance.now();
    const n = this.config.batch;
    const { size, inChannels: ca, outChannels: cb } = this.spec;
    const { cycleWeight, identity, advWeight } = this.t;
    const scale = this.lrScale();
    const mode: Mode = { training: true };
    const rawA = this.draw(this.sides[0], n);
    const rawB = this.draw(this.sides[1], n);
    const realA = toNetwork(rawA, n, size, ca);
    const realB = toNetwork(rawB, n, size, cb);
    const G = (dir: Direction, x: tf.Tensor4D) => this.generate(this.G, dir, x, mode);
    const judge = (d: 'A/' | 'B/', x: tf.Tensor4D) => patchGan(this.D, d, this.spec, x, mode);

    let fakes: tf.Tensor4D[] = [];
    let gFigures: tf.Tensor[] = [];
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const fakeB = G('AtoB', realA);
        const fakeA = G('BtoA', realB);
        const cycle = tf.add(l1(G('BtoA', fakeB), realA), l1(G('AtoB', fakeA), realB));
        const gan = tf.add(mse(judge('B/', fakeB), 1), mse(judge('A/', fakeA), 1));
        let total = tf.add(tf.mul(gan, advWeight), tf.mul(cycle, cycleWeight));
        if (identity > 0 && ca === cb) {
          const same = tf.add(l1(G('AtoB', realB), realB), l1(G('BtoA', realA), realA));
          total = tf.add(total, tf.mul(same, cycleWeight * identity));
        }
        fakes = [fakeA, fakeB].map((f) => tf.keep(f));
        gFigures = [cycle, gan].map((f) => tf.keep(f));
        return total as tf.Scalar;
      }, this.G.trainableList());
      this.optG.apply(grads, scale);
      value.dispose();
    });
    // Past fakes for D from the pools (on the CPU, in the run's stream, saved with checkpoints).
    const [fakeA, fakeB] = await Promise.all(fakes.map((f) => f.data() as Promise<Float32Array>));
    tf.dispose(fakes);
    const pooledA = this.pools[0].query(fakeA, n, this.rng);
    const pooledB = this.pools[1].query(fakeB, n, this.rng);
    const packed = tf.tidy(() => {
      const pa = tf.tensor4d(pooledA, [n, size, size, ca]);
      const pb = tf.tensor4d(pooledB, [n, size, size, cb]);
      let dFigures: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const realOutA = judge('A/', realA);
        const realOutB = judge('B/', realB);
        const fakeOutA = judge('A/', pa);
        const fakeOutB = judge('B/', pb);
        const dA = tf.mul(tf.add(mse(realOutA, 1), mse(fakeOutA, 0)), 0.5);
        const dB = tf.mul(tf.add(mse(realOutB, 1), mse(fakeOutB, 0)), 0.5);
        const real = tf.concat([tf.reshape(realOutA, [-1]), tf.reshape(realOutB, [-1])]);
        const fake = tf.concat([tf.reshape(fakeOutA, [-1]), tf.reshape(fakeOutB, [-1])]);
        // Least-squares outputs aim at 1 (real) and 0 (generated): read like probabilities, clipped, and split at ½.
        dFigures = [
          tf.mean(tf.clipByValue(real, 0, 1)),
          tf.mean(tf.clipByValue(fake, 0, 1)),
          tf.mean(tf.cast(tf.greater(real, 0.5), 'float32')),
          tf.mean(tf.cast(tf.less(fake, 0.5), 'float32')),
        ].map((f) => tf.keep(f));
        return tf.add(dA, dB) as tf.Scalar;
      }, this.D.trainableList());
      this.optD.apply(grads, scale);
      const out = tf.stack([...gFigures, value, ...dFigures]);
      tf.dispose([...gFigures, ...dFigures]);
      return out;
    });
    realA.dispose();
    realB.dispose();
    const { m: v, ms } = await this.finishStep(packed, t0);
    return {
      step: this.step,
      // The two cycles' L1 of [-1, 1] images, averaged and halved: in units of the full pixel range.
      content: v[0] / 4,
      gLoss: v[1],
      dLoss: v[2],
      dReal: v[3],
      dFake: v[4],
      accReal: v[5],
      accFake: v[6],
      ms,
      imagesPerSec: (2 * n * 1000) / ms,
    };
  }

  /** Held-out images of side 0 (A) or 1 (B), 0–255, end to end. */
  heldOutImages(which: 0 | 1, max = Infinity): { data: Float32Array; count: number } {
    if (!this.sides) throw new Error('this trainer was restored for translating only');
    const side = this.sides[which];
    const picks = Array.from(side.split.heldOut.slice(0, Math.min(max, side.split.heldOut.length)));
    const per = this.spec.size * this.spec.size * side.domain.data.channels;
    const data = new Float32Array(picks.length * per);
    picks.forEach((k, i) => data.set(imageOf(side.domain.data, side.domain.indices[k]).data, i * per));
    return { data, count: picks.length };
  }

  /** The timeline's picture: held-out A → B → A rows, then B → A → B rows. */
  async preview() {
    const { size } = this.spec;
    const c = this.spec.outChannels;
    const per = size * size * c;
    const rows: Float32Array[] = [];
    for (const [which, there, back] of [
      [0, 'AtoB', 'BtoA'],
      [1, 'BtoA', 'AtoB'],
    ] as const) {
      const { data, count } = this.heldOutImages(which, PREVIEW_IMAGES / 2);
      const moved = await this.translateAll(data, count, there);
      const returned = await this.translateAll(moved, count, back);
      for (let i = 0; i < count; i++) rows.push(data.subarray(i * per, (i + 1) * per), moved.subarray(i * per, (i + 1) * per), returned.subarray(i * per, (i + 1) * per));
    }
    const data = new Float32Array(rows.length * per);
    rows.forEach((img, i) => {
      for (let q = 0; q < per; q++) data[i * per + q] = img[q] / 127.5 - 1;
    });
    return { batch: { data, count: rows.length, size, channels: c }, columns: 3, seed: 0 };
  }

  protected override extraTensors(): Map<string, TensorData> {
    const out = new Map<string, TensorData>();
    this.pools.forEach((pool, i) => {
      if (pool.size > 0) out.set(`pool/${i ? 'B' : 'A'}`, { shape: [pool.size, pool.per], data: pool.save() });
    });
    return out;
  }

  protected override loadExtra(tensors: Map<string, TensorData>): void {
    this.pools.forEach((pool, i) => {
      const t = tensors.get(`pool/${i ? 'B' : 'A'}`);
      pool.load(t ? Float32Array.from(t.data) : new Float32Array(0));
    });
  }
}
