/**
 * Projection (GAN inversion): the latent — and, for a conditional model, the
 * class — whose generated image matches a given one. Adam on z from several
 * starts at once (one batch), with StyleGAN2's projector schedule: the rate
 * ramps up over the first 5 % and down by a cosine over the last 25 %, and
 * noise added to z fades out by three quarters of the way, so early steps
 * explore and the last ones settle. The distance needs no downloaded
 * weights: pixels (L1 + L2), the studio's judge features, and D's features.
 */
import { tf } from '../engine/tf.js';
import { Adam } from '../engine/adam.js';
import { Rng } from '../engine/rng.js';
import { discriminatorFeatures, generate, type NetSpec } from '../engine/networks.js';
import type { ParamSet } from '../engine/params.js';
import { judgeFeatures, type Judge } from '../judges/index.js';
import { psnr } from '../judges/fidelity.js';
import { PROJECT_STARTS, PROJECT_STEPS } from './defaults.js';

export interface Weights {
  /** Mean absolute plus mean squared pixel difference, in [-1, 1] units. */
  pixel: number;
  /** Mean squared difference of judge features (about unit size). */
  judge: number;
  /** Mean squared difference of D's features, relative to the target's. */
  d: number;
  /** Keeps ‖z‖²/zDim near 1, where the prior puts latents. */
  prior: number;
}

/**
 * D's features are off by default: on the MNIST bench they doubled the time
 * of a projection for a 1 % closer judge distance and no PSNR
 * (bench/project-bench.ts; docs/edit.md has the table). The judge's cost a
 * sixth more and bring the judge distance 5 % closer.
 */
export const DEFAULT_WEIGHTS: Weights = { pixel: 1, judge: 0.05, d: 0, prior: 0.02 };

export interface ProjectOptions {
  steps?: number;
  /** Starts per image; a conditional model gets at least one per class. */
  starts?: number;
  lr?: number;
  seed?: number;
  weights?: Partial<Weights>;
  judge?: Judge | null;
  D?: ParamSet | null;
  /** A first guess per image (an encoder's), which replaces the first start. */
  init?: { z: Float32Array; labels: Int32Array | null } | null;
  /** After each step: the best distance so far of the first image; `image` (the first image's current best reconstruction) every `previewEvery` steps. */
  onStep?: (p: { step: number; steps: number; distance: number; image?: Float32Array }) => void | Promise<void>;
  previewEvery?: number;
  /** Asked before each step; true ends the projection with a CANCELLED error. */
  cancelled?: () => boolean;
}

export interface Projection {
  /** The best latent of each image, n × zDim. */
  z: Float32Array;
  labels: Int32Array | null;
  /** Their generated images, n × size² × channels in [-1, 1]. */
  images: Float32Array;
  /** Final distance and PSNR (dB) of each image. */
  distance: Float32Array;
  psnr: Float32Array;
  /** The first image's best distance at each step: the curve the UI draws. */
  history: number[];
}

export class ProjectionCancelled extends Error {
  constructor() {
    super('projection cancelled');
  }
}

/** StyleGAN2 projector's learning-rate factor at t ∈ [0, 1]. */
export function rampedRate(t: number): number {
  const down = Math.min(1, (1 - t) / 0.25);
  return (0.5 - 0.5 * Math.cos(Math.PI * down)) * Math.min(1, t / 0.05);
}

/** The size of the noise added to z at t ∈ [0, 1] (StyleGAN2: 0.05 of the latent scale, fading quadratically to 0 at 0.75). */
export function latentNoise(t: number): number {
  return 0.05 * Math.max(0, 1 - t / 0.75) ** 2;
}

/** Starts per image: at least one per class of a conditional model, labels cycling through the classes. */
export function startsFor(spec: NetSpec, starts: number): number {
  return spec.numClasses > 0 ? Math.max(starts, spec.numClasses) : starts;
}

/**
 * Projects n images (NHWC in [-1, 1], the generator's size and channels)
 * into the latent space of generator `G` (inference mode: its sampler).
 */
export async function project(G: ParamSet, spec: NetSpec, targets: Float32Array, n: number, opts: ProjectOptions = {}): Promise<Projection> {
  const { size, channels, zDim, numClasses } = spec;
  const per = size * size * channels;
  if (targets.length !== n * per) throw new Error(`expected ${n} images of ${size}×${size}×${channels}`);
  const steps = opts.steps ?? PROJECT_STEPS;
  const S = startsFor(spec, opts.starts ?? PROJECT_STARTS);
  const rows = n * S;
  // Absent or undefined terms keep their defaults.
  const w = { ...DEFAULT_WEIGHTS, ...Object.fromEntries(Object.entries(opts.weights ?? {}).filter(([, v]) => v !== undefined)) } as Weights;
  const judge = w.judge > 0 ? (opts.judge ?? null) : null;
  const D = w.d > 0 ? (opts.D ?? null) : null;
  if (judge && (judge.spec.size !== size || judge.spec.channels !== channels)) throw new Error('the judge measures images of another size');
  const rng = Rng.fromSeed(opts.seed ?? 1);

  const z0 = rng.normal(rows * zDim);
  const labels = numClasses > 0 ? Int32Array.from({ length: rows }, (_, r) => r % S % numClasses) : null;
  if (opts.init) {
    for (let t = 0; t < n; t++) {
      z0.set(opts.init.z.subarray(t * zDim, (t + 1) * zDim), t * S * zDim);
      if (labels && opts.init.labels) labels[t * S] = opts.init.labels[t];
    }
  }
  const rowOf = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / S));
  const z = tf.tidy(() => tf.variable(tf.tensor2d(z0, [rows, zDim]), true));
  const adam = new Adam('project', new Map([['z', z]]), { lr: opts.lr ?? 0.1, beta1: 0.9, beta2: 0.999 });
  // The targets' side of the distance, fixed for the whole projection.
  const x = tf.tidy(() => tf.gather(tf.tensor4d(targets, [n, size, size, channels]), tf.tensor1d(rowOf, 'int32')) as tf.Tensor4D);
  const jx = judge ? tf.tidy(() => judgeFeatures(judge.params, judge.spec, x)) : null;
  const dx = D ? tf.tidy(() => discriminatorFeatures(D, spec, x, { training: false })) : null;
  const dScale = dx ? tf.tidy(() => tf.div(1, tf.add(tf.mean(tf.square(dx)), 1e-8))) : null;
  const lab = labels ? tf.tensor1d(labels, 'int32') : null;
  const distanceRows = (zt: tf.Tensor2D): tf.Tensor1D => {
    const g = generate(G, spec, zt, lab, { training: false });
    const diff = tf.sub(g, x);
    let d = tf.mul(tf.add(tf.mean(tf.abs(diff), [1, 2, 3]), tf.mean(tf.square(diff), [1, 2, 3])), w.pixel) as tf.Tensor1D;
    if (judge && jx) d = tf.add(d, tf.mul(tf.mean(tf.square(tf.sub(judgeFeatures(judge.params, judge.spec, g), jx)), 1), w.judge));
    if (D && dx && dScale) d = tf.add(d, tf.mul(tf.mul(tf.mean(tf.square(tf.sub(discriminatorFeatures(D, spec, g, { training: false }), dx)), 1), dScale), w.d));
    if (w.prior > 0) d = tf.add(d, tf.mul(tf.square(tf.sub(tf.mean(tf.square(zt), 1), 1)), w.prior));
    return d;
  };
  const history: number[] = [];
  const best = (values: Float32Array | Int32Array | Uint8Array, t: number): number => {
    let b = 0;
    for (let s = 1; s < S; s++) if (values[t * S + s] < values[t * S + b]) b = s;
    return t * S + b;
  };
  try {
    for (let i = 0; i < steps; i++) {
      if (opts.cancelled?.()) throw new ProjectionCancelled();
      const t = i / steps;
      const sigma = latentNoise(t);
      const noise = sigma > 0 ? tf.tensor2d(rng.normal(rows * zDim, 0, sigma), [rows, zDim]) : null;
      const rowsLoss = tf.tidy(() => {
        let kept: tf.Tensor1D | null = null;
        const { grads } = tf.variableGrads(() => {
          const d = distanceRows(noise ? tf.add(z, noise) : z);
          kept = tf.keep(d);
          return tf.sum(d) as tf.Scalar;
        }, [z]);
        adam.apply(grads, rampedRate(Math.max(t, 1 / steps)));
        return kept!;
      });
      noise?.dispose();
      let values: Float32Array;
      try {
        values = (await rowsLoss.data()) as Float32Array;
      } finally {
        rowsLoss.dispose();
      }
      const b = best(values, 0);
      history.push(Math.min(values[b], history.at(-1) ?? Infinity));
      const every = opts.previewEvery ?? 0;
      const image = every > 0 && (i % every === every - 1 || i === steps - 1) ? await generateRows(G, spec, z, labels, b, 1) : undefined;
      await opts.onStep?.({ step: i + 1, steps, distance: history.at(-1)!, image });
    }
    // The final latents without noise: the best start of each image wins.
    const final = tf.tidy(() => distanceRows(z));
    const values = (await final.data()) as Float32Array;
    final.dispose();
    const winners = Int32Array.from({ length: n }, (_, t) => best(values, t));
    const zAll = (await z.data()) as Float32Array;
    const outZ = new Float32Array(n * zDim);
    winners.forEach((r, t) => outZ.set(zAll.subarray(r * zDim, (r + 1) * zDim), t * zDim));
    const outLabels = labels ? Int32Array.from(winners, (r) => labels[r]) : null;
    const images = await generateLatents(G, spec, outZ, outLabels);
    const distance = Float32Array.from(winners, (r) => values[r]);
    const quality = Float32Array.from({ length: n }, (_, t) => psnr(images.subarray(t * per, (t + 1) * per), targets.subarray(t * per, (t + 1) * per), 2));
    return { z: outZ, labels: outLabels, images, distance, psnr: quality, history };
  } finally {
    tf.dispose([z, x, ...[jx, dx, dScale, lab].filter((t): t is tf.Tensor => t !== null)]);
    adam.dispose();
  }
}

/** Images of explicit latents (and labels) by a generator in inference mode. */
export async function generateLatents(G: ParamSet, spec: NetSpec, z: Float32Array, labels: Int32Array | null): Promise<Float32Array> {
  const n = z.length / spec.zDim;
  const out = tf.tidy(() => generate(G, spec, tf.tensor2d(z, [n, spec.zDim]), labels && tf.tensor1d(labels, 'int32'), { training: false }));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

async function generateRows(G: ParamSet, spec: NetSpec, z: tf.Variable, labels: Int32Array | null, row: number, count: number): Promise<Float32Array> {
  const zr = (await z.data()) as Float32Array;
  return generateLatents(G, spec, zr.slice(row * spec.zDim, (row + count) * spec.zDim), labels && labels.slice(row, row + count));
}
