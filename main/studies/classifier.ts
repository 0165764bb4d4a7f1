/**
 * The augmentation study's classifier: the judge's network (or a half-width
 * one), trained for a fixed number of steps on whatever images a cell gives
 * it — real, real and generated, or real with classic augmentation — and
 * measured on the study's test images. The same seed gives the same weights,
 * batches and shifts, so arms of one cell differ only in their data.
 */
import { Adam } from '../engine/adam.js';
import { Rng } from '../engine/rng.js';
import { yieldToEventLoop } from '../engine/step-loop.js';
import type { ParamSet } from '../engine/params.js';
import { shuffle } from '../datasets/subset.js';
import { StudioError } from '../errors.js';
import { createJudge, embedImages, imagesAt, judgeSpec, type Judge, type JudgeSpec } from '../judges/index.js';
import { classifierStep, copyMoved } from '../judges/train.js';

export const CLASSIFIERS = ['judge', 'small'] as const;
export type ClassifierKind = (typeof CLASSIFIERS)[number];

/** Labelled images as bytes, NHWC 0–255. */
export interface LabelledImages {
  pixels: Uint8Array;
  labels: Int32Array;
  count: number;
  size: number;
  channels: 1 | 3;
}

export interface ClassifierOptions {
  kind: ClassifierKind;
  numClasses: number;
  seed: number;
  steps: number;
  batch: number;
  lr: number;
  /** Classic augmentation: largest random shift in pixels (0: none), and random left–right mirroring. */
  shift: number;
  flip: boolean;
  /** Called every few steps; true stops training (the caller then throws its own cancellation). */
  onStep?: (done: number) => boolean | void;
}

export function classifierSpec(kind: ClassifierKind, size: number, channels: number, numClasses: number): JudgeSpec {
  const spec = judgeSpec(size, channels, numClasses);
  // Half the widths and features: about a quarter of the judge's compute.
  return kind === 'judge' ? spec : { ...spec, convs: spec.convs.map((c) => ({ ...c, width: c.width / 2 })), features: spec.features / 2 };
}


export async function trainClassifier(data: LabelledImages, o: ClassifierOptions): Promise<{ spec: JudgeSpec; params: ParamSet; loss: number }> {
  if (data.count === 0) throw new StudioError('a classifier needs at least one training image');
  const spec = classifierSpec(o.kind, data.size, data.channels, o.numClasses);
  const rng = Rng.fromSeed(o.seed);
  const params = createJudge(spec, rng);
  const settings = { lr: o.lr, beta1: 0.9, beta2: 0.999 };
  const opt = new Adam('adamC', params.trainable, settings);
  const per = data.size * data.size * data.channels;
  const x = new Float32Array(o.batch * per);
  const y = new Int32Array(o.batch);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  let at = order.length;
  let loss = NaN;
  try {
    for (let step = 0; step < o.steps; step++) {
      for (let i = 0; i < o.batch; i++) {
        // Epochs without replacement; a set smaller than a batch repeats within it.
        if (at === order.length) {
          shuffle(order, rng);
          at = 0;
        }
        const k = order[at++];
        y[i] = data.labels[k];
        const dy = o.shift > 0 ? rng.int(2 * o.shift + 1) - o.shift : 0;
        const dx = o.shift > 0 ? rng.int(2 * o.shift + 1) - o.shift : 0;
        copyMoved(data, k, x, i * per, dy, dx, o.flip && rng.uniform() < 0.5);
      }
      // The judge's cosine decay to 5 % of the rate.
      settings.lr = o.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps)));
      const t = classifierStep(params, spec, opt, x, y, o.batch);
      try {
        if (step % 25 === 0 || step === o.steps - 1) loss = (await t.data())[0];
      } finally {
        t.dispose();
      }
      if (!Number.isFinite(loss)) throw new StudioError(`the classifier diverged at step ${step + 1} (loss ${loss})`);
      if (step % 10 === 9 || step === o.steps - 1) {
        await yieldToEventLoop();
        if (o.onStep?.(step + 1)) break;
      }
    }
  } catch (err) {
    params.dispose();
    throw err;
  } finally {
    opt.dispose();
  }
  return { spec, params, loss };
}

/** Overall and per-class accuracy on labelled images (the per-class figure is NaN for a class with no image). */
export async function classifierAccuracy(spec: JudgeSpec, params: ParamSet, data: LabelledImages, indices: Int32Array): Promise<{ accuracy: number; perClass: number[] }> {
  const judge = { spec, params } as Judge;
  const { probs } = await embedImages(judge, imagesAt(data, indices), indices.length);
  const C = spec.numClasses;
  const right = new Array<number>(C).fill(0);
  const all = new Array<number>(C).fill(0);
  let correct = 0;
  indices.forEach((k, i) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
    const truth = data.labels[k];
    all[truth]++;
    if (best === truth) {
      right[truth]++;
      correct++;
    }
  });
  return { accuracy: correct / indices.length, perClass: all.map((n, c) => (n ? right[c] / n : NaN)) };
}
