import { tf } from './tf.js';
import type { Dataset } from '../core/dataset.js';

/** Images `indices` of a dataset as a batch in [-1, 1]. */
export function imageBatch(data: Dataset, indices: ArrayLike<number>): tf.Tensor4D {
  const { size, channels, pixels } = data;
  const per = size * size * channels;
  const n = indices.length;
  const out = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const src = indices[i] * per;
    const dst = i * per;
    for (let p = 0; p < per; p++) out[dst + p] = pixels[src + p] / 127.5 - 1;
  }
  return tf.tensor4d(out, [n, size, size, channels]);
}
