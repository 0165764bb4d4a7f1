import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imagePng, type ImageBatch } from '../images/png.js';

/**
 * Writes images of a batch as numbered PNGs (0001.png …) into `dir`; returns
 * their paths. A batch that is one slice of a larger export numbers on from
 * `first`, with as many digits as the whole export needs.
 */
export async function writePngs(batch: ImageBatch, dir: string, slice: { first: number; total: number } = { first: 0, total: batch.count }): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const digits = Math.max(4, String(slice.total).length);
  const files: string[] = [];
  // sharp encodes on its own thread pool; a few dozen at a time keeps memory flat.
  for (let i = 0; i < batch.count; i += 32) {
    const idx = Array.from({ length: Math.min(32, batch.count - i) }, (_, k) => i + k);
    const pngs = await Promise.all(idx.map((k) => imagePng(batch, k)));
    idx.forEach((k, j) => {
      const file = join(dir, `${String(slice.first + k + 1).padStart(digits, '0')}.png`);
      writeFileSync(file, pngs[j]);
      files.push(file);
    });
  }
  return files;
}
