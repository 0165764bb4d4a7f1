import type { Vocabulary } from './tokens.js';

/**
 * Images ready for training: NHWC bytes, 0–255, as stored on disk; the
 * trainer scales each minibatch to [-1, 1] as it draws it, so a dataset costs
 * a quarter of the memory float32 would.
 */
export interface Dataset {
  name: string;
  /** Square side in pixels: a GAN trains on 28–128; super-resolution crops larger ones too. */
  size: number;
  channels: 1 | 3;
  count: number;
  pixels: Uint8Array;
  /** One class index per image, or null for an unlabelled dataset. */
  labels: Int32Array | null;
  classNames: string[];
  /** Captions of the images (several per image allowed), for text-conditional models; null or absent when it has none. */
  captions?: Captions | null;
}

export interface Captions {
  /** Caption i describes image image[i]; ascending by image. */
  texts: string[];
  image: Int32Array;
  /** The words of the dataset's captions, built at import. */
  vocab: Vocabulary;
}

/** Each captioned image's caption indexes, in order. */
export function captionsByImage(c: Captions): Map<number, number[]> {
  const out = new Map<number, number[]>();
  c.image.forEach((img, i) => {
    const list = out.get(img);
    if (list) list.push(i);
    else out.set(img, [i]);
  });
  return out;
}
