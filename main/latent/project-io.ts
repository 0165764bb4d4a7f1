/**
 * An image to project: any format the importer reads, fitted to the model's
 * square (centre crop) and channels as the dataset's images were, in [-1, 1];
 * transparency over the dataset's background (the importer's white, black
 * for the built-in digits).
 */
import { decodeImage } from '../images/decode.js';
import { SkipFile } from '../images/skip-file.js';
import type { ImageSize } from '../engine/networks.js';
import { StudioError } from '../errors.js';
import type { ImportOptions } from '../datasets/import/options.js';

const MAX_PIXELS = 100_000_000;

export async function readForProjection(buf: Buffer, size: ImageSize, channels: 1 | 3, background: string, source: string): Promise<Float32Array> {
  try {
    const { pixels } = await decodeImage(buf, { size: size as ImportOptions['size'], channels, fit: 'crop', background, maxPixels: MAX_PIXELS, maxSide: size });
    return Float32Array.from(pixels, (v) => v / 127.5 - 1);
  } catch (err) {
    if (err instanceof SkipFile) throw new StudioError(`${source} cannot be read as an image (${err.message})`, 'INVALID_INPUT');
    throw err;
  }
}
