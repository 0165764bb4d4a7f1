/**
 * The augmentation study's split of a labelled dataset: a fixed test set per
 * class that no study GAN or classifier ever trains on, and the pool left,
 * from which a seed draws K images per class. A GAN run whose config names a
 * subset trains on exactly those images, so synthetic data can only bring in
 * what the real subset it is compared with holds.
 */
import { Rng } from '../engine/rng.js';
import { StudioError } from '../errors.js';
import { captionsByImage, type Captions, type Dataset } from '../core/dataset.js';

/** Independent of every study's seed: every study of a dataset tests on the same images. */
const TEST_SEED = 0x7e57;
/** A fifth of each class, at most this many, is the test set. */
const TEST_SHARE = 0.2;
const MAX_TEST_PER_CLASS = 500;

/** K images per class (or the whole pool), drawn with `seed`. */
export interface Subset {
  perClass: number | 'all';
  seed: number;
}

export interface StudySplit {
  /** Test image indices, ascending. */
  test: Int32Array;
  /** Per class, the pool's indices in the fixed order the test draw left them. */
  pool: Int32Array[];
}

const cache = new WeakMap<Int32Array, StudySplit>();

export function studySplit(labels: Int32Array | null, numClasses: number, name = 'the dataset'): StudySplit {
  if (!labels || numClasses < 2) throw new StudioError(`${name} has no class labels: an augmentation study compares classifiers of its classes`, 'INVALID_INPUT');
  const had = cache.get(labels);
  if (had) return had;
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((c, i) => byClass[c]?.push(i));
  const rng = Rng.fromSeed(TEST_SEED);
  const test: number[] = [];
  const pool = byClass.map((idx, c) => {
    if (idx.length < 2) throw new StudioError(`class ${c} of ${name} has ${idx.length} image(s); a study needs at least 2 per class (one to test on, one to train on)`, 'INVALID_INPUT');
    shuffle(idx, rng);
    const held = Math.min(MAX_TEST_PER_CLASS, Math.max(1, Math.round(idx.length * TEST_SHARE)));
    test.push(...idx.slice(0, held));
    return Int32Array.from(idx.slice(held));
  });
  const split = { test: Int32Array.from(test).sort(), pool };
  cache.set(labels, split);
  return split;
}

/**
 * The indices of a subset, ascending: per class the first K of the pool in
 * the seed's order, so a seed's K = 10 images are among its K = 50. 'all'
 * is the whole pool whatever the seed.
 */
export function subsetIndices(split: StudySplit, subset: Subset): Int32Array {
  const rng = Rng.fromSeed(subset.seed);
  const out: number[] = [];
  for (const pool of split.pool) {
    if (subset.perClass === 'all') {
      out.push(...pool);
      continue;
    }
    const order = Array.from(pool);
    shuffle(order, rng);
    out.push(...order.slice(0, subset.perClass));
  }
  return Int32Array.from(out).sort();
}

/** The images of `indices` as a dataset of their own. */
export function pickImages(data: Dataset, indices: Int32Array, name = data.name): Dataset {
  const per = data.size * data.size * data.channels;
  const pixels = new Uint8Array(indices.length * per);
  indices.forEach((k, i) => pixels.set(data.pixels.subarray(k * per, (k + 1) * per), i * per));
  return {
    ...data,
    name,
    count: indices.length,
    pixels,
    labels: data.labels ? Int32Array.from(indices, (k) => data.labels![k]) : null,
    captions: data.captions ? pickCaptions(data.captions, indices) : null,
  };
}

/** The captions of the picked images, renumbered as they are in the pick. */
function pickCaptions(c: Captions, indices: Int32Array): Captions {
  const byImage = captionsByImage(c);
  const texts: string[] = [];
  const image: number[] = [];
  indices.forEach((k, i) => {
    for (const j of byImage.get(k) ?? []) {
      texts.push(c.texts[j]);
      image.push(i);
    }
  });
  return { texts, image: Int32Array.from(image), vocab: c.vocab };
}

/** What a run with this subset trains on (the dataset itself when it has none). */
export function applySubset(data: Dataset, subset: Subset | undefined): Dataset {
  if (!subset) return data;
  const split = studySplit(data.labels, data.classNames.length, data.name);
  return pickImages(data, subsetIndices(split, subset));
}

export function shuffle<T>(a: { length: number; [i: number]: T }, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
