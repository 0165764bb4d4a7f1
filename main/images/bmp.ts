/**
 * BMP, which sharp's prebuilt libvips does not read: the uncompressed
 * variants people actually have (8-bit palette, 24-bit, 32-bit), decoded to
 * raw RGB(A) for sharp to resize like any other image.
 */
import { SkipFile } from './skip-file.js';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;

export function isBmp(buf: Buffer): boolean {
  return buf.length >= 26 && buf[0] === 0x42 && buf[1] === 0x4d;
}

export function decodeBmp(buf: Buffer, maxPixels: number): RawImage {
  if (buf.length < 54) throw new SkipFile('corrupt', 'BMP header is truncated');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  if (headerSize < 40) throw new SkipFile('unsupported', 'OS/2 BMP headers are not supported');
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width <= 0 || height === 0) throw new SkipFile('corrupt', `BMP claims ${width}×${height} pixels`);
  if (width * height > maxPixels) throw new SkipFile('too-many-pixels', `${width}×${height} BMP; the limit is ${maxPixels} pixels`);
  const bitfields32 = compression === BI_BITFIELDS && bpp === 32;
  if (!(compression === BI_RGB && (bpp === 8 || bpp === 24 || bpp === 32)) && !bitfields32) {
    throw new SkipFile('unsupported', `BMP with ${bpp} bits per pixel and compression ${compression} is not supported`);
  }
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw new SkipFile('corrupt', 'BMP pixel data is truncated');

  let palette: Buffer | null = null;
  if (bpp === 8) {
    const colours = buf.readUInt32LE(46) || 256;
    palette = buf.subarray(14 + headerSize, 14 + headerSize + colours * 4);
  }
  // 32-bit BMPs mostly leave the fourth byte as padding; only a V4+ header with an alpha mask makes it alpha.
  const alphaMask = headerSize >= 56 && bpp === 32 ? buf.readUInt32LE(66) : 0;
  const channels = alphaMask ? 4 : 3;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      if (palette) {
        const p = buf[row + x] * 4;
        if (p + 2 >= palette.length) throw new SkipFile('corrupt', 'BMP pixel refers past its palette');
        out[o] = palette[p + 2];
        out[o + 1] = palette[p + 1];
        out[o + 2] = palette[p];
      } else {
        const s = row + x * (bpp / 8);
        out[o] = buf[s + 2];
        out[o + 1] = buf[s + 1];
        out[o + 2] = buf[s];
        if (channels === 4) out[o + 3] = buf[s + 3];
      }
    }
  }
  return { data: out, width, height, channels };
}
