import { tf } from './tf.js';
import type { Rng } from './rng.js';

/**
 * A network's weights: trainable variables and non-trained state (batch-norm
 * running statistics), each in creation order so initialisation and
 * checkpoints are reproducible.
 */
export class ParamSet {
  readonly trainable = new Map<string, tf.Variable>();
  readonly state = new Map<string, tf.Variable>();

  constructor(readonly prefix: string) {}

  private add(map: Map<string, tf.Variable>, name: string, value: tf.Tensor, trainable: boolean): tf.Variable {
    const full = `${this.prefix}/${name}`;
    if (this.trainable.has(full) || this.state.has(full)) throw new Error(`duplicate parameter ${full}`);
    // tfjs names must be unique per process; ours only per network, so several
    // trainers (a run and a sampler) can live side by side.
    const v = tf.variable(value, trainable);
    value.dispose();
    map.set(full, v);
    return v;
  }

  normal(name: string, shape: number[], rng: Rng, std = 0.02, mean = 0): tf.Variable {
    const n = shape.reduce((a, b) => a * b, 1);
    return this.add(this.trainable, name, tf.tensor(rng.normal(n, mean, std), shape), true);
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(this.trainable, name, tf.fill(shape, value), true);
  }

  stateConstant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(this.state, name, tf.fill(shape, value), false);
  }

  stateValue(name: string, shape: number[], values: Float32Array): tf.Variable {
    return this.add(this.state, name, tf.tensor(values, shape), false);
  }

  get(name: string): tf.Variable {
    const full = `${this.prefix}/${name}`;
    const v = this.trainable.get(full) ?? this.state.get(full);
    if (!v) throw new Error(`missing parameter ${full}`);
    return v;
  }

  /** Trained weights held still (FreezeD): kept and saved, left out of every update. */
  private readonly frozen = new Set<string>();

  /** Holds the trained weights under each of these local prefixes still. */
  freeze(prefixes: readonly string[]): void {
    for (const name of this.trainable.keys()) {
      const local = name.slice(this.prefix.length + 1);
      if (prefixes.some((p) => local === p || local.startsWith(`${p}/`))) this.frozen.add(name);
    }
  }

  /** The weights an update trains: every trainable one not frozen (asked for at every step). */
  trainableList(): tf.Variable[] {
    if (this.frozen.size === 0) return [...this.trainable.values()];
    return [...this.trainable].filter(([name]) => !this.frozen.has(name)).map(([, v]) => v);
  }

  all(): Map<string, tf.Variable> {
    return new Map([...this.trainable, ...this.state]);
  }

  countTrainable(): number {
    let n = 0;
    for (const v of this.trainable.values()) n += v.size;
    return n;
  }

  /** A non-trainable copy under another prefix (the EMA generator). */
  clone(prefix: string): ParamSet {
    const out = new ParamSet(prefix);
    for (const [name, v] of this.all()) {
      const local = name.slice(this.prefix.length + 1);
      out.add(this.state.has(name) ? out.state : out.trainable, local, tf.clone(v), false);
    }
    return out;
  }

  dispose(): void {
    for (const v of this.all().values()) v.dispose();
    this.trainable.clear();
    this.state.clear();
  }
}
