/**
 * Judge files: "GANJUDG1", a JSON header (spec, classes, accuracy, held-out
 * indices, tensor table), float32 weights, and a CRC-32 of all of it, the
 * layout of the engine's checkpoints, so a damaged file is refused rather
 * than silently giving wrong distances. Written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { tf } from '../engine/tf.js';
import { Rng } from '../engine/rng.js';
import { writeFileAtomic } from '../fsx.js';
import { StudioError } from '../errors.js';
import { createJudge, judgeSpec, type JudgeSpec } from './network.js';
import { judgeDigest, type Judge, type JudgeInfo } from './judge.js';

const MAGIC = Buffer.from('GANJUDG1', 'ascii');
const VERSION = 1;

interface Header {
  version: number;
  id: string;
  spec: JudgeSpec;
  classNames: string[];
  accuracy: number;
  heldOut: number[];
  info: JudgeInfo;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

export function encodeJudge(judge: Judge): Buffer[] {
  const tensors: Header['tensors'] = [];
  const data: Float32Array[] = [];
  let offset = 0;
  for (const [name, v] of judge.params.all()) {
    const d = v.dataSync() as Float32Array;
    tensors.push({ name, shape: v.shape, offset, length: d.length });
    data.push(d);
    offset += d.length * 4;
  }
  const header: Header = {
    version: VERSION,
    id: judge.id,
    spec: judge.spec,
    classNames: judge.classNames,
    accuracy: judge.accuracy,
    heldOut: Array.from(judge.heldOut),
    info: judge.info,
    tensors,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const parts: Buffer[] = [MAGIC, len, json, ...data.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength))];
  let crc = 0;
  for (const p of parts) crc = crc32(p, crc);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(crc >>> 0);
  parts.push(tail);
  return parts;
}

export function saveJudge(path: string, judge: Judge): void {
  writeFileAtomic(path, encodeJudge(judge));
}

export function decodeJudge(buf: Buffer, source = 'judge file'): Judge {
  const bad = (why: string) => new StudioError(`${source} is damaged (${why}); it cannot be used to judge samples`);
  if (buf.length < MAGIC.length + 8 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('not a GAN Studio judge');
  if ((crc32(buf.subarray(0, buf.length - 4)) >>> 0) !== buf.readUInt32LE(buf.length - 4)) throw bad('checksum mismatch');
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
  let spec: JudgeSpec;
  try {
    // Rebuilt from its parts, so a file can only describe a network this code builds.
    spec = judgeSpec(header.spec.size, header.spec.channels, header.spec.numClasses, header.spec.features);
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (JSON.stringify(spec) !== JSON.stringify(header.spec)) throw bad('network layout from another version');
  const params = createJudge(spec, Rng.fromSeed(0));
  try {
    const expected = params.all();
    if (header.tensors.length !== expected.size) throw bad(`${header.tensors.length} tensors, expected ${expected.size}`);
    const base = start + hlen;
    for (const e of header.tensors) {
      const v = expected.get(e.name);
      if (!v || v.shape.join() !== e.shape.join() || e.length !== v.size) throw bad(`unexpected tensor ${e.name} [${e.shape}]`);
      const from = base + e.offset;
      const to = from + e.length * 4;
      if (from < base || to > buf.length - 4) throw bad(`tensor ${e.name} is truncated`);
      // Copied out: the header's length leaves the data unaligned for a Float32Array view.
      const arr = new Float32Array(e.length);
      Buffer.from(arr.buffer).set(buf.subarray(from, to));
      tf.tidy(() => v.assign(tf.tensor(arr, e.shape)));
    }
    const id = judgeDigest(spec, params);
    if (id !== header.id) throw bad('weights do not match their digest');
    return {
      spec,
      params,
      classNames: header.classNames,
      accuracy: header.accuracy,
      heldOut: Int32Array.from(header.heldOut),
      info: header.info,
      id,
    };
  } catch (err) {
    params.dispose();
    throw err;
  }
}

export function loadJudge(path: string): Judge {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new StudioError(`cannot read judge file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return decodeJudge(buf, `judge file ${path}`);
}

/** Judges shipped with the studio, by dataset name. */
const BUILTIN_JUDGES: Record<string, string> = {
  'builtin:mnist': 'mnist.judge',
};

export const hasBuiltinJudge = (dataset: string) => Object.hasOwn(BUILTIN_JUDGES, dataset);

/**
 * resources/judges/ at the repository root, found from this module whether it
 * runs compiled (dist/main/judges/) or from source (main/judges/).
 */
export function builtinJudgePath(dataset: string): string {
  const file = BUILTIN_JUDGES[dataset];
  if (!file) throw new StudioError(`no judge ships with the studio for ${dataset}; train one from the dataset's labels`, 'NOT_FOUND');
  const candidates = ['../../../resources/judges/', '../../resources/judges/'].map((dir) => fileURLToPath(new URL(dir + file, import.meta.url)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** A fresh copy of a shipped judge; the caller disposes it. */
export function builtinJudge(dataset: string): Judge {
  return loadJudge(builtinJudgePath(dataset));
}
