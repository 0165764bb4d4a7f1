/** Generated images: NHWC float32 in [-1, 1]. */
export interface ImageBatch {
  data: Float32Array;
  count: number;
  size: number;
  channels: 1 | 3;
}
