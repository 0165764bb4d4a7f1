/**
 * Upscaling an image of any size in tiles: each tile is run with enough of
 * its surroundings that every output pixel sees what it would see in one
 * pass over the whole image (receptiveMargin), so the tiles join without
 * seams and memory stays bounded by the tile size.
 */
import type { Image } from '../../images/resample.js';
import { receptiveMargin, type SrSpec } from './networks.js';

export interface Upscaler {
  readonly spec: SrSpec;
  /** One image (0–255) at `spec.scale` times its size. */
  upscale(img: Image): Promise<Float32Array>;
}

/** Low-resolution pixels per tile side by default: a 128×128 tile of 32 features is a few hundred MB of activations at most. */
export const DEFAULT_TILE = 128;

function cropOf(img: Image, x0: number, y0: number, w: number, h: number): Image {
  const c = img.channels;
  const out = new Float32Array(w * h * c);
  for (let y = 0; y < h; y++) out.set(img.data.subarray(((y0 + y) * img.width + x0) * c, ((y0 + y) * img.width + x0 + w) * c), y * w * c);
  return { data: out, width: w, height: h, channels: c };
}

export async function upscaleTiled(model: Upscaler, img: Image, tile = DEFAULT_TILE, onProgress?: (done: number, total: number) => void): Promise<Image> {
  const s = model.spec.scale;
  const c = img.channels;
  if (img.width <= tile && img.height <= tile) {
    const data = await model.upscale(img);
    onProgress?.(1, 1);
    return { data, width: img.width * s, height: img.height * s, channels: c };
  }
  const m = receptiveMargin(model.spec);
  const W = img.width * s;
  const out = new Float32Array(W * img.height * s * c);
  const cols = Math.ceil(img.width / tile);
  const rows = Math.ceil(img.height / tile);
  let done = 0;
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      // The tile's own pixels, and the margin around them that the network reads.
      const x0 = tx * tile;
      const y0 = ty * tile;
      const x1 = Math.min(img.width, x0 + tile);
      const y1 = Math.min(img.height, y0 + tile);
      const px0 = Math.max(0, x0 - m);
      const py0 = Math.max(0, y0 - m);
      const px1 = Math.min(img.width, x1 + m);
      const py1 = Math.min(img.height, y1 + m);
      const pw = px1 - px0;
      const up = await model.upscale(cropOf(img, px0, py0, pw, py1 - py0));
      // Keep the tile's own part of the result.
      for (let y = (y0 - py0) * s; y < (y1 - py0) * s; y++) {
        const from = (y * pw * s + (x0 - px0) * s) * c;
        out.set(up.subarray(from, from + (x1 - x0) * s * c), ((py0 * s + y) * W + x0 * s) * c);
      }
      onProgress?.(++done, rows * cols);
    }
  }
  return { data: out, width: W, height: img.height * s, channels: c };
}
