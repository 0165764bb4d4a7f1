/**
 * Images in and out of a super-resolution model: any format sharp reads,
 * EXIF-rotated; converted to the model's channels (a grey photo through a
 * colour model comes back grey, a colour one through a grey model comes
 * back in luma); transparency kept, its mask enlarged by bicubic
 * interpolation; the result as PNG. Sizes are checked before anything is
 * decoded.
 */
import sharp from 'sharp';
import { StudioError, messageOf } from '../errors.js';
import { resizeBicubic, type Image } from './resample.js';

/** Output pixels an upscale may make: 64 MP, a 16K-by-4K image; beyond, the request is refused before decoding. */
export const MAX_OUTPUT_PIXELS = 64_000_000;

export interface UpscaleInput {
  /** 0–255, in the model's channels. */
  image: Image;
  /** 0–255, when the input had transparency. */
  alpha: Float32Array | null;
  /** The input had one channel (or r = g = b): the output is written as one. */
  gray: boolean;
}

export async function readForUpscale(buf: Buffer, channels: 1 | 3, scale: number, source: string): Promise<UpscaleInput> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(buf, { failOn: 'error' }).metadata();
  } catch (err) {
    throw new StudioError(`${source} is not an image sharp can read (${messageOf(err).split('\n')[0]})`, 'INVALID_INPUT');
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new StudioError(`${source} has no size`, 'INVALID_INPUT');
  if (w * h * scale * scale > MAX_OUTPUT_PIXELS) {
    throw new StudioError(
      `${source} is ${w}×${h}: ×${scale} would make ${((w * h * scale * scale) / 1e6).toFixed(0)} megapixels, over the ${MAX_OUTPUT_PIXELS / 1e6} MP limit; crop or reduce it first`,
      'INVALID_INPUT',
    );
  }
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await sharp(buf, { failOn: 'error', limitInputPixels: MAX_OUTPUT_PIXELS }).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new StudioError(`${source} could not be decoded (${messageOf(err).split('\n')[0]})`, 'INVALID_INPUT');
  }
  const { width, height } = raw.info;
  const n = width * height;
  const rgba = raw.data;
  // Grey: every pixel has r = g = b (a one-channel file decodes so too).
  let gray = true;
  let opaque = true;
  for (let i = 0; i < n && (opaque || gray); i++) {
    if (rgba[i * 4 + 3] !== 255) opaque = false;
    if (rgba[i * 4] !== rgba[i * 4 + 1] || rgba[i * 4] !== rgba[i * 4 + 2]) gray = false;
  }
  const data = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]];
    if (channels === 3) data.set([r, g, b], i * 3);
    else data[i] = 0.299 * r + 0.587 * g + 0.114 * b;
  }
  const alpha = opaque ? null : Float32Array.from({ length: n }, (_, i) => rgba[i * 4 + 3]);
  return { image: { data, width, height, channels }, alpha, gray: gray || channels === 1 };
}

/** The model's output (0–255, its channels) as a PNG: grey when the input was, with the input's transparency enlarged to fit. */
export function upscaledPng(out: Image, input: UpscaleInput): Promise<Buffer> {
  const n = out.width * out.height;
  const channels = input.gray ? 1 : 3;
  const withAlpha = input.alpha !== null;
  const px = Buffer.alloc(n * (channels + (withAlpha ? 1 : 0)));
  const alpha = input.alpha ? resizeBicubic({ data: input.alpha, width: input.image.width, height: input.image.height, channels: 1 }, out.width, out.height).data : null;
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  const stride = channels + (withAlpha ? 1 : 0);
  for (let i = 0; i < n; i++) {
    if (channels === 1) px[i * stride] = clamp(out.channels === 1 ? out.data[i] : 0.299 * out.data[i * 3] + 0.587 * out.data[i * 3 + 1] + 0.114 * out.data[i * 3 + 2]);
    else for (let c = 0; c < 3; c++) px[i * stride + c] = clamp(out.channels === 3 ? out.data[i * 3 + c] : out.data[i]);
    if (alpha) px[i * stride + channels] = clamp(alpha[i]);
  }
  const img = sharp(px, { raw: { width: out.width, height: out.height, channels: stride as 1 | 2 | 3 | 4 } });
  if (channels === 1 && !withAlpha) img.toColourspace('b-w');
  return img.png({ compressionLevel: 6 }).toBuffer();
}
