/**
 * The studio's file of float32 tensors: an 8-byte magic, a JSON header with
 * a tensor table, the tensors' data, and a CRC-32 of all of it, so a damaged
 * file is refused instead of loaded. Checkpoints and judges are written so.
 */
import { crc32 } from 'node:zlib';
import { StudioError } from '../errors.js';

export interface TensorData {
  shape: number[];
  data: Float32Array;
}

interface TableEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** `fields` (with its format version) become the header; the tensor table is added to it. */
export function encodeTensorFile(magic: Buffer, fields: { version: number } & Record<string, unknown>, tensors: Map<string, TensorData>): Buffer[] {
  const table: TableEntry[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    table.push({ name, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length * 4;
  }
  const json = Buffer.from(JSON.stringify({ ...fields, tensors: table }), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const parts: Buffer[] = [magic, len, json];
  for (const t of tensors.values()) parts.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  let crc = 0;
  for (const p of parts) crc = crc32(p, crc);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(crc >>> 0);
  parts.push(tail);
  return parts;
}

/**
 * The header and tensors of a file, checked: magic, checksum, a readable
 * header, a version this code knows, tensors inside the file.
 * `bad(why)` makes the error for a damaged file in the caller's words.
 */
export function decodeTensorFile<H extends { version: number }>(
  buf: Buffer,
  magic: Buffer,
  opts: { source: string; kind: string; version: number; bad: (why: string) => StudioError },
): { header: H; tensors: Map<string, TensorData> } {
  const { bad } = opts;
  if (buf.length < magic.length + 8 || !buf.subarray(0, magic.length).equals(magic)) throw bad(`not a GAN Studio ${opts.kind}`);
  if ((crc32(buf.subarray(0, buf.length - 4)) >>> 0) !== buf.readUInt32LE(buf.length - 4)) throw bad('checksum mismatch');
  const hlen = buf.readUInt32LE(magic.length);
  const start = magic.length + 4;
  let header: H & { tensors: TableEntry[] };
  try {
    header = JSON.parse(buf.subarray(start, start + hlen).toString('utf8')) as H & { tensors: TableEntry[] };
  } catch {
    throw bad('unreadable header');
  }
  if (header.version > opts.version) {
    throw new StudioError(`${opts.source} was written by a newer GAN Studio (format ${header.version}); update the app`);
  }
  const base = start + hlen;
  const tensors = new Map<string, TensorData>();
  for (const e of header.tensors) {
    const from = base + e.offset;
    const to = from + e.length * 4;
    if (from < base || to > buf.length - 4) throw bad(`tensor ${e.name} is truncated`);
    // Copied out: the header's length leaves the data unaligned for a Float32Array view.
    const arr = new Float32Array(e.length);
    Buffer.from(arr.buffer).set(buf.subarray(from, to));
    tensors.set(e.name, { shape: e.shape, data: arr });
  }
  return { header, tensors };
}
