/**
 * Fitting and checking attribute directions on a run's generator: many
 * samples are drawn and read (attributes.ts), a boundary is fitted per
 * attribute (directions.ts), and each direction is then tried on fresh
 * samples — how many read as having the attribute after a move of +3 σ, and
 * how many keep every other attribute's reading.
 */
import { tf } from '../engine/tf.js';
import { generate } from '../engine/networks.js';
import { generateBatch, sampleLatents, type NoiseModel } from '../engine/sampling.js';
import type { Trainer } from '../families/gan/trainer.js';
import type { Judge } from '../judges/index.js';
import { positives, readAttributes, type AttributeKind, type AttributeScores } from './attributes.js';
import { decorrelate, fitFromScores, moveLatent } from './directions.js';
import { pcaDirections, type Directions } from './math.js';

export interface AttributeDirection {
  name: string;
  kind: AttributeKind;
  /** Unit direction in latent space, towards the attribute. */
  direction: Float32Array;
  /** The boundary's accuracy on the examples it was fitted to. */
  accuracy: number;
  /** Where a reading counts as positive. */
  threshold: number;
  /** Share of fresh samples read as positive before the move, and after a move of `amount`. */
  before: number;
  after: number;
  /** Share of fresh samples whose other attributes all read as before; and per attribute. */
  kept: number;
  keptBy: Record<string, number>;
  /** How far each other attribute's score moved on average, in standard deviations of its scores over the fresh samples: signed, 0 is untouched. */
  shiftBy: Record<string, number>;
  /** Made orthogonal to these attributes' directions. */
  orthogonalTo: string[];
}

export interface DirectionOptions {
  /** Samples drawn to fit the boundaries. */
  samples?: number;
  seed?: number;
  /** Share of samples at each end taken as confident examples. */
  share?: number;
  /** Fresh samples each direction is tried on. */
  measure?: number;
  /** The move tried, in σ of the prior. */
  amount?: number;
  /** Attributes every other direction is made orthogonal to, so moving those leaves these alone. */
  keep?: string[];
}

export const MOVE_SIGMAS = 3;
const RARE_SHARE = 0.02;

/** Directions for every attribute this run's samples can be read for, each measured on fresh samples. */
export async function attributeDirections(t: Trainer, judge: Judge | null, opts: DirectionOptions = {}): Promise<AttributeDirection[]> {
  const { size, channels, numClasses } = t.spec;
  const samples = opts.samples ?? 1000;
  const seed = opts.seed ?? 1;
  const amount = opts.amount ?? MOVE_SIGMAS;
  const read = (images: Float32Array, n: number, thresholds?: Record<string, number>) => readAttributes(images, n, size, channels, judge, { thresholds });

  const fit = sampleLatents(t, samples, seed);
  const attrs = await read((await generateBatch(t, fit.z, fit.labels)).data, samples);
  const thresholds = Object.fromEntries(attrs.map((a) => [a.name, a.threshold]));
  const fitted = new Map<string, { a: AttributeScores; direction: Float32Array; accuracy: number }>();
  for (const a of attrs) {
    // A conditional run's class is its input, moved by blending it (generateBlended), not by a latent direction.
    if (numClasses > 0 && a.kind !== 'pixel') continue;
    const pos = positives(a).reduce((s, x) => s + x, 0);
    // Nearly every sample has it: there is nothing to move towards.
    if (samples - pos < 5) continue;
    // The most confident examples at each end, no more than have (or lack) it — but an attribute the generator
    // rarely draws still gets its top 2 %: the direction towards "more like it".
    const share = Math.min(opts.share ?? 0.2, Math.max(pos / samples, RARE_SHARE), (samples - pos) / samples);
    const b = fitFromScores(fit.z, a.scores, samples, share);
    fitted.set(a.name, { a, direction: b.direction, accuracy: b.accuracy });
  }
  const keep = (opts.keep ?? []).filter((k) => fitted.has(k));
  // Orthonormal basis of the kept directions, so removing them is one projection.
  const basis: Float32Array[] = [];
  for (const k of keep) {
    let d = fitted.get(k)!.direction;
    try {
      for (const b of basis) d = decorrelate(d, b);
      basis.push(d);
    } catch {
      // Parallel to a kept direction already in the basis: nothing new to keep.
    }
  }

  const fresh = sampleLatents(t, opts.measure ?? 200, seed + 1);
  const m = fresh.z.length / t.spec.zDim;
  const baseRead = await read((await generateBatch(t, fresh.z, fresh.labels)).data, m, thresholds);
  const basePos = new Map(baseRead.map((a) => [a.name, positives(a)]));
  const baseScores = new Map(baseRead.map((a) => [a.name, a.scores]));
  const out: AttributeDirection[] = [];
  for (const [name, f] of fitted) {
    let direction = f.direction;
    const orthogonalTo = keep.includes(name) ? [] : keep;
    if (orthogonalTo.length > 0) for (const b of basis) direction = decorrelate(direction, b);
    const moved = new Float32Array(fresh.z.length);
    for (let i = 0; i < m; i++) moved.set(moveLatent(fresh.z.subarray(i * t.spec.zDim, (i + 1) * t.spec.zDim), [{ direction, amount }]), i * t.spec.zDim);
    const after = await read((await generateBatch(t, moved, fresh.labels)).data, m, thresholds);
    const afterPos = new Map(after.map((a) => [a.name, positives(a)]));
    const shiftBy: Record<string, number> = {};
    for (const a of after) if (a.name !== name) shiftBy[a.name] = meanShift(baseScores.get(a.name)!, a.scores);
    const share = (x: Uint8Array) => x.reduce((s, v) => s + v, 0) / m;
    const keptBy: Record<string, number> = {};
    const allKept = new Uint8Array(m).fill(1);
    for (const [other, p0] of basePos) {
      if (other === name) continue;
      const p1 = afterPos.get(other)!;
      let same = 0;
      for (let i = 0; i < m; i++) {
        if (p0[i] === p1[i]) same++;
        else allKept[i] = 0;
      }
      keptBy[other] = same / m;
    }
    out.push({
      name,
      kind: f.a.kind,
      direction,
      accuracy: f.accuracy,
      threshold: f.a.threshold,
      before: share(basePos.get(name)!),
      after: share(afterPos.get(name)!),
      kept: share(allKept),
      keptBy,
      shiftBy,
      orthogonalTo,
    });
  }
  return out;
}

/** The mean change from `before` to `after`, in standard deviations of `before` (0 when it does not vary). */
function meanShift(before: Float32Array, after: Float32Array): number {
  const n = before.length;
  let mean = 0;
  let change = 0;
  for (let i = 0; i < n; i++) {
    mean += before[i] / n;
    change += (after[i] - before[i]) / n;
  }
  let v = 0;
  for (const x of before) v += (x - mean) ** 2 / n;
  return v > 0 ? change / Math.sqrt(v) : 0;
}

/**
 * Images of latents by the run's sampler, with a conditional model's class
 * input blended from `from` to `to` by `mix` ∈ [0, 1] (0 is `from` exactly).
 */
export async function generateBlended(t: Trainer, z: Float32Array, from: number | null, to: number | null, mix: number): Promise<Float32Array> {
  const { zDim, numClasses } = t.spec;
  const n = z.length / zDim;
  if (numClasses === 0) return t.generateImages(z, null);
  const a = from ?? 0;
  const b = to ?? a;
  const p = t.sampler();
  const out = tf.tidy(() => {
    const weights = tf.add(tf.mul(tf.oneHot(tf.fill([n], a, 'int32') as tf.Tensor1D, numClasses), 1 - mix), tf.mul(tf.oneHot(tf.fill([n], b, 'int32') as tf.Tensor1D, numClasses), mix)) as tf.Tensor2D;
    return generate(p, t.spec, tf.tensor2d(z, [n, zDim]), weights, { training: false });
  });
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Principal directions of what the run draws (GANSpace), from `samples` seeded samples. */
export async function principalDirections(t: NoiseModel, k: number, samples: number, seed: number): Promise<Directions> {
  const { z, labels } = sampleLatents(t, samples, seed);
  const batch = await generateBatch(t, z, labels);
  return pcaDirections(z, batch.data, samples, k);
}
