/**
 * What an image has, read from it: the judge's probability of each class
 * (and of each value of a class-name part, for classes named like
 * `older_tone3`: one attribute per age and per skin tone), and for
 * grayscale images two measures from the pixels alone — stroke thickness and
 * slant, as in MNIST's deskewing. A reading is positive above a threshold:
 * 0.5 for probabilities, a reference median for measures.
 */
import { median } from '../core/median.js';
import { embedImages, type Judge } from '../judges/index.js';

export type AttributeKind = 'class' | 'part' | 'pixel';

export interface AttributeScores {
  name: string;
  kind: AttributeKind;
  /** One score per image: a probability, or a measure in its own unit. */
  scores: Float32Array;
  /** Positive above it; measures take the median of the images read unless a reference is given. */
  threshold: number;
}

/** The parts of class names split at '_', when every name has the same number (≥ 2) of them. */
export function classParts(classNames: string[]): string[][] | null {
  if (classNames.length < 2) return null;
  const parts = classNames.map((c) => c.split('_'));
  const k = parts[0].length;
  if (k < 2 || parts.some((p) => p.length !== k || p.some((x) => x === ''))) return null;
  return parts;
}

/** Ink share: pixels brighter than mid-gray, which grows with stroke thickness. */
export function thickness(image: Float32Array): number {
  let ink = 0;
  for (const v of image) if (v > 0) ink++;
  return ink / image.length;
}

/**
 * Slant as the shear of the ink's second moments, −μ11/μ02 with rows growing
 * downwards: positive leans right (the top further right than the bottom).
 */
export function slant(image: Float32Array, size: number): number {
  let m = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const w = (image[y * size + x] + 1) / 2;
      m += w;
      cx += w * x;
      cy += w * y;
    }
  }
  if (m === 0) return 0;
  cx /= m;
  cy /= m;
  let mu11 = 0;
  let mu02 = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const w = (image[y * size + x] + 1) / 2;
      mu11 += w * (x - cx) * (y - cy);
      mu02 += w * (y - cy) ** 2;
    }
  }
  return mu02 > 0 ? -mu11 / mu02 : 0;
}

export { median };

/**
 * Every attribute this studio can read from n images (NHWC in [-1, 1]).
 * `thresholds` carries measures' medians from a reference batch.
 */
export async function readAttributes(
  images: Float32Array,
  n: number,
  size: number,
  channels: number,
  judge: Judge | null,
  opts: { thresholds?: Record<string, number> } = {},
): Promise<AttributeScores[]> {
  const out: AttributeScores[] = [];
  const per = size * size * channels;
  if (judge && judge.classNames.length >= 2) out.push(...classAttributes((await embedImages(judge, images, n)).probs, n, judge.classNames));
  if (channels === 1) {
    const thick = Float32Array.from({ length: n }, (_, i) => thickness(images.subarray(i * per, (i + 1) * per)));
    const lean = Float32Array.from({ length: n }, (_, i) => slant(images.subarray(i * per, (i + 1) * per), size));
    out.push({ name: 'thickness', kind: 'pixel', scores: thick, threshold: opts.thresholds?.thickness ?? median(thick) });
    out.push({ name: 'slant', kind: 'pixel', scores: lean, threshold: opts.thresholds?.slant ?? median(lean) });
  }
  return out;
}

/** The classes' probabilities (n × C) as attributes, and the parts of class names as summed ones. */
export function classAttributes(probs: Float32Array, n: number, classNames: string[]): AttributeScores[] {
  const out: AttributeScores[] = [];
  const C = classNames.length;
  classNames.forEach((name, c) => out.push({ name, kind: 'class', scores: Float32Array.from({ length: n }, (_, i) => probs[i * C + c]), threshold: 0.5 }));
  const parts = classParts(classNames);
  if (!parts) return out;
  const seen = new Set(classNames);
  for (let j = 0; j < parts[0].length; j++) {
    for (const value of new Set(parts.map((p) => p[j]))) {
      const name = seen.has(value) ? `${value} (part ${j + 1})` : value;
      seen.add(name);
      const scores = new Float32Array(n);
      parts.forEach((p, c) => {
        if (p[j] === value) for (let i = 0; i < n; i++) scores[i] += probs[i * C + c];
      });
      out.push({ name, kind: 'part', scores, threshold: 0.5 });
    }
  }
  return out;
}

export function positives(a: AttributeScores): Uint8Array {
  return Uint8Array.from(a.scores, (s) => (s > a.threshold ? 1 : 0));
}
