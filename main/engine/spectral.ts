/**
 * Spectral normalisation (Miyato et al. 2018): each discriminator weight is
 * divided by an estimate of its largest singular value, which bounds how
 * sharply D can change and keeps its gradients useful to G. The estimate
 * comes from one power iteration per update, its vector kept between steps
 * (and in checkpoints) so it converges as training goes.
 */
import { tf } from './tf.js';
import type { ParamSet } from './params.js';
import type { Rng } from './rng.js';

/** The power-iteration vectors of one weight, constants for the gradient. */
export interface SpectralVectors {
  /** [cols, 1] */
  u: tf.Tensor2D;
  /** [1, rows] */
  v: tf.Tensor2D;
}

const asMatrix = (w: tf.Tensor) => tf.reshape(w, [-1, w.shape[w.shape.length - 1]]) as tf.Tensor2D;

function normalize<T extends tf.Tensor>(x: T): T {
  return tf.div(x, tf.add(tf.norm(x), 1e-12)) as T;
}

/** Adds the power-iteration state of the weight `name` (its last axis is the output). */
export function addSpectralState(p: ParamSet, name: string, outputs: number, rng: Rng): void {
  p.stateValue(`${name}/u`, [outputs, 1], normalizeArray(rng.normal(outputs)));
}

function normalizeArray(a: Float32Array): Float32Array {
  let s = 0;
  for (const v of a) s += v * v;
  const k = 1 / Math.sqrt(s || 1);
  return a.map((v) => v * k);
}

/**
 * One power iteration for each named weight: refines and stores u, and
 * returns u and v for this update. Call outside any gradient scope: the
 * vectors are constants of the gradient, as in the paper.
 */
export function powerIterate(p: ParamSet, names: readonly string[]): Map<string, SpectralVectors> {
  const out = new Map<string, SpectralVectors>();
  for (const name of names) {
    const uv = tf.tidy(() => {
      const w = asMatrix(p.get(name));
      const uVar = p.get(`${name}/u`);
      const v = normalize(tf.matMul(w, uVar as tf.Tensor2D)); // [rows, 1]
      const u = normalize(tf.matMul(w, v, true, false)); // [cols, 1]
      uVar.assign(u);
      return { u: u as tf.Tensor2D, v: tf.transpose(v) as tf.Tensor2D };
    });
    out.set(name, uv);
  }
  return out;
}

/** w / σ(w), with σ = vᵀ W u; the gradient flows through W in both places. */
export function spectralWeight(w: tf.Tensor, uv: SpectralVectors): tf.Tensor {
  const sigma = tf.matMul(tf.matMul(uv.v, asMatrix(w)), uv.u);
  return tf.div(w, tf.reshape(sigma, []));
}

export function disposeVectors(vectors: Map<string, SpectralVectors> | undefined): void {
  if (!vectors) return;
  for (const { u, v } of vectors.values()) tf.dispose([u, v]);
}
