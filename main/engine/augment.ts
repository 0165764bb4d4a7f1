/**
 * Differentiable augmentation (DiffAugment, Zhao et al. 2020): the same
 * random colour, translation and cutout applied to every batch D sees, real
 * and generated alike, and differentiated through on the generator's side.
 * D then cannot memorise a small dataset, and G is not taught the
 * augmentations because the real images carry them too.
 *
 * The random draws come from the run's seeded generator, so a resumed run
 * augments exactly as an uninterrupted one.
 */
import { tf } from './tf.js';
import type { Rng } from './rng.js';
import { AdaController, adaAugment } from './ada.js';

/** Shift by up to 1/8 of the side, cut out a square of half the side: the paper's ratios. */
const TRANSLATION_RATIO = 0.125;
const CUTOUT_RATIO = 0.5;

export interface AugmentPlan {
  n: number;
  size: number;
  channels: number;
  brightness: Float32Array;
  saturation: Float32Array;
  contrast: Float32Array;
  /** Per image: row shift, column shift. */
  shifts: Int32Array;
  /** 1 where kept, 0 inside the cut-out square; [n, size, size, 1]. */
  cutout: Float32Array;
}

export function planAugment(rng: Rng, n: number, size: number, channels: number): AugmentPlan {
  const u = (k: number) => rng.fillUniform(new Float32Array(k));
  const brightness = u(n).map((v) => v - 0.5);
  const saturation = u(n).map((v) => v * 2);
  const contrast = u(n).map((v) => v + 0.5);
  const s = Math.floor(size * TRANSLATION_RATIO + 0.5);
  const shifts = new Int32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) shifts[i] = rng.int(2 * s + 1) - s;
  const cut = Math.floor(size * CUTOUT_RATIO + 0.5);
  const cutout = new Float32Array(n * size * size).fill(1);
  for (let i = 0; i < n; i++) {
    // The square's centre may sit anywhere, so it is partly outside near the edges.
    const cy = rng.int(size + (1 - (cut % 2))) - Math.floor(cut / 2);
    const cx = rng.int(size + (1 - (cut % 2))) - Math.floor(cut / 2);
    for (let y = Math.max(0, cy); y < Math.min(size, cy + cut); y++) {
      for (let x = Math.max(0, cx); x < Math.min(size, cx + cut); x++) cutout[(i * size + y) * size + x] = 0;
    }
  }
  return { n, size, channels, brightness, saturation, contrast, shifts, cutout };
}

const perImage = (v: Float32Array) => tf.tensor4d(v, [v.length, 1, 1, 1]);

/** Colour, then translation, then cutout, as the paper's 'color,translation,cutout' policy. */
export function applyAugment(x: tf.Tensor4D, plan: AugmentPlan): tf.Tensor4D {
  const { n, size } = plan;
  if (x.shape[0] !== n) throw new Error(`augment plan is for ${n} images, got ${x.shape[0]}`);
  let y = tf.add(x, perImage(plan.brightness)) as tf.Tensor4D;
  if (plan.channels > 1) {
    const mean = tf.mean(y, 3, true);
    y = tf.add(tf.mul(tf.sub(y, mean), perImage(plan.saturation)), mean) as tf.Tensor4D;
  }
  const mean = tf.mean(y, [1, 2, 3], true);
  y = tf.add(tf.mul(tf.sub(y, mean), perImage(plan.contrast)), mean) as tf.Tensor4D;
  y = translate(y, plan.shifts, size);
  return tf.mul(y, tf.tensor4d(plan.cutout, [n, size, size, 1])) as tf.Tensor4D;
}

/**
 * Per image, a [size × size] matrix that moves rows (axis 0) or columns
 * (axis 1) by the image's shift: row `out` reads row `out − d`, zero where
 * that is outside the image.
 */
function shiftMatrices(shifts: Int32Array, axis: 0 | 1, n: number, size: number): Float32Array {
  const m = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++) {
    const d = shifts[2 * i + axis];
    for (let out = 0; out < size; out++) {
      const from = out - d;
      if (from >= 0 && from < size) m[(i * size + out) * size + from] = 1;
    }
  }
  return m;
}

/**
 * Each image moved by its own shift, zero-filled, as two batched matrix
 * products with 0/1 shift matrices (rows, then columns of the transposed
 * image): each output sums one pixel and zeros, so it is the pixel exactly.
 * A handful of kernels whatever the batch (a GPU pays per launch), a
 * gradient that is the same products transposed, and memory linear in the
 * batch: slicing every image out of a padded batch made each slice's
 * gradient the size of the batch — batch² images in the backward pass, past
 * wasm's 4 GB at 64 px in colour and batch 64. (gather would do it in one
 * op, but its gradient has no WebAssembly kernel.)
 */
function translate(x: tf.Tensor4D, shifts: Int32Array, size: number): tf.Tensor4D {
  if (shifts.every((s) => s === 0)) return x;
  const [n, , , c] = x.shape;
  const rows = tf.tensor3d(shiftMatrices(shifts, 0, n, size), [n, size, size]);
  const cols = tf.tensor3d(shiftMatrices(shifts, 1, n, size), [n, size, size]);
  const byRows = tf.matMul(rows, tf.reshape(x, [n, size, size * c]));
  const turned = tf.transpose(tf.reshape(byRows, [n, size, size, c]), [0, 2, 1, 3]);
  const byCols = tf.matMul(cols, tf.reshape(turned, [n, size, size * c]));
  return tf.transpose(tf.reshape(byCols, [n, size, size, c]), [0, 2, 1, 3]);
}

/** Whether a dataset is small enough that augmentation pays off; 'auto' asks this. */
export const SMALL_DATASET = 5000;

/** Whether a run augments what D sees: 'on', or 'auto' with a dataset under SMALL_DATASET images (a sampling-only trainer has none). */
export function augmentsFor(setting: 'auto' | 'on' | 'off' | 'ada', data: { count: number } | null): boolean {
  return setting === 'on' || (setting === 'auto' && data !== null && data.count < SMALL_DATASET);
}

/** The images as D sees them: augmented with fresh draws from rng when `on`, else as they are. */
export function augmentIf(on: boolean, rng: Rng, images: tf.Tensor4D): tf.Tensor4D {
  if (!on) return images;
  const [n, size, , channels] = images.shape;
  return applyAugment(images, planAugment(rng, n, size, channels));
}

/** The checkpoint tensor that holds ADA's controller. */
const ADA_STATE = 'augment/ada';

/**
 * What a GAN trainer's discriminator sees, as the run's augment setting
 * says: DiffAugment ('on', or 'auto' on a small dataset), ADA with its
 * adaptive p ('ada'), or the images as they are. One per trainer; ADA's
 * controller goes into and comes back from the trainer's checkpoints.
 */
export class DiscriminatorAugment {
  private readonly diff: boolean;
  private readonly ada: AdaController | null;

  constructor(setting: 'auto' | 'on' | 'off' | 'ada', data: { count: number } | null, from?: { tensors: Map<string, { data: ArrayLike<number> }> }) {
    this.diff = augmentsFor(setting, data);
    this.ada = setting === 'ada' ? AdaController.fromState(from?.tensors.get(ADA_STATE)?.data) : null;
  }

  /** The images as D sees them, with fresh draws from rng. */
  seen(rng: Rng, images: tf.Tensor4D): tf.Tensor4D {
    if (this.ada) return adaAugment(rng, this.ada.p, images);
    return augmentIf(this.diff, rng, images);
  }

  /**
   * After a step, its sum of sign(D(real)) over its n real images; returns
   * the probability that step's batches were drawn with, for its figures
   * (nothing when the run does not use ADA).
   */
  observe(signSum: number, n: number): { augmentP?: number } {
    if (!this.ada) return {};
    const augmentP = this.ada.p;
    this.ada.observe(signSum, n);
    return { augmentP };
  }

  /** What a checkpoint keeps of it. */
  tensors(): [string, { shape: number[]; data: Float32Array }][] {
    return this.ada ? [[ADA_STATE, { shape: [4], data: this.ada.state() }]] : [];
  }
}
