/**
 * Adam whose whole state (moments and iteration count) is ours to save and
 * restore, so a resumed run continues with the same optimizer.
 */
import { tf } from './tf.js';
import { ADAM_KERNEL, fusedFor } from './fused-kernels.js';

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon?: number;
}

export class Adam {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  iterations = 0;
  private readonly eps: number;

  /** `vars` by stable name (the checkpoint key); gradients arrive keyed by tfjs variable name. */
  constructor(readonly name: string, private readonly vars: Map<string, tf.Variable>, private readonly s: AdamSettings) {
    this.eps = s.epsilon ?? 1e-8;
    // In a tidy: the zeros a variable is made from would otherwise outlive it.
    tf.tidy(() => {
      for (const [key, x] of vars) {
        this.m.set(key, tf.variable(tf.zerosLike(x), false));
        this.v.set(key, tf.variable(tf.zerosLike(x), false));
      }
    });
  }

  /** One update; `lrScale` multiplies the learning rate for this step (a schedule's factor). */
  apply(grads: Record<string, tf.Tensor>, lrScale = 1): void {
    this.iterations++;
    const { beta1, beta2 } = this.s;
    const lr = this.s.lr * lrScale;
    const t = this.iterations;
    const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    tf.tidy(() => {
      for (const [key, x] of this.vars) {
        const g = grads[x.name];
        if (!g) continue;
        const m = this.m.get(key)!;
        const v = this.v.get(key)!;
        if (fusedFor(ADAM_KERNEL, x)) {
          const [x1, m1, v1] = tf.engine().runKernel(ADAM_KERNEL, { x, g, m, v }, { beta1, beta2, stepSize, eps: this.eps }) as tf.Tensor[];
          m.assign(m1);
          v.assign(v1);
          x.assign(x1);
          continue;
        }
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        x.assign(tf.sub(x, tf.div(tf.mul(m1, stepSize), tf.add(tf.sqrt(v1), this.eps))));
      }
    });
  }

  /** Moments by variable name, for checkpoints. */
  stateTensors(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [k, x] of this.m) out.set(`${this.name}/m/${k}`, x);
    for (const [k, x] of this.v) out.set(`${this.name}/v/${k}`, x);
    return out;
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
  }
}
