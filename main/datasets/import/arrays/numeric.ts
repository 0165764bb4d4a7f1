/**
 * N-dimensional numeric arrays as the array formats store them (IDX, NumPy,
 * CIFAR), read in place from the file's bytes: images become the 8-bit HWC
 * pixels the importer takes, labels become class indices. Values are checked
 * against the ranges images come in (0–255, 0–1, −1–1) before any image is
 * made, so a wrongly scaled array is refused rather than imported black.
 */
import { StudioError } from '../../../errors.js';

export type DType = 'u1' | 'i1' | 'b1' | 'u2' | 'i2' | 'u4' | 'i4' | 'u8' | 'i8' | 'f2' | 'f4' | 'f8';

export const DTYPE_BYTES: Record<DType, number> = { u1: 1, i1: 1, b1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f2: 2, f4: 4, f8: 8 };

export interface NumArray {
  /** Where it came from, for messages: a file, or a file and a key of an .npz. */
  where: string;
  dtype: DType;
  littleEndian: boolean;
  shape: number[];
  /** Exactly the array's bytes (C order). */
  bytes: Uint8Array;
}

/** Images of one array, ready for the importer. */
export interface ImageArray {
  where: string;
  count: number;
  height: number;
  width: number;
  /** 1 or 3: an alpha channel is flattened onto the import's background. */
  channels: 1 | 3;
  /** Image i as 8-bit pixels, row by row, channels interleaved. */
  pixelsAt(i: number): Buffer;
  notes: string[];
}

export const invalid = (where: string, why: string) => new StudioError(`${where}: ${why}; nothing was imported`, 'INVALID_INPUT');

export const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** Element i of the array as a number (64-bit integers beyond 2^53 lose precision; no image or label needs them). */
export function reader(a: NumArray): (i: number) => number {
  const v = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  const le = a.littleEndian;
  switch (a.dtype) {
    case 'u1':
    case 'b1':
      return (i) => a.bytes[i];
    case 'i1':
      return (i) => v.getInt8(i);
    case 'u2':
      return (i) => v.getUint16(i * 2, le);
    case 'i2':
      return (i) => v.getInt16(i * 2, le);
    case 'u4':
      return (i) => v.getUint32(i * 4, le);
    case 'i4':
      return (i) => v.getInt32(i * 4, le);
    case 'u8':
      return (i) => Number(v.getBigUint64(i * 8, le));
    case 'i8':
      return (i) => Number(v.getBigInt64(i * 8, le));
    case 'f2':
      return (i) => half(v.getUint16(i * 2, le));
    case 'f4':
      return (i) => v.getFloat32(i * 4, le);
    case 'f8':
      return (i) => v.getFloat64(i * 8, le);
  }
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** value → 0–255 for the range the whole array lies in; refuses NaN and values outside every image range. */
function byteScale(a: NumArray): (x: number) => number {
  if (a.dtype === 'u1' || a.dtype === 'b1') return (x) => x;
  const get = reader(a);
  const n = product(a.shape);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = get(i);
    if (Number.isNaN(x)) throw invalid(a.where, `value ${i} is NaN`);
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const clamp = (x: number) => (x <= 0 ? 0 : x >= 255 ? 255 : Math.round(x));
  const float = a.dtype.startsWith('f');
  if (float && lo >= 0 && hi <= 1) return (x) => clamp(x * 255);
  if (float && lo >= -1 && hi <= 1) return (x) => clamp((x + 1) * 127.5);
  if (lo >= 0 && hi <= 255) return clamp;
  throw invalid(a.where, `values run from ${lo} to ${hi}; images must lie in 0–255, 0–1 or −1–1`);
}

/**
 * An array of images: [N, H, W] (grey), [N, H, W, C] or [N, C, H, W] with
 * C of 1, 3 or 4, or [N, D] of flattened images (D = S² grey, or 3·S² as
 * CIFAR's channel planes).
 */
export function imagesOf(a: NumArray, background: { r: number; g: number; b: number }): ImageArray {
  const notes: string[] = [];
  const s = a.shape;
  let count: number, height: number, width: number, ch: number, planar: boolean;
  const isC = (c: number) => c === 1 || c === 3 || c === 4;
  if (s.length === 3) [count, height, width, ch, planar] = [s[0], s[1], s[2], 1, false];
  else if (s.length === 4 && isC(s[3])) [count, height, width, ch, planar] = [s[0], s[1], s[2], s[3], false];
  else if (s.length === 4 && isC(s[1])) [count, ch, height, width, planar] = [s[0], s[1], s[2], s[3], true];
  else if (s.length === 2 && Number.isInteger(Math.sqrt(s[1])) && s[1] > 1) {
    [count, height, ch, planar] = [s[0], Math.sqrt(s[1]), 1, false];
    width = height;
    notes.push(`${a.where}: rows of ${s[1]} values read as ${height}×${height} grey images`);
  } else if (s.length === 2 && s[1] % 3 === 0 && Number.isInteger(Math.sqrt(s[1] / 3))) {
    [count, height, ch, planar] = [s[0], Math.sqrt(s[1] / 3), 3, true];
    width = height;
    notes.push(`${a.where}: rows of ${s[1]} values read as ${height}×${height} colour images, one channel plane after another (CIFAR's layout)`);
  } else {
    throw invalid(a.where, `an array of shape (${s.join(', ')}) is not images; expected (N, H, W), (N, H, W, C), (N, C, H, W) with C 1, 3 or 4, or (N, H·W)`);
  }
  if (count === 0) throw invalid(a.where, 'the array holds no images');
  if (height < 1 || width < 1) throw invalid(a.where, `images of ${height}×${width} pixels`);
  const scale = byteScale(a);
  const get = reader(a);
  const per = height * width * ch;
  const out = ch === 1 ? 1 : 3;
  const bg = [background.r, background.g, background.b];
  const direct = a.dtype === 'u1' && !planar && ch !== 4;
  return {
    where: a.where,
    count,
    height,
    width,
    channels: out,
    notes,
    pixelsAt(i: number): Buffer {
      const base = i * per;
      if (direct) return Buffer.from(a.bytes.buffer, a.bytes.byteOffset + base, per);
      const px = Buffer.allocUnsafe(height * width * out);
      const hw = height * width;
      for (let p = 0; p < hw; p++) {
        const at = (c: number) => scale(get(base + (planar ? c * hw + p : p * ch + c)));
        if (ch === 4) {
          const alpha = at(3) / 255;
          for (let c = 0; c < 3; c++) px[p * 3 + c] = Math.round(at(c) * alpha + bg[c] * (1 - alpha));
        } else {
          for (let c = 0; c < out; c++) px[p * out + c] = at(c);
        }
      }
      return px;
    },
  };
}

/**
 * Class indices from a label array: [N] integers (floats holding integers
 * are accepted) or [N, C] one-hot rows.
 */
export function labelsOf(a: NumArray): Int32Array {
  const get = reader(a);
  if (a.shape.length === 1) {
    const out = new Int32Array(a.shape[0]);
    for (let i = 0; i < out.length; i++) {
      const x = get(i);
      if (!Number.isInteger(x) || x < 0 || x > 100_000) throw invalid(a.where, `label ${i} is ${x}; labels must be whole numbers from 0`);
      out[i] = x;
    }
    return out;
  }
  if (a.shape.length === 2 && a.shape[1] >= 2) {
    const [n, c] = a.shape;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let hot = -1;
      for (let k = 0; k < c; k++) {
        const x = get(i * c + k);
        if (x === 1 && hot < 0) hot = k;
        else if (x !== 0) throw invalid(a.where, `row ${i} is not one-hot (a single 1 among 0s)`);
      }
      if (hot < 0) throw invalid(a.where, `row ${i} is not one-hot (a single 1 among 0s)`);
      out[i] = hot;
    }
    return out;
  }
  throw invalid(a.where, `an array of shape (${a.shape.join(', ')}) is not labels; expected (N) class numbers or (N, C) one-hot rows`);
}

/** Whether an array looks like labels rather than images. */
export const isLabelShape = (shape: number[]) => shape.length === 1 || (shape.length === 2 && shape[1] >= 2 && shape[1] <= 1000 && !Number.isInteger(Math.sqrt(shape[1])));
