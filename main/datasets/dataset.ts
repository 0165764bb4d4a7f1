import type { ImageSize } from '../engine/networks.js';

/** Images ready for training: NHWC float32 in [-1, 1]. */
export interface Dataset {
  name: string;
  size: ImageSize;
  channels: 1 | 3;
  count: number;
  images: Float32Array;
  /** One class index per image, or null for an unlabelled dataset. */
  labels: Int32Array | null;
  classNames: string[];
}
