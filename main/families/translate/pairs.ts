/**
 * Where translation runs get their images. Paired (pix2pix): an input made
 * from each image of any dataset — its grayscale, its Canny edges (black
 * lines on white, as pix2pix's edges2shoes and a person's sketch), the image
 * with a square blanked — or the partners of an imported paired dataset.
 * Unpaired (CycleGAN): two domains, each a dataset or one class of one.
 * All values 0–255 here; the trainers scale to [-1, 1].
 */
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';
import { imageOf } from '../../engine/held-out.js';
import type { Rng } from '../../engine/rng.js';
import type { Image } from '../../images/resample.js';
import { canny } from './canny.js';
import type { TranslateSettings, TranslateSource } from './settings.js';

/** ITU-R BT.601 luma of 0–255 RGB (or the one channel of a gray image). */
export function lumaOf(img: Image): Float32Array {
  const n = img.width * img.height;
  if (img.channels === 1) return Float32Array.from(img.data);
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) out[p] = 0.299 * img.data[p * 3] + 0.587 * img.data[p * 3 + 1] + 0.114 * img.data[p * 3 + 2];
  return out;
}

/** Canny edges of an image as a drawing: 0 (black) on edges, 255 elsewhere. */
export function edgesOf(img: Image, s: Pick<TranslateSettings, 'cannySigma' | 'cannyLow' | 'cannyHigh'>): Float32Array {
  const gray = lumaOf(img).map((v) => v / 255);
  const e = canny(gray, img.width, img.height, { sigma: s.cannySigma, low: s.cannyLow, high: s.cannyHigh });
  return Float32Array.from(e, (v) => (v ? 0 : 255));
}

/** Mid-gray: the blanked region's value (0 in the networks' [-1, 1]). */
export const MASK_FILL = 127.5;

/** The image with a square of side ⌈maskSize·side⌉ at a random place set to mid-gray. */
export function maskedOf(img: Image, maskSize: number, rng: Rng): Float32Array {
  const side = Math.min(img.width, img.height, Math.ceil(maskSize * Math.min(img.width, img.height)));
  const y0 = rng.int(img.height - side + 1);
  const x0 = rng.int(img.width - side + 1);
  const out = Float32Array.from(img.data);
  const c = img.channels;
  for (let y = y0; y < y0 + side; y++) out.fill(MASK_FILL, (y * img.width + x0) * c, (y * img.width + x0 + side) * c);
  return out;
}

/** The input a source makes from a target image, and its channels. */
export function inputOf(source: Exclude<TranslateSource, 'pairs'>, img: Image, s: TranslateSettings, rng: Rng): Float32Array {
  if (source === 'gray') return lumaOf(img);
  if (source === 'edges') return edgesOf(img, s);
  return maskedOf(img, s.maskSize, rng);
}

export function inputChannels(source: TranslateSource, targetChannels: 1 | 3): 1 | 3 {
  return source === 'gray' || source === 'edges' ? 1 : targetChannels;
}

/** Mirror left–right in place. */
export function mirror(img: Image): Image {
  const { width: w, height: h, channels: c, data } = img;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w >> 1; x++) {
      for (let ch = 0; ch < c; ch++) {
        const a = (y * w + x) * c + ch;
        const b = (y * w + w - 1 - x) * c + ch;
        [data[a], data[b]] = [data[b], data[a]];
      }
    }
  }
  return img;
}

/** A paired dataset as the import makes it: classes A and B, each A image followed by its B partner. */
export function pairedIndices(data: Dataset): { a: Int32Array; b: Int32Array } {
  const names = data.classNames.map((n) => n.toUpperCase());
  const A = names.indexOf('A');
  const B = names.indexOf('B');
  if (!data.labels || names.length !== 2 || A < 0 || B < 0 || data.count % 2 !== 0) {
    throw new StudioError(`dataset ${data.name} is not a paired dataset (import folders A/ and B/, or side-by-side A|B images, as pairs)`, 'INVALID_INPUT');
  }
  const n = data.count / 2;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    if (data.labels[2 * k] !== A || data.labels[2 * k + 1] !== B) throw new StudioError(`dataset ${data.name}: image ${2 * k + 1} has no partner; import it again as pairs`, 'INVALID_INPUT');
    a[k] = 2 * k;
    b[k] = 2 * k + 1;
  }
  return { a, b };
}

/** pix2pix's pairs: k-th input and target, 0–255, mirrored together when asked. */
export class PairSource {
  readonly count: number;
  readonly inChannels: 1 | 3;
  readonly outChannels: 1 | 3;
  readonly size: number;
  private readonly partners: { a: Int32Array; b: Int32Array } | null;

  constructor(
    readonly data: Dataset,
    private readonly s: TranslateSettings,
  ) {
    this.size = data.size;
    this.outChannels = data.channels;
    if (s.source === 'pairs') {
      this.partners = pairedIndices(data);
      this.count = this.partners.a.length;
      this.inChannels = data.channels;
    } else {
      if (s.source === 'gray' && data.channels === 1) throw new StudioError(`dataset ${data.name} is grayscale already; colourisation needs colour images`, 'INVALID_INPUT');
      this.partners = null;
      this.count = data.count;
      this.inChannels = inputChannels(s.source, data.channels);
    }
  }

  pair(k: number, flip: boolean, rng: Rng): { a: Float32Array; b: Float32Array } {
    if (this.partners) {
      const a = imageOf(this.data, this.partners.a[k]);
      const b = imageOf(this.data, this.partners.b[k]);
      return { a: (flip ? mirror(a) : a).data, b: (flip ? mirror(b) : b).data };
    }
    const target = imageOf(this.data, k);
    if (flip) mirror(target);
    return { a: inputOf(this.s.source as Exclude<TranslateSource, 'pairs'>, target, this.s, rng), b: target.data };
  }
}

/** One CycleGAN domain: the images of a dataset, or of one class of it. */
export interface Domain {
  data: Dataset;
  indices: Int32Array;
  /** What the studio calls it: the dataset's name, or "dataset/class". */
  label: string;
}

export function domainOf(data: Dataset, className?: string): Domain {
  if (!className) return { data, indices: Int32Array.from({ length: data.count }, (_, i) => i), label: data.name };
  const c = data.classNames.indexOf(className);
  if (c < 0 || !data.labels) throw new StudioError(`dataset ${data.name} has no class "${className}"${data.classNames.length ? ` (it has ${data.classNames.slice(0, 8).join(', ')})` : ''}`, 'INVALID_INPUT');
  const indices = [];
  for (let i = 0; i < data.count; i++) if (data.labels[i] === c) indices.push(i);
  if (indices.length < 2) throw new StudioError(`class "${className}" of ${data.name} has ${indices.length} image; a domain needs at least 2`, 'INVALID_INPUT');
  return { data, indices: Int32Array.from(indices), label: `${data.name}/${className}` };
}
