/**
 * One file's bytes → the training pixels: format sniffed from the content,
 * EXIF orientation applied, transparency flattened, fitted to a square and
 * converted to the dataset's channels, all by sharp (libvips).
 */
import sharp from 'sharp';
import { messageOf } from '../errors.js';
import { decodeBmp, isBmp } from './bmp.js';
import type { FITS } from './fits.js';
import { SkipFile } from './skip-file.js';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'avif' | 'heif';

export interface Decoded {
  /** `count` images of size×size×channels, one after the other. */
  pixels: Buffer;
  /** 1, or the tiles an image was cut into (fit 'tiles'). */
  count: number;
  /** Every pixel has r = g = b (always true for one channel). */
  gray: boolean;
  /** 'array': pixels cut from an array file (IDX, NumPy, CIFAR). */
  format: ImageFormat | 'array';
}

const EXTENSIONS: Record<ImageFormat, string[]> = {
  png: ['png'],
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  gif: ['gif'],
  webp: ['webp'],
  tiff: ['tif', 'tiff'],
  bmp: ['bmp', 'dib'],
  avif: ['avif'],
  heif: ['heic', 'heif'],
};

/** The format the bytes say, whatever the file is called. */
export function sniffFormat(b: Buffer): ImageFormat | null {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 4 && (b.toString('latin1', 0, 4) === 'II*\0' || b.toString('latin1', 0, 4) === 'MM\0*')) return 'tiff';
  if (isBmp(b)) return 'bmp';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') {
    const brand = b.toString('latin1', 8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'mif1', 'msf1', 'hevc'].includes(brand)) return 'heif';
  }
  return null;
}

/** A note when the extension names another format than the content: the content wins. */
export function extensionNote(file: string, format: ImageFormat): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (!ext || EXTENSIONS[format].includes(ext)) return null;
  const known = Object.values(EXTENSIONS).some((list) => list.includes(ext));
  return known ? `${file}: named .${ext} but holds a ${format.toUpperCase()} image; imported as ${format.toUpperCase()}` : null;
}

export function parseColour(hex: string): { r: number; g: number; b: number } {
  const v = Number.parseInt(hex.slice(1), 16);
  return { r: (v >> 16) & 255, g: (v >> 8) & 255, b: v & 255 };
}

const FIT = { crop: 'cover', pad: 'contain', stretch: 'fill' } as const;

/** What decoding needs of an import's options (datasets/import/options.ts validates them). */
export interface DecodeOptions {
  size: number;
  channels: 'auto' | 1 | 3;
  fit: (typeof FITS)[number];
  /** A colour like #ffffff: transparency is flattened onto it, `pad` fills with it. */
  background: string;
  maxPixels: number;
  maxSide: number;
}

/** The file as a sharp pipeline: format sniffed, EXIF-rotated, transparency flattened onto the background. */
function openImage(buf: Buffer, opts: DecodeOptions): { img: sharp.Sharp; format: ImageFormat; background: ReturnType<typeof parseColour>; outChannels: 1 | 3 } {
  if (buf.length === 0) throw new SkipFile('empty');
  const format = sniffFormat(buf);
  if (!format) throw new SkipFile('not-image', 'the content is not PNG, JPEG, GIF, WebP, TIFF, BMP or AVIF');
  const background = parseColour(opts.background);
  const outChannels = opts.channels === 1 ? 1 : 3;
  let img: sharp.Sharp;
  if (format === 'bmp') {
    const raw = decodeBmp(buf, opts.maxPixels);
    img = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  } else {
    // failOn 'error': truncation and real errors refuse the image; a harmless warning (odd EXIF) does not.
    img = sharp(buf, { limitInputPixels: opts.maxPixels, failOn: 'error', pages: 1, sequentialRead: true }).rotate();
  }
  return { img: img.flatten({ background }), format, background, outChannels };
}

/**
 * A pix2pix-style pair image, A on the left half and B on the right: each
 * half fitted to the size as a whole image would be, A's pixels then B's.
 */
export async function decodeSideBySide(buf: Buffer, opts: DecodeOptions): Promise<Decoded> {
  const { img, format, background, outChannels } = openImage(buf, opts);
  let whole: { data: Buffer; info: sharp.OutputInfo };
  try {
    whole = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw classify(messageOf(err), format);
  }
  const { width, height, channels } = whole.info;
  const half = Math.floor(width / 2);
  if (half < 1) throw new SkipFile('too-small', `${width}×${height} cannot be split into A|B halves`);
  const parts = await Promise.all(
    [0, width - half].map((left) =>
      sharp(whole.data, { raw: { width, height, channels } })
        .extract({ left, top: 0, width: half, height })
        .resize(opts.size, opts.size, { fit: FIT[opts.fit === 'tiles' ? 'crop' : opts.fit], position: 'centre', background })
        .toColourspace(outChannels === 1 ? 'b-w' : 'srgb')
        .raw({ depth: 'uchar' })
        .toBuffer(),
    ),
  );
  const pixels = Buffer.concat(parts);
  if (pixels.length !== 2 * opts.size * opts.size * outChannels) throw new SkipFile('unsupported', `a half decoded to ${parts[0].length} values, expected ${opts.size * opts.size * outChannels}`);
  return { pixels, count: 2, gray: outChannels === 1 || isGray(pixels), format };
}

export async function decodeImage(buf: Buffer, opts: DecodeOptions): Promise<Decoded> {
  const opened = openImage(buf, opts);
  const { format, background, outChannels } = opened;
  let img = opened.img;
  img =
    opts.fit === 'tiles'
      ? img.resize(opts.maxSide, opts.maxSide, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
      : img.resize(opts.size, opts.size, { fit: FIT[opts.fit], position: 'centre', background });
  img = img.toColourspace(outChannels === 1 ? 'b-w' : 'srgb');
  let data: Buffer;
  let info: sharp.OutputInfo;
  try {
    ({ data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw classify(messageOf(err), format);
  }
  if (opts.fit === 'tiles' && info.channels === outChannels) {
    const pixels = cutTiles(data, info.width, info.height, outChannels, opts.size);
    if (pixels.length === 0) throw new SkipFile('too-small', `${info.width}×${info.height} holds no whole ${opts.size} px tile`);
    return { pixels, count: pixels.length / (opts.size * opts.size * outChannels), gray: outChannels === 1 || isGray(pixels), format };
  }
  if (info.channels !== outChannels || info.width !== opts.size || info.height !== opts.size) {
    throw new SkipFile('unsupported', `decoded to ${info.width}×${info.height}×${info.channels}, expected ${opts.size}×${opts.size}×${outChannels}`);
  }
  return { pixels: data, count: 1, gray: outChannels === 1 || isGray(data), format };
}

/**
 * Pixels from an array file (8-bit, channels interleaved) → the dataset's
 * size and channels: copied as they are when they already fit, as MNIST's do
 * at 28 px, else fitted by sharp as a decoded file would be.
 */
export async function decodeRaw(px: Buffer, raw: { width: number; height: number; channels: 1 | 3 }, opts: DecodeOptions): Promise<Decoded> {
  const out = opts.channels === 1 ? 1 : 3;
  let fitted = px;
  if (raw.width !== opts.size || raw.height !== opts.size || raw.channels > out) {
    // Resized in the array's own channels: grey stays grey through the resampling (sharp's sRGB route would move its values).
    let img = sharp(px, { raw }).resize(opts.size, opts.size, { fit: FIT[opts.fit === 'tiles' ? 'crop' : opts.fit], position: 'centre', background: parseColour(opts.background) });
    if (raw.channels > out) img = img.toColourspace('b-w');
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.width !== opts.size || info.height !== opts.size) throw new SkipFile('unsupported', `resized to ${info.width}×${info.height}, expected ${opts.size}`);
    // Padding onto a colour background gives a grey image its colour channels.
    fitted = info.channels === 3 && out === 1 ? Buffer.from(data.filter((_, i) => i % 3 === 0)) : data;
  }
  if (fitted.length === opts.size * opts.size * out) return { pixels: fitted, count: 1, gray: out === 1 || isGray(fitted), format: 'array' };
  const rgb = Buffer.allocUnsafe(fitted.length * 3);
  for (let i = 0; i < fitted.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = fitted[i];
  return { pixels: rgb, count: 1, gray: true, format: 'array' };
}

/** Every whole size×size tile of an image, in a grid centred on it (the margins left over are split evenly), row by row. */
export function cutTiles(data: Buffer, width: number, height: number, channels: number, size: number): Buffer {
  const [cols, rows] = [Math.floor(width / size), Math.floor(height / size)];
  const [ox, oy] = [Math.floor((width - cols * size) / 2), Math.floor((height - rows * size) / 2)];
  const row = size * channels;
  const out = Buffer.alloc(cols * rows * size * row);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let y = 0; y < size; y++, at += row) {
        const from = ((oy + r * size + y) * width + ox + c * size) * channels;
        data.copy(out, at, from, from + row);
      }
    }
  }
  return out;
}

function isGray(rgb: Buffer): boolean {
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  return true;
}

function classify(message: string, format: ImageFormat): SkipFile {
  const first = message.split('\n')[0];
  if (/pixel limit/i.test(first)) return new SkipFile('too-many-pixels', first);
  if (/unsupported image format|no decoder|not a known file format|codec/i.test(first)) return new SkipFile('unsupported', `${format}: ${first}`);
  return new SkipFile('corrupt', first);
}
