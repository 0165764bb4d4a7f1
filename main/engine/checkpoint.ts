/** Checkpoint files: tensor files (tensor-file.ts) under the magic "GANCKPT1". */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fsx.js';
import { StudioError } from '../errors.js';
import { decodeTensorFile, encodeTensorFile, type TensorData } from './tensor-file.js';
import type { RngState } from './rng.js';

const MAGIC = Buffer.from('GANCKPT1', 'ascii');
const VERSION = 1;

export type { TensorData };

/**
 * A checkpoint as the engine sees it. Its settings and network shapes are
 * the family's: families/run-checkpoint.ts names their types and upgrades
 * settings an older version stored.
 */
export interface CheckpointData<Config extends object = object, Spec extends object = object> {
  step: number;
  config: Config;
  spec: Spec;
  rng: RngState;
  /** Optimizer iteration counts by optimizer name. */
  iterations: Record<string, number>;
  tensors: Map<string, TensorData>;
}

interface Header<Config, Spec> {
  version: number;
  step: number;
  config: Config;
  spec: Spec;
  rng: RngState;
  iterations: Record<string, number>;
}

export function encodeCheckpoint(c: CheckpointData): Buffer[] {
  const { step, config, spec, rng, iterations } = c;
  return encodeTensorFile(MAGIC, { version: VERSION, step, config, spec, rng, iterations }, c.tensors);
}

export function writeCheckpoint(path: string, c: CheckpointData): void {
  writeFileAtomic(path, encodeCheckpoint(c));
}

export function decodeCheckpoint<Config extends object, Spec extends object>(buf: Buffer, source = 'checkpoint', upgrade: (stored: Config) => Config = (c) => c): CheckpointData<Config, Spec> {
  const bad = (why: string) => new StudioError(`${source} is damaged (${why}); use an earlier checkpoint`);
  const { header, tensors } = decodeTensorFile<Header<Config, Spec>>(buf, MAGIC, { source, kind: 'checkpoint', version: VERSION, bad });
  return {
    step: header.step,
    config: upgrade(header.config),
    spec: header.spec,
    rng: header.rng,
    iterations: header.iterations,
    tensors,
  };
}

export function readCheckpoint<Config extends object, Spec extends object>(path: string, upgrade?: (stored: Config) => Config): CheckpointData<Config, Spec> {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new StudioError(`cannot read checkpoint ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return decodeCheckpoint<Config, Spec>(buf, `checkpoint ${path}`, upgrade);
}
