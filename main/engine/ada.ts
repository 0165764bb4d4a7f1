/**
 * Adaptive discriminator augmentation (ADA; Karras et al. 2020,
 * "Training Generative Adversarial Networks with Limited Data"): every image
 * D sees, real and generated alike, goes through the paper's pixel blitting
 * (x-flip, 90° rotations, integer translation), general geometric
 * (isotropic and anisotropic scaling, arbitrary rotation, fractional
 * translation) and colour transforms (brightness, contrast, luma flip, hue,
 * saturation), each applied with probability p. p is steered by how sure D
 * is of the real images (adaController below).
 *
 * Geometric transforms compose into one inverse matrix per image, applied
 * once by bilinear sampling with reflected borders, as the paper's pipeline
 * does; colour transforms compose into one 4×4 matrix per image. The
 * sampling is a gather whose gradient is written here as a scatter-add
 * (gather's own gradient has no WebAssembly kernel), so G learns through it.
 * Draws come from the run's seeded generator: a resumed run augments as an
 * uninterrupted one.
 */
import { tf } from './tf.js';
import type { Rng } from './rng.js';

/** The paper's strengths ('bgc' pipeline, augment.py's defaults). */
const TRANSLATE_INT = 0.125;
const SCALE_STD = 0.2;
const ROTATE_MAX = 1;
const ANISO_STD = 0.2;
const TRANSLATE_FRAC_STD = 0.125;
const BRIGHTNESS_STD = 0.2;
const CONTRAST_STD = 0.5;
const HUE_MAX = 1;
const SATURATION_STD = 1;

/**
 * Above this p the augmentations start to leak into the generator (the
 * paper's Fig. 3: x-flips, 90° rotations and colour transforms at p ≥ 0.8
 * can be learnt as if they were the data); the controller never passes it.
 */
export const ADA_MAX_P = 0.8;
/** D's target confidence on reals: r_t = E[sign(D(real))] (the paper's 0.6). */
export const ADA_TARGET = 0.6;
/** Steps between adjustments of p (the paper's 4 minibatches). */
export const ADA_INTERVAL = 4;
/**
 * Images over which p can move by 1. The paper's 500k suits runs of
 * millions of images; a desktop run sees tens of thousands, so p must
 * move within a few hundred steps to matter (0 → 0.8 in 16k images).
 */
export const ADA_IMAGES = 20_000;

type Mat3 = [number, number, number, number, number, number, number, number, number];
type Mat4 = number[];

const mul3 = (a: Mat3, b: Mat3): Mat3 => {
  const r = new Array(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return r;
};
const mul4 = (a: Mat4, b: Mat4): Mat4 => {
  const r = new Array(16).fill(0);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) r[4 * i + j] += a[4 * i + k] * b[4 * k + j];
  return r;
};
const I3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const I4: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const translateInv = (tx: number, ty: number): Mat3 => [1, 0, -tx, 0, 1, -ty, 0, 0, 1];
const scaleInv = (sx: number, sy: number): Mat3 => [1 / sx, 0, 0, 0, 1 / sy, 0, 0, 0, 1];
const rotateInv = (theta: number): Mat3 => {
  const c = Math.cos(-theta);
  const s = Math.sin(-theta);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
};

/** One batch's draws: each image's inverse geometric matrix (output pixel → input pixel, centred) and colour matrix. */
export interface AdaPlan {
  n: number;
  /** 9 per image, row-major. */
  geometry: Float64Array;
  /** 16 per image, row-major, acting on [r, g, b, 1] in [-1, 1]. */
  colour: Float64Array;
  /** Whether any image's geometry or colour differs from the identity. */
  warps: boolean;
  tints: boolean;
}

/** A draw for each image of n: each transform with probability p (rotations with 1 − √(1 − p) twice, as the paper). */
export function planAda(rng: Rng, n: number, width: number, height: number, p: number): AdaPlan {
  const geometry = new Float64Array(9 * n);
  const colour = new Float64Array(16 * n);
  let warps = false;
  let tints = false;
  const u = () => rng.uniform();
  const gauss = () => rng.normal(1)[0];
  const pRot = 1 - Math.sqrt(1 - Math.min(p, 1));
  const v = [1, 1, 1, 0].map((x) => x / Math.sqrt(3));
  for (let i = 0; i < n; i++) {
    let g = I3;
    const geo = (prob: number, m: () => Mat3) => {
      if (u() < prob) {
        g = mul3(g, m());
        warps = true;
      }
    };
    geo(p, () => scaleInv(1 - 2 * Math.floor(u() * 2), 1));
    geo(p, () => rotateInv((-Math.PI / 2) * Math.floor(u() * 4)));
    geo(p, () => translateInv(Math.round((u() * 2 - 1) * TRANSLATE_INT * width), Math.round((u() * 2 - 1) * TRANSLATE_INT * height)));
    geo(p, () => {
      const s = 2 ** (gauss() * SCALE_STD);
      return scaleInv(s, s);
    });
    geo(pRot, () => rotateInv(-(u() * 2 - 1) * Math.PI * ROTATE_MAX));
    geo(p, () => {
      const s = 2 ** (gauss() * ANISO_STD);
      return scaleInv(s, 1 / s);
    });
    geo(pRot, () => rotateInv(-(u() * 2 - 1) * Math.PI * ROTATE_MAX));
    geo(p, () => translateInv(gauss() * TRANSLATE_FRAC_STD * width, gauss() * TRANSLATE_FRAC_STD * height));
    geometry.set(g, 9 * i);

    let c = I4;
    const col = (m: () => Mat4) => {
      if (u() < p) {
        c = mul4(m(), c);
        tints = true;
      }
    };
    col(() => {
      const b = gauss() * BRIGHTNESS_STD;
      return [1, 0, 0, b, 0, 1, 0, b, 0, 0, 1, b, 0, 0, 0, 1];
    });
    col(() => {
      const s = 2 ** (gauss() * CONTRAST_STD);
      return [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1];
    });
    col(() => {
      const flip = Math.floor(u() * 2);
      return I4.map((x, k) => x - 2 * flip * v[Math.floor(k / 4)] * v[k % 4]);
    });
    col(() => rotateAbout(v, (u() * 2 - 1) * Math.PI * HUE_MAX));
    col(() => {
      const s = 2 ** (gauss() * SATURATION_STD);
      return I4.map((x, k) => {
        const vv = v[Math.floor(k / 4)] * v[k % 4];
        return vv + (x - vv) * s;
      });
    });
    colour.set(c, 16 * i);
  }
  return { n, geometry, colour, warps, tints };
}

/** Rotation by theta about the unit axis v (Rodrigues), in the 3×3 block of a 4×4. */
function rotateAbout(v: number[], theta: number): Mat4 {
  const [x, y, z] = v;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const t = 1 - c;
  return [t * x * x + c, t * x * y - s * z, t * x * z + s * y, 0, t * x * y + s * z, t * y * y + c, t * y * z - s * x, 0, t * x * z - s * y, t * y * z + s * x, t * z * z + c, 0, 0, 0, 0, 1];
}

/** A coordinate reflected into [0, last] about the edge pixels' centres ('reflect' padding). */
function reflect(u: number, last: number): number {
  if (last === 0) return 0;
  const period = 2 * last;
  let r = u % period;
  if (r < 0) r += period;
  return r > last ? period - r : r;
}

/**
 * Four bilinear taps per output pixel: the flat input pixel each reads and
 * its weight, for the batch's geometry (pixel centres, origin at the image's
 * centre).
 */
export function bilinearTaps(plan: AdaPlan, width: number, height: number): { index: Int32Array; weight: Float32Array } {
  const pixels = width * height;
  const m = plan.n * pixels;
  const index = new Int32Array(4 * m);
  const weight = new Float32Array(4 * m);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let i = 0; i < plan.n; i++) {
    const g = plan.geometry.subarray(9 * i, 9 * i + 9);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const ox = x - cx;
        const oy = y - cy;
        const ux = reflect(g[0] * ox + g[1] * oy + g[2] + cx, width - 1);
        const uy = reflect(g[3] * ox + g[4] * oy + g[5] + cy, height - 1);
        // Snap within rounding of a pixel centre, so blits copy pixels exactly.
        const sx = Math.abs(ux - Math.round(ux)) < 1e-6 ? Math.round(ux) : ux;
        const sy = Math.abs(uy - Math.round(uy)) < 1e-6 ? Math.round(uy) : uy;
        const x0 = Math.min(Math.floor(sx), width - 1);
        const y0 = Math.min(Math.floor(sy), height - 1);
        const x1 = Math.min(x0 + 1, width - 1);
        const y1 = Math.min(y0 + 1, height - 1);
        const fx = sx - x0;
        const fy = sy - y0;
        const base = i * pixels;
        const o = i * pixels + y * width + x;
        index[o] = base + y0 * width + x0;
        weight[o] = (1 - fx) * (1 - fy);
        index[m + o] = base + y0 * width + x1;
        weight[m + o] = fx * (1 - fy);
        index[2 * m + o] = base + y1 * width + x0;
        weight[2 * m + o] = (1 - fx) * fy;
        index[3 * m + o] = base + y1 * width + x1;
        weight[3 * m + o] = fx * fy;
      }
    }
  }
  return { index, weight };
}

/**
 * x [n, h, w, c] resampled at the taps: out = Σ_k w_k · x[index_k]. Its
 * gradient is the transpose, a scatter-add of the weighted output gradient
 * onto the pixels read.
 */
export function sampleTaps(x: tf.Tensor4D, taps: { index: Int32Array; weight: Float32Array }): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const m = n * h * w;
  const index = tf.tensor1d(taps.index, 'int32');
  const weight = tf.tensor2d(taps.weight, [4 * m, 1]);
  // The taps are saved with the op: tensors a gradient only closes over are gone by the backward pass.
  const forward = (input: tf.Tensor, save: tf.GradSaveFunc) => {
    save([index, weight]);
    const flat = tf.reshape(input, [m, c]);
    const read = tf.mul(tf.gather(flat, index), weight);
    const value = tf.reshape(tf.sum(tf.reshape(read, [4, m, c]), 0), [n, h, w, c]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [idx, wt] = saved;
        const spread = tf.mul(tf.tile(tf.reshape(dy, [m, c]), [4, 1]), wt);
        return tf.reshape(tf.scatterND(tf.reshape(idx, [4 * m, 1]), spread, [m, c]), [n, h, w, c]);
      },
    };
  };
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(x) as tf.Tensor4D;
}

/** Each image's colour matrix applied to its pixels; one channel: as the paper, the matrices' mean effect on luma. */
export function applyColour(x: tf.Tensor4D, plan: AdaPlan): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c === 3) {
    const lin = new Float32Array(9 * n);
    const bias = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      const m = plan.colour.subarray(16 * i, 16 * i + 16);
      // Pixels are rows, so the product takes the transpose of the 3×3 block.
      for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) lin[9 * i + 3 * k + r] = m[4 * r + k];
      for (let r = 0; r < 3; r++) bias[3 * i + r] = m[4 * r + 3];
    }
    const px = tf.reshape(x, [n, h * w, 3]);
    const y = tf.add(tf.matMul(px, tf.tensor3d(lin, [n, 3, 3])), tf.tensor3d(bias, [n, 1, 3]));
    return tf.reshape(y, [n, h, w, c]);
  }
  const gain = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = plan.colour.subarray(16 * i, 16 * i + 16);
    let g = 0;
    let b = 0;
    for (let r = 0; r < 3; r++) {
      g += (m[4 * r] + m[4 * r + 1] + m[4 * r + 2]) / 3;
      b += m[4 * r + 3] / 3;
    }
    gain[i] = g;
    shift[i] = b;
  }
  return tf.add(tf.mul(x, tf.tensor4d(gain, [n, 1, 1, 1])), tf.tensor4d(shift, [n, 1, 1, 1])) as tf.Tensor4D;
}

/** The images as D sees them under ADA at probability p: geometry, then colour; as they are at p = 0. */
export function applyAda(x: tf.Tensor4D, plan: AdaPlan): tf.Tensor4D {
  const [n, h, w] = x.shape;
  if (plan.n !== n) throw new Error(`ADA plan is for ${plan.n} images, got ${n}`);
  let y = x;
  if (plan.warps) y = sampleTaps(y, bilinearTaps(plan, w, h));
  if (plan.tints) y = applyColour(y, plan);
  return y;
}

export function adaAugment(rng: Rng, p: number, images: tf.Tensor4D): tf.Tensor4D {
  if (p <= 0) return images;
  const [n, h, w] = images.shape;
  return applyAda(images, planAda(rng, n, w, h, p));
}

/**
 * p's controller: the signs of D's outputs on real images, summed over
 * ADA_INTERVAL steps; then p moves by the images seen over ADA_IMAGES, up
 * when r_t = mean sign is above the target (D is sure of the reals: it is
 * overfitting them), down when below, within [0, ADA_MAX_P]. Its state is
 * three float32s, so a checkpoint round-trips it exactly.
 */
export class AdaController {
  constructor(
    public p = 0,
    private signSum = 0,
    private count = 0,
    private steps = 0,
  ) {}

  /** One step's real-image signs (their sum, over n images): returns p for the next step. */
  observe(signSum: number, n: number): number {
    this.signSum += signSum;
    this.count += n;
    this.steps++;
    if (this.steps >= ADA_INTERVAL) {
      const r = this.signSum / this.count;
      const next = this.p + (Math.sign(r - ADA_TARGET) * this.count) / ADA_IMAGES;
      this.p = Math.fround(Math.min(ADA_MAX_P, Math.max(0, next)));
      this.signSum = 0;
      this.count = 0;
      this.steps = 0;
    }
    return this.p;
  }

  state(): Float32Array {
    return Float32Array.of(this.p, this.signSum, this.count, this.steps);
  }

  static fromState(s: ArrayLike<number> | undefined): AdaController {
    return s ? new AdaController(s[0], s[1], s[2], s[3]) : new AdaController();
  }
}
