/**
 * A dataset as one byte string, for a worker on another machine: a JSON
 * header (shape, class names, captions) and the pixel and label arrays. Its
 * SHA-256 names it, so a worker that has trained on it keeps it once.
 */
import type { Dataset } from '../core/dataset.js';
import type { Vocabulary } from '../core/tokens.js';
import { StudioError } from '../errors.js';
import { sha256 } from './blobs.js';

const MAGIC = Buffer.from('GANDSET1', 'ascii');

interface Header {
  name: string;
  size: number;
  channels: 1 | 3;
  count: number;
  classNames: string[];
  labelled: boolean;
  captions: { texts: string[]; image: number[]; vocab: Vocabulary } | null;
}

export function packDataset(d: Dataset): { parts: Buffer[]; hash: string; bytes: number } {
  const header: Header = {
    name: d.name,
    size: d.size,
    channels: d.channels,
    count: d.count,
    classNames: d.classNames,
    labelled: d.labels !== null,
    captions: d.captions ? { texts: d.captions.texts, image: Array.from(d.captions.image), vocab: d.captions.vocab } : null,
  };
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const parts = [MAGIC, len, json, Buffer.from(d.pixels.buffer, d.pixels.byteOffset, d.pixels.byteLength)];
  if (d.labels) parts.push(Buffer.from(d.labels.buffer, d.labels.byteOffset, d.labels.byteLength));
  return { parts, hash: sha256(parts), bytes: parts.reduce((n, p) => n + p.length, 0) };
}

export function unpackDataset(buf: Buffer): Dataset {
  const bad = (why: string) => new StudioError(`the dataset received is damaged (${why})`);
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) throw bad('not a packed dataset');
  const n = buf.readUInt32LE(8);
  if (12 + n > buf.length) throw bad('header cut short');
  const h = JSON.parse(buf.subarray(12, 12 + n).toString('utf8')) as Header;
  const pixels = h.size * h.size * h.channels * h.count;
  const labels = h.labelled ? h.count * 4 : 0;
  if (buf.length !== 12 + n + pixels + labels) throw bad(`${buf.length} bytes, ${12 + n + pixels + labels} expected`);
  const at = 12 + n;
  // Copies: the arrays must start on their own aligned buffers.
  return {
    name: h.name,
    size: h.size,
    channels: h.channels,
    count: h.count,
    pixels: new Uint8Array(buf.subarray(at, at + pixels)),
    labels: h.labelled ? new Int32Array(new Uint8Array(buf.subarray(at + pixels)).buffer) : null,
    classNames: h.classNames,
    captions: h.captions ? { texts: h.captions.texts, image: Int32Array.from(h.captions.image), vocab: h.captions.vocab } : null,
  };
}
