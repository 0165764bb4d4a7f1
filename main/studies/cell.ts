/**
 * One cell of an augmentation study: for one K (images per class) and one
 * seed, the classifier trained on the K real images alone, on them plus M
 * generated per class for each M asked for, and on them with classic
 * augmentation, each measured on the study's test images.
 */
import type { Trainer } from '../families/gan/trainer.js';
import { Rng } from '../engine/rng.js';
import { generateBatch } from '../engine/sampling.js';
import { studySplit, subsetIndices, pickImages, type Subset } from '../datasets/subset.js';
import type { Dataset } from '../core/dataset.js';
import { StudioError } from '../errors.js';
import { classifierAccuracy, trainClassifier, type ClassifierKind, type LabelledImages } from './classifier.js';

export const ARMS = ['real', 'synthetic', 'classic'] as const;
export type Arm = (typeof ARMS)[number];

/** Classic augmentation's shift: the judge's own ±2 px. */
export const CLASSIC_SHIFT = 2;
/** Generated images a cell may hold at once (about 1 GB at 64 px in colour). */
const MAX_SYNTHETIC_BYTES = 2 ** 30;

export interface CellSettings {
  classifier: ClassifierKind;
  steps: number;
  batch: number;
  lr: number;
  /** Classic augmentation mirrors images left to right too. */
  flips: boolean;
  /** M per class as multiples of each class's K, 0 being real images alone. */
  multipliers: number[];
}

export interface ArmResult {
  arm: Arm;
  multiplier: number;
  accuracy: number;
  perClass: number[];
  realCount: number;
  syntheticCount: number;
  ms: number;
}

export interface CellProgress {
  /** Classifier steps done of all the cell's arms. */
  done: number;
  total: number;
  arm: Arm;
  multiplier: number;
}

/** The arms a cell trains, in order: real alone, each M > 0 (when a generator is given), classic. */
export function cellArms(multipliers: number[], withGenerator: boolean): { arm: Arm; multiplier: number }[] {
  const synthetic = withGenerator ? [...new Set(multipliers.filter((m) => m > 0))].sort((a, b) => a - b).map((m) => ({ arm: 'synthetic' as const, multiplier: m })) : [];
  return [{ arm: 'real', multiplier: 0 }, ...synthetic, { arm: 'classic', multiplier: 0 }];
}

export class CellCancelled extends StudioError {
  constructor() {
    super('the augmentation study was stopped', 'CANCELLED');
  }
}

export async function runCell(
  data: Dataset,
  subset: Subset,
  generator: Trainer | null,
  s: CellSettings,
  progress: (p: CellProgress) => void = () => {},
  cancelled: () => boolean = () => false,
): Promise<ArmResult[]> {
  const C = data.classNames.length;
  const split = studySplit(data.labels, C, data.name);
  const real = pickImages(data, subsetIndices(split, subset)) as Dataset & { labels: Int32Array };
  const perClass = new Array<number>(C).fill(0);
  for (const c of real.labels) perClass[c]++;
  if (generator && generator.spec.numClasses !== C) throw new StudioError(`the GAN knows ${generator.spec.numClasses} classes; the dataset has ${C}`, 'INVALID_INPUT');
  if (generator && (generator.spec.size !== data.size || generator.spec.channels !== data.channels)) throw new StudioError('the GAN draws images of another size than the dataset', 'INVALID_INPUT');
  const arms = cellArms(s.multipliers, generator !== null);
  const maxM = Math.max(0, ...arms.map((a) => a.multiplier));
  const synthetic = generator && maxM > 0 ? await drawSynthetic(generator, perClass, maxM, subset.seed) : null;
  const total = arms.length * s.steps;
  const results: ArmResult[] = [];
  for (const [i, { arm, multiplier }] of arms.entries()) {
    const t0 = performance.now();
    const train = arm === 'synthetic' ? withSynthetic(real, synthetic!, perClass, multiplier) : real;
    const { spec, params } = await trainClassifier(train, {
      kind: s.classifier,
      numClasses: C,
      // The same seed in every arm: the same initial weights, so arms differ by their data.
      seed: subset.seed,
      steps: s.steps,
      batch: s.batch,
      lr: s.lr,
      shift: arm === 'classic' ? CLASSIC_SHIFT : 0,
      flip: arm === 'classic' && s.flips,
      onStep: (done) => {
        progress({ done: i * s.steps + done, total, arm, multiplier });
        return cancelled();
      },
    });
    try {
      if (cancelled()) throw new CellCancelled();
      const { accuracy, perClass: byClass } = await classifierAccuracy(spec, params, data as LabelledImages, split.test);
      results.push({ arm, multiplier, accuracy, perClass: byClass, realCount: real.count, syntheticCount: train.count - real.count, ms: performance.now() - t0 });
    } finally {
      params.dispose();
    }
  }
  return results;
}

/** maxM × K_c images of each class c, as bytes (what an export to PNG would keep), classes in runs of the largest M so smaller M take prefixes. */
async function drawSynthetic(g: Trainer, perClass: number[], maxM: number, seed: number): Promise<{ pixels: Uint8Array; offsets: number[] }> {
  const per = g.spec.size * g.spec.size * g.spec.channels;
  const counts = perClass.map((k) => Math.round(k * maxM));
  const n = counts.reduce((a, b) => a + b, 0);
  if (n * per > MAX_SYNTHETIC_BYTES) throw new StudioError(`${n} generated images of ${per} bytes are more than a cell can hold; ask for fewer per class`, 'INVALID_INPUT');
  const pixels = new Uint8Array(n * per);
  const offsets: number[] = [];
  let at = 0;
  for (const [c, count] of counts.entries()) {
    // Latents of each class's own stream: the same images whatever the other classes' counts.
    const rng = Rng.fromSeed((Math.imul(seed, 0x9e3779b1) ^ (0x5a17 + c)) >>> 0);
    offsets.push(at);
    for (let done = 0; done < count; done += 500) {
      const m = Math.min(500, count - done);
      const batch = await generateBatch(g, rng.normal(m * g.spec.zDim), new Int32Array(m).fill(c));
      const out = pixels.subarray((at + done) * per, (at + done + m) * per);
      for (let p = 0; p < out.length; p++) out[p] = Math.round(Math.min(255, Math.max(0, (batch.data[p] + 1) * 127.5)));
    }
    at += count;
  }
  return { pixels, offsets };
}

/** The real images followed by the first M × K_c generated images of each class c. */
function withSynthetic(real: Dataset & { labels: Int32Array }, synthetic: { pixels: Uint8Array; offsets: number[] }, perClass: number[], m: number): LabelledImages {
  const per = real.size * real.size * real.channels;
  const counts = perClass.map((k) => Math.round(k * m));
  const n = real.count + counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(n * per);
  const labels = new Int32Array(n);
  pixels.set(real.pixels);
  labels.set(real.labels);
  let at = real.count;
  counts.forEach((count, c) => {
    const from = synthetic.offsets[c];
    pixels.set(synthetic.pixels.subarray(from * per, (from + count) * per), at * per);
    labels.fill(c, at, at + count);
    at += count;
  });
  return { pixels, labels, count: n, size: real.size, channels: real.channels };
}

/** One classifier measured: a K, a seed and an arm (real alone, M generated per class, classic augmentation). */
export interface StudyCell extends ArmResult {
  perClassKey: string;
  seed: number;
  runId: string | null;
}
