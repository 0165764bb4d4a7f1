/**
 * Checkpoint files: "GANCKPT1", a JSON header, float32 tensor data, and a
 * CRC-32 of all of it, so a damaged file is refused instead of loaded.
 */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../fsx.js';
import { StudioError } from '../errors.js';
import { upgradeStoredConfig, type TrainConfig } from './config.js';
import type { RngState } from './rng.js';
import type { NetSpec } from './networks.js';

const MAGIC = Buffer.from('GANCKPT1', 'ascii');
const VERSION = 1;

export interface TensorData {
  shape: number[];
  data: Float32Array;
}

export interface CheckpointData {
  step: number;
  config: TrainConfig;
  spec: NetSpec;
  rng: RngState;
  /** Optimizer iteration counts by optimizer name. */
  iterations: Record<string, number>;
  tensors: Map<string, TensorData>;
}

interface Header {
  version: number;
  step: number;
  config: TrainConfig;
  spec: NetSpec;
  rng: RngState;
  iterations: Record<string, number>;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

export function encodeCheckpoint(c: CheckpointData): Buffer[] {
  const entries: Header['tensors'] = [];
  let offset = 0;
  for (const [name, t] of c.tensors) {
    entries.push({ name, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length * 4;
  }
  const header: Header = {
    version: VERSION,
    step: c.step,
    config: c.config,
    spec: c.spec,
    rng: c.rng,
    iterations: c.iterations,
    tensors: entries,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const parts: Buffer[] = [MAGIC, len, json];
  for (const t of c.tensors.values()) parts.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  let crc = 0;
  for (const p of parts) crc = crc32(p, crc);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(crc >>> 0);
  parts.push(tail);
  return parts;
}

export function writeCheckpoint(path: string, c: CheckpointData): void {
  writeFileAtomic(path, encodeCheckpoint(c));
}

export function decodeCheckpoint(buf: Buffer, source = 'checkpoint'): CheckpointData {
  const bad = (why: string) => new StudioError(`${source} is damaged (${why}); use an earlier checkpoint`);
  if (buf.length < MAGIC.length + 8 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('not a GAN Studio checkpoint');
  const stored = buf.readUInt32LE(buf.length - 4);
  if ((crc32(buf.subarray(0, buf.length - 4)) >>> 0) !== stored) throw bad('checksum mismatch');
  const hlen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(start, start + hlen).toString('utf8')) as Header;
  } catch {
    throw bad('unreadable header');
  }
  if (header.version > VERSION) {
    throw new StudioError(`${source} was written by a newer GAN Studio (format ${header.version}); update the app`);
  }
  const data = start + hlen;
  const tensors = new Map<string, TensorData>();
  for (const e of header.tensors) {
    const from = data + e.offset;
    const to = from + e.length * 4;
    if (to > buf.length - 4) throw bad(`tensor ${e.name} is truncated`);
    // Copy out: the header's length leaves the data unaligned for a Float32Array view.
    const arr = new Float32Array(e.length);
    Buffer.from(arr.buffer).set(buf.subarray(from, to));
    tensors.set(e.name, { shape: e.shape, data: arr });
  }
  return {
    step: header.step,
    config: upgradeStoredConfig(header.config),
    spec: header.spec,
    rng: header.rng,
    iterations: header.iterations,
    tensors,
  };
}

export function readCheckpoint(path: string): CheckpointData {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new StudioError(`cannot read checkpoint ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return decodeCheckpoint(buf, `checkpoint ${path}`);
}
