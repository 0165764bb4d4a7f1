/**
 * NumPy's .npy (format versions 1–3: magic, a header length, a Python dict
 * literal with descr, fortran_order and shape, then the raw values) and
 * .npz (a zip of .npy files, stored or deflated; np.savez and
 * np.savez_compressed), read from memory.
 */
import yauzl from 'yauzl';
import { messageOf } from '../../../errors.js';
import { DTYPE_BYTES, invalid, product, type DType, type NumArray } from './numeric.js';

const MAGIC = '\x93NUMPY';

export function parseNpy(where: string, b: Uint8Array): NumArray {
  const text = (from: number, to: number) => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
  if (b.length < 10 || text(0, 6) !== MAGIC) throw invalid(where, 'not a NumPy .npy file (it does not start with \\x93NUMPY)');
  const major = b[6];
  if (major < 1 || major > 3) throw invalid(where, `.npy format version ${major}.${b[7]} is not one this reader knows (1 to 3)`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + headerLen;
  if (start > b.length) throw invalid(where, 'the .npy header is cut short');
  const header = major === 3 ? Buffer.from(b.buffer, b.byteOffset + 8 + lenBytes, headerLen).toString('utf8') : text(8 + lenBytes, start);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw invalid(where, `the .npy header is not the dict NumPy writes: ${header.trim().slice(0, 120)}`);
  if (fortran === 'True') throw invalid(where, 'the array is in Fortran order; save it with np.ascontiguousarray(x) first');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw invalid(where, `the shape (${shapeText}) is not a list of sizes`);
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  // NumPy's type strings: '|u1', '<f4', '>i2', '|b1' (bool).
  const dtype = m ? `${m[2]}${m[3]}` : '';
  if (!(dtype in DTYPE_BYTES)) {
    throw invalid(where, `values of type ${descr} cannot be images or labels; use unsigned bytes (uint8), integers or floats`);
  }
  const fixed = dtype as DType;
  const need = product(shape) * DTYPE_BYTES[fixed];
  const have = b.length - start;
  if (have < need) throw invalid(where, `truncated: shape (${shape.join(', ')}) of ${descr} needs ${need.toLocaleString('en')} bytes of values, the file has ${have.toLocaleString('en')}`);
  return { where, dtype: fixed, littleEndian: m?.[1] !== '>', shape, bytes: b.subarray(start, start + need) };
}

/** Every array of an .npz, by its name without .npy, in the archive's order. */
export async function parseNpz(where: string, b: Buffer, maxBytes: number): Promise<Map<string, NumArray>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(b, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err || !z ? reject(invalid(where, `not a readable .npz (zip) archive: ${messageOf(err)}`)) : resolve(z))),
  );
  const out = new Map<string, NumArray>();
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (err: Error) => reject(invalid(where, `the archive is damaged: ${messageOf(err)}`)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      total += entry.uncompressedSize;
      if (total > maxBytes) return reject(invalid(where, `the arrays unpack to more than ${maxBytes.toLocaleString('en')} bytes, more than one array file may hold`));
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(invalid(where, `${entry.fileName} cannot be read: ${messageOf(err)}`));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (e: Error) => reject(invalid(where, `${entry.fileName} is damaged: ${messageOf(e)}`)));
        stream.on('end', () => {
          const key = entry.fileName.replace(/\.npy$/i, '');
          try {
            out.set(key, parseNpy(`${where}:${key}`, Buffer.concat(chunks)));
          } catch (e) {
            return reject(e);
          }
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  }).finally(() => zip.close());
  if (out.size === 0) throw invalid(where, 'the .npz holds no arrays');
  return out;
}
