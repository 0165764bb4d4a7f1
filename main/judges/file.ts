/**
 * Judge files: "GANJUDG1", a JSON header (spec, classes, accuracy, held-out
 * indices, tensor table), float32 weights, and a CRC-32 of all of it, the
 * layout of the engine's checkpoints, so a damaged file is refused rather
 * than silently giving wrong distances. Written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tf } from '../engine/tf.js';
import { Rng } from '../engine/rng.js';
import { writeFileAtomic } from '../fsx.js';
import { decodeTensorFile, encodeTensorFile, type TensorData } from '../engine/tensor-file.js';
import { StudioError } from '../errors.js';
import { createJudge, judgeSpec, type JudgeSpec } from './network.js';
import { judgeDigestOf, type Judge, type JudgeInfo } from './judge.js';

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
}

export async function encodeJudge(judge: Judge): Promise<Buffer[]> {
  const tensors = new Map<string, TensorData>();
  for (const [name, v] of judge.params.all()) tensors.set(name, { shape: v.shape, data: (await v.data()) as Float32Array });
  const { id, spec, classNames, accuracy, info } = judge;
  return encodeTensorFile(MAGIC, { version: VERSION, id, spec, classNames, accuracy, heldOut: Array.from(judge.heldOut), info }, tensors);
}

export async function saveJudge(path: string, judge: Judge): Promise<void> {
  writeFileAtomic(path, await encodeJudge(judge));
}

export function decodeJudge(buf: Buffer, source = 'judge file'): Judge {
  const bad = (why: string) => new StudioError(`${source} is damaged (${why}); it cannot be used to judge samples`);
  const { header, tensors } = decodeTensorFile<Header>(buf, MAGIC, { source, kind: 'judge', version: VERSION, bad });
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
    if (tensors.size !== expected.size) throw bad(`${tensors.size} tensors, expected ${expected.size}`);
    for (const [name, t] of tensors) {
      const v = expected.get(name);
      if (!v || v.shape.join() !== t.shape.join() || t.data.length !== v.size) throw bad(`unexpected tensor ${name} [${t.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(t.data, t.shape)));
    }
    // From the file's own float32 values, in the network's parameter order, as
    // judgeDigest reads them back from the backend: no read of the device.
    const id = judgeDigestOf(spec, [...expected.keys()].map((name) => [name, tensors.get(name)!.data] as const));
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
