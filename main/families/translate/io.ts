/**
 * Images in and out of a translation model: read as the upscaler reads them
 * (any format, EXIF-rotated, transparency kept), in the channels the chosen
 * direction takes; for a pix2pix run, optionally turned into the kind of
 * input it was trained on (`derive`: a photo's Canny edges for edges → image,
 * a blanked centre for inpainting; a colour photo becomes gray by itself for
 * colourisation). The result as PNG in the model's output channels.
 */
import { readForUpscale, upscaledPng, type UpscaleInput } from '../../images/full-size-io.js';
import { edgesOf, maskedOf } from './pairs.js';
import type { TranslationModel } from './load.js';
import type { Direction } from './tiles.js';
import type { Image } from '../../images/resample.js';
import { StudioError } from '../../errors.js';

/** A fixed draw for the blanked square: centred. */
const CENTRE = { int: (n: number) => Math.floor((n - 1) / 2) } as unknown as Parameters<typeof maskedOf>[2];

export async function readForTranslation(buf: Buffer, model: TranslationModel, direction: Direction, derive: boolean, source: string): Promise<UpscaleInput> {
  if (model.spec.task === 'pix2pix' && direction !== 'AtoB') throw new StudioError('a pix2pix model translates one way (A to B)', 'INVALID_INPUT');
  const t = model.config.translate!;
  const edges = derive && model.spec.task === 'pix2pix' && t.source === 'edges';
  const input = await readForUpscale(buf, edges ? 3 : model.inChannelsOf(direction), 1, source);
  if (!derive || model.spec.task !== 'pix2pix') return input;
  const img = input.image;
  if (edges) return { ...input, image: { data: edgesOf(img, t), width: img.width, height: img.height, channels: 1 } };
  if (t.source === 'mask') return { ...input, image: { ...img, data: maskedOf(img, t.maskSize, CENTRE) } };
  return input;
}

/** The output as a PNG: gray only when the model's output is, with the input's transparency. */
export function translatedPng(out: Image, input: UpscaleInput): Promise<Buffer> {
  return upscaledPng(out, { ...input, gray: out.channels === 1 });
}
