/**
 * What every adversarial trainer holds, saves and restores: a generator and
 * a discriminator, the Adam optimiser of each, and the generator's moving
 * average. The GAN and super-resolution trainers keep theirs in one of these,
 * so a checkpoint's tensors are named, read back and restored one way.
 */
import { tf } from './tf.js';
import { Adam, type AdamSettings } from './adam.js';
import type { CheckpointData, TensorData } from './checkpoint.js';
import type { OptimiserSettings } from './config.js';
import type { ParamSet } from './params.js';
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
  readonly ema: ParamSet | null;
  readonly optG: Adam;
  readonly optD: Adam;

  constructor(
    readonly G: ParamSet,
    readonly D: ParamSet,
    o: NetPairSettings,
  ) {
    this.ema = o.emaDecay > 0 ? G.clone('EMA') : null;
    this.optG = new Adam('adamG', G.trainable, o.adamG);
    this.optD = new Adam('adamD', D.trainable, o.adamD);
  }

  /** Every tensor a checkpoint holds, by its name there. */
  tensors(): Map<string, tf.Variable> {
    return new Map([...this.G.all(), ...this.D.all(), ...(this.ema ? this.ema.all() : []), ...this.optG.stateTensors(), ...this.optD.stateTensors()]);
  }

  /** The tensors and optimiser counts, for a checkpoint. */
  async read(): Promise<Pick<CheckpointData, 'tensors' | 'iterations'>> {
    const all = [...this.tensors()];
    // One read-back of every tensor packed end to end: on a GPU each read is a round trip of its own.
    const packed = tf.tidy(() => tf.concat(all.map(([, v]) => tf.reshape(v, [-1]))));
    const flat = (await packed.data()) as Float32Array;
    packed.dispose();
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
    for (const [name, v] of this.tensors()) {
      const t = c.tensors.get(name);
      if (!t) {
        if (name.startsWith('EMA/')) {
          emaMissing = true;
          continue;
        }
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
