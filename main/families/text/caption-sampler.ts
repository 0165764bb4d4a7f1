/**
 * A captioned dataset as a text trainer draws from it: (image, caption)
 * pairs at random, a wrong caption for each (another image's, of another
 * text), and captions as bags of words.
 */
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../engine/rng.js';
import { bagOfWords } from './encoder.js';
import type { Tokenizer } from '../../core/tokens.js';
import type { Dataset } from '../../core/dataset.js';

export class CaptionSampler {
  /** Images that have at least one caption. */
  readonly images: Int32Array;
  /** Where each image's captions start, and how many it has. */
  readonly start: Int32Array;
  readonly count: Int32Array;
  /** Per caption: which distinct text it is. */
  readonly key: Int32Array;
  /** Every caption's token ids, maxLen each. */
  private readonly ids: Int32Array;

  constructor(
    data: Dataset,
    private readonly tokenizer: Tokenizer,
  ) {
    const c = data.captions!;
    this.start = new Int32Array(data.count).fill(-1);
    this.count = new Int32Array(data.count);
    c.image.forEach((img, i) => {
      if (this.start[img] < 0) this.start[img] = i;
      this.count[img]++;
    });
    const keys = new Map<string, number>();
    this.key = Int32Array.from(c.texts, (t) => keys.get(t) ?? (keys.set(t, keys.size), keys.size - 1));
    this.images = Int32Array.from({ length: data.count }, (_, i) => i).filter((i) => this.count[i] > 0);
    this.ids = tokenizer.encodeAll(c.texts);
  }

  get size(): number {
    return this.key.length;
  }

  /** n captioned images and, for each, one of its captions, drawn at random. */
  pairs(rng: Rng, n: number): { images: Int32Array; captions: Int32Array } {
    const images = new Int32Array(n);
    const captions = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const img = this.images[rng.int(this.images.length)];
      images[i] = img;
      captions[i] = this.start[img] + rng.int(this.count[img]);
    }
    return { images, captions };
  }

  /** For each caption, another image's caption of a different text (when eight draws find one). */
  mismatched(rng: Rng, captions: Int32Array): Int32Array {
    return captions.map((own) => {
      let other = own;
      for (let t = 0; t < 8 && this.key[other] === this.key[own]; t++) {
        const img = this.images[rng.int(this.images.length)];
        other = this.start[img] + rng.int(this.count[img]);
      }
      return other;
    });
  }

  /** Captions as bags of words [n, vocabulary size]. */
  bags(captions: ArrayLike<number>): tf.Tensor2D {
    const { maxLen, size } = this.tokenizer;
    const ids = new Int32Array(captions.length * maxLen);
    for (let i = 0; i < captions.length; i++) ids.set(this.ids.subarray(captions[i] * maxLen, (captions[i] + 1) * maxLen), i * maxLen);
    return tf.tensor2d(bagOfWords(ids, maxLen, size), [captions.length, size]);
  }
}
