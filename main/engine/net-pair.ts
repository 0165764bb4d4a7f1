/**
 * What every adversarial trainer holds, saves and restores: a generator and
 * a discriminator, the Adam optimiser of each, the generator's moving
 * average, the step count and the random stream. Every family's trainer
 * extends it, so a checkpoint's tensors are named, read back and restored
 * one way, and a step ends one way.
 */
import { tf, takeData } from './tf.js';
import { Adam, type AdamSettings } from './adam.js';
import type { CheckpointData, TensorData } from './checkpoint.js';
import type { OptimiserSettings } from './config.js';
import { updateAverage } from './ema.js';
import type { ParamSet } from './params.js';
import { Rng } from './rng.js';
import { StudioError } from '../errors.js';

export interface NetPairSettings {
  emaDecay: number;
  adamG: AdamSettings;
  adamD: AdamSettings;
}

/** Adam for each network and the generator's average, as a run's settings say. */
export function pairSettings(config: OptimiserSettings): NetPairSettings {
  return {
    emaDecay: config.emaDecay,
    adamG: { lr: config.lrG, beta1: config.beta1G, beta2: config.beta2G },
    adamD: { lr: config.lrD, beta1: config.beta1D, beta2: config.beta2D },
  };
}

export class NetPair {
  /** Training steps taken. */
  step = 0;
  readonly ema: ParamSet | null;
  readonly optG: Adam;
  readonly optD: Adam;
  private readonly emaDecay: number;
  /** The average has moved since its batch-norm statistics were measured. */
  protected averageStale = true;

  constructor(
    readonly G: ParamSet,
    readonly D: ParamSet,
    o: NetPairSettings,
    /** The training stream: batches, noise and augmentations are drawn from it in order, so a resumed run draws what it would have. */
    protected rng: Rng,
  ) {
    this.emaDecay = o.emaDecay;
    this.ema = o.emaDecay > 0 ? G.clone('EMA') : null;
    this.optG = new Adam('adamG', G.trainable, o.adamG);
    this.optD = new Adam('adamD', D.trainable, o.adamD);
  }

  /**
   * A step's end, its updates queued: the average follows G, the step
   * counts, and the step's figures are read back in one go. The average's
   * update is queued before the read-back, so the device never waits on the
   * host mid-step.
   */
  protected async finishStep(packed: tf.Tensor, t0: number): Promise<{ m: Float32Array; ms: number }> {
    this.advance();
    const m = await takeData(packed);
    return { m, ms: performance.now() - t0 };
  }

  /**
   * FreezeD (Mo et al. 2020): D's first n blocks, from the image side,
   * held at the weights a fine-tuned run started from. `blocks` lists D's
   * blocks in that order by their parameter prefixes; its last (the head)
   * always trains.
   */
  protected freezeDiscriminator(blocks: readonly string[], n: number): void {
    if (n === 0) return;
    if (n >= blocks.length) throw new StudioError(`freezeD: this discriminator has ${blocks.length} blocks and its last always trains; freeze at most ${blocks.length - 1}`, 'INVALID_INPUT');
    this.D.freeze(blocks.slice(0, n));
  }

  /** After a step's updates: the average follows G, and the step counts. */
  protected advance(): void {
    if (this.ema) {
      updateAverage(this.G, this.ema, this.emaDecay, this.step);
      this.averageStale = true;
    }
    this.step++;
  }

  /**
   * The generator samples and exports come from: the average of G when there
   * is one, its batch-norm statistics measured by `calibrate` on the average
   * itself since it last moved (lazily: training never reads them), else G.
   */
  protected averaged(calibrate?: (ema: ParamSet) => void): ParamSet {
    if (!this.ema) return this.G;
    if (calibrate && this.averageStale) {
      calibrate(this.ema);
      this.averageStale = false;
    }
    return this.ema;
  }

  /** A checkpoint of this state, with the family's settings and shapes and any tensors of its own (augmentation, image pools). */
  protected async snapshot<Config extends object, Spec extends object>(
    config: Config,
    spec: Spec,
    extra: Iterable<[string, TensorData]> = [],
  ): Promise<CheckpointData<Config, Spec>> {
    const { tensors, iterations } = await this.read();
    for (const [name, t] of extra) tensors.set(name, t);
    return { step: this.step, config, spec, rng: this.rng.state(), iterations, tensors };
  }

  /**
   * A fine-tuned run's start (step 0): the networks and the average of
   * `parent`, a fresh optimiser for each, a random stream of its own seed.
   */
  static startFrom<C extends CheckpointData>(parent: C, config: C['config'], seed: number): C {
    const weights = [...parent.tensors].filter(([name]) => /^(G|D|EMA)\//.test(name));
    return { ...parent, step: 0, config, rng: Rng.fromSeed(seed).state(), iterations: {}, tensors: new Map(weights) };
  }

  /** Back to a checkpoint's state: tensors, optimiser counts, step and random stream. */
  protected restore(c: CheckpointData): void {
    this.load(c);
    this.averageStale = true;
    this.step = c.step;
    this.rng = Rng.fromState(c.rng);
  }

  /** Every tensor a checkpoint holds, by its name there. */
  tensors(): Map<string, tf.Variable> {
    return new Map([...this.G.all(), ...this.D.all(), ...(this.ema ? this.ema.all() : []), ...this.optG.stateTensors(), ...this.optD.stateTensors()]);
  }

  /** The tensors and optimiser counts, for a checkpoint. */
  async read(): Promise<Pick<CheckpointData, 'tensors' | 'iterations'>> {
    const all = [...this.tensors()];
    // One read-back of every tensor packed end to end: on a GPU each read is a round trip of its own.
    const flat = await takeData(tf.tidy(() => tf.concat(all.map(([, v]) => tf.reshape(v, [-1])))));
    const tensors = new Map<string, TensorData>();
    let offset = 0;
    for (const [name, v] of all) {
      tensors.set(name, { shape: v.shape, data: flat.slice(offset, offset + v.size) });
      offset += v.size;
    }
    return { tensors, iterations: { adamG: this.optG.iterations, adamD: this.optD.iterations } };
  }

  /**
   * Takes a checkpoint's tensors and optimiser counts. A checkpoint of a run
   * without an average starts this one's from the generator; any other missing
   * or misshapen tensor means a different model, and is refused.
   */
  load(c: CheckpointData): void {
    let emaMissing = false;
    // An optimiser that never stepped has nothing to restore (a fine-tuned run's start holds weights alone).
    const fresh = [this.optG, this.optD].filter((o) => !c.iterations[o.name]).map((o) => `${o.name}/`);
    for (const [name, v] of this.tensors()) {
      const t = c.tensors.get(name);
      if (!t) {
        if (name.startsWith('EMA/')) {
          emaMissing = true;
          continue;
        }
        if (fresh.some((p) => name.startsWith(p))) continue;
        throw new StudioError(`checkpoint lacks tensor ${name}; it belongs to a different model`);
      }
      if (t.shape.join(',') !== v.shape.join(',')) {
        throw new StudioError(`checkpoint tensor ${name} has shape [${t.shape}] but the model needs [${v.shape}]`);
      }
      // In a tidy: the tensor made from the file is garbage once assigned (a model's worth per checkpoint loaded).
      tf.tidy(() => v.assign(tf.tensor(t.data, t.shape)));
    }
    if (this.ema && emaMissing) {
      for (const [name, v] of this.G.all()) this.ema.get(name.slice(2)).assign(v);
    }
    this.optG.iterations = c.iterations.adamG ?? 0;
    this.optD.iterations = c.iterations.adamD ?? 0;
  }

  dispose(): void {
    this.G.dispose();
    this.D.dispose();
    this.ema?.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
