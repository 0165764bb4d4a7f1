/**
 * Translating an image of any size with a network trained on size×size
 * images: overlapping tiles of the training size, half a tile apart, each
 * translated and blended in with a raised-cosine weight, so no seam shows
 * and each output pixel comes from tiles that saw it near their middle.
 * An image smaller than a tile is padded by mirroring and cropped back.
 */
import type { Image } from '../../images/resample.js';
import type { Direction } from '../family.js';

export interface Translator {
  /** Side of the images it was trained on, and its output channels. */
  readonly tileSide: number;
  /** n tiles of tileSide² × inChannels, 0–255 → n tiles × outChannels, 0–255. */
  translateTiles(tiles: Float32Array, n: number, direction: Direction): Promise<Float32Array>;
  inChannelsOf(direction: Direction): 1 | 3;
  outChannelsOf(direction: Direction): 1 | 3;
}

export type { Direction };

const mirrorIndex = (i: number, n: number) => {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
};

/** Tile origins along a side of n pixels: every `step`, the last one flush with the end. */
function origins(n: number, side: number, step: number): number[] {
  if (n <= side) return [0];
  const out: number[] = [];
  for (let o = 0; o + side < n; o += step) out.push(o);
  out.push(n - side);
  return out;
}

/** How many tiles a translation of a w×h image takes (for progress). */
export function tileCount(w: number, h: number, side: number): number {
  return origins(Math.max(w, side), side, side / 2).length * origins(Math.max(h, side), side, side / 2).length;
}

export async function translateTiled(model: Translator, img: Image, direction: Direction, onProgress?: (done: number, total: number) => void, batch = 8): Promise<Image> {
  const side = model.tileSide;
  const cin = model.inChannelsOf(direction);
  const cout = model.outChannelsOf(direction);
  if (img.channels !== cin) throw new Error(`the image has ${img.channels} channels; this direction takes ${cin}`);
  const W = Math.max(img.width, side);
  const H = Math.max(img.height, side);
  const xs = origins(W, side, side / 2);
  const ys = origins(H, side, side / 2);
  const spots = ys.flatMap((y) => xs.map((x) => [x, y] as const));
  // A raised cosine, never quite 0, so that a pixel only one tile covers still counts.
  const win = Float32Array.from({ length: side }, (_, i) => 0.01 + Math.sin((Math.PI * (i + 0.5)) / side) ** 2);
  const acc = new Float32Array(W * H * cout);
  const weight = new Float32Array(W * H);
  let done = 0;
  for (let s = 0; s < spots.length; s += batch) {
    const chunk = spots.slice(s, s + batch);
    const per = side * side * cin;
    const tiles = new Float32Array(chunk.length * per);
    chunk.forEach(([x0, y0], t) => {
      for (let y = 0; y < side; y++) {
        const sy = mirrorIndex(y0 + y, img.height);
        for (let x = 0; x < side; x++) {
          const sx = mirrorIndex(x0 + x, img.width);
          for (let c = 0; c < cin; c++) tiles[t * per + (y * side + x) * cin + c] = img.data[(sy * img.width + sx) * cin + c];
        }
      }
    });
    const out = await model.translateTiles(tiles, chunk.length, direction);
    const perOut = side * side * cout;
    chunk.forEach(([x0, y0], t) => {
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const w = win[y] * win[x];
          const p = (y0 + y) * W + x0 + x;
          weight[p] += w;
          for (let c = 0; c < cout; c++) acc[p * cout + c] += w * out[t * perOut + (y * side + x) * cout + c];
        }
      }
    });
    done += chunk.length;
    onProgress?.(done, spots.length);
  }
  const data = new Float32Array(img.width * img.height * cout);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const p = y * W + x;
      for (let c = 0; c < cout; c++) data[(y * img.width + x) * cout + c] = acc[p * cout + c] / weight[p];
    }
  }
  return { data, width: img.width, height: img.height, channels: cout };
}
