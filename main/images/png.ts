/**
 * Turns generator output (NHWC float in [-1, 1]) into PNG files with sharp.
 */
import sharp from 'sharp';
import type { ImageBatch } from '../core/image-batch.js';

export type { ImageBatch };

/** One image of the batch as 8-bit pixels. */
export function toBytes(batch: ImageBatch, index: number): Uint8Array {
  const per = batch.size * batch.size * batch.channels;
  const out = new Uint8Array(per);
  const src = batch.data.subarray(index * per, (index + 1) * per);
  for (let i = 0; i < per; i++) {
    const v = Math.round((src[i] + 1) * 127.5);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  const img = sharp(pixels, { raw: { width, height, channels } });
  // Without this sharp widens one-channel input to RGB.
  if (channels === 1) img.toColourspace('b-w');
  return img.png({ compressionLevel: 6 }).toBuffer();
}

export function imagePng(batch: ImageBatch, index: number): Promise<Buffer> {
  return encodePng(toBytes(batch, index), batch.size, batch.size, batch.channels);
}

/**
 * Lays the first `limit` images out in a grid with a 2 px gap, the way
 * sample galleries show them; columns default to a near-square layout.
 */
export function gridPng(batch: ImageBatch, opts: GridOptions = {}): Promise<Buffer> {
  const n = Math.min(batch.count, opts.limit ?? batch.count);
  const per = batch.size * batch.size * batch.channels;
  const bytes = new Uint8Array(n * per);
  for (let i = 0; i < n; i++) bytes.set(toBytes(batch, i), i * per);
  return bytesGridPng(bytes, n, batch.size, batch.channels, opts);
}

export interface GridOptions {
  columns?: number;
  limit?: number;
  gap?: number;
}

/** The same grid from 8-bit NHWC pixels, as datasets store them. */
export function bytesGridPng(images: Uint8Array, count: number, size: number, channels: 1 | 3, opts: GridOptions = {}): Promise<Buffer> {
  const n = Math.min(count, opts.limit ?? count);
  const gap = opts.gap ?? 2;
  const cols = Math.max(1, Math.min(n, opts.columns ?? Math.ceil(Math.sqrt(n))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const per = size * size * channels;
  const width = cols * size + (cols + 1) * gap;
  const height = rows * size + (rows + 1) * gap;
  // A mid-grey frame keeps black-background digits apart from each other.
  const pixels = new Uint8Array(width * height * channels).fill(96);
  for (let i = 0; i < n; i++) {
    const img = images.subarray(i * per, (i + 1) * per);
    const x0 = gap + (i % cols) * (size + gap);
    const y0 = gap + Math.floor(i / cols) * (size + gap);
    for (let y = 0; y < size; y++) {
      const dst = ((y0 + y) * width + x0) * channels;
      pixels.set(img.subarray(y * size * channels, (y + 1) * size * channels), dst);
    }
  }
  return encodePng(pixels, width, height, channels);
}
