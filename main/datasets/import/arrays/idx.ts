/**
 * IDX, the format MNIST, Fashion-MNIST, EMNIST and KMNIST ship in: two zero
 * bytes, a type code, the number of dimensions, each dimension as a
 * big-endian 32-bit count, then the values, big-endian. The sizes the header
 * promises are checked against the bytes there are.
 */
import { DTYPE_BYTES, invalid, product, type DType, type NumArray } from './numeric.js';

const TYPES: Record<number, DType> = { 0x08: 'u1', 0x09: 'i1', 0x0b: 'i2', 0x0c: 'i4', 0x0d: 'f4', 0x0e: 'f8' };

/** Names IDX files go by: train-images-idx3-ubyte, t10k-labels.idx1-ubyte, emnist-letters-train-images-idx3-ubyte, *.idx. */
export const IDX_NAME = /[-.]idx\d-ubyte$|\.idx\d?$/i;

export function parseIdx(where: string, b: Uint8Array): NumArray {
  if (b.length < 4) throw invalid(where, `${b.length} bytes is too short for an IDX header`);
  if (b[0] === 0x1f && b[1] === 0x8b) throw invalid(where, 'the file is gzip-compressed; name it .gz or unpack it');
  const dtype = TYPES[b[2]];
  if (b[0] !== 0 || b[1] !== 0 || !dtype || b[3] < 1 || b[3] > 4) {
    const magic = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw invalid(where, `not an IDX file: it starts ${magic}, where IDX starts 00 00, a type code (08 for bytes) and the number of dimensions (1 to 4)`);
  }
  const dims = b[3];
  const header = 4 + 4 * dims;
  if (b.length < header) throw invalid(where, `the header is cut short: ${dims} dimensions need ${header} bytes, the file has ${b.length}`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const need = product(shape) * DTYPE_BYTES[dtype];
  const have = b.length - header;
  if (have < need) {
    throw invalid(where, `truncated: the header promises (${shape.join(' × ')}) values, ${(need + header).toLocaleString('en')} bytes, and the file has ${b.length.toLocaleString('en')}`);
  }
  if (have > need) throw invalid(where, `${(have - need).toLocaleString('en')} bytes more than the header's (${shape.join(' × ')}) values`);
  return { where, dtype, littleEndian: false, shape, bytes: b.subarray(header) };
}

/** The labels file an images file pairs with: train-images-idx3-ubyte → train-labels-idx1-ubyte. */
export function idxLabelsName(imagesName: string): string | null {
  if (!/images/i.test(imagesName)) return null;
  return imagesName.replace(/images/i, (m) => (m === 'IMAGES' ? 'LABELS' : 'labels')).replace(/idx[34]/i, 'idx1');
}
