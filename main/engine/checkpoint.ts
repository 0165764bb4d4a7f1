/** Checkpoint files: tensor files (tensor-file.ts) under the magic "GANCKPT1". */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fsx.js';
import { StudioError } from '../errors.js';
import { decodeTensorFile, encodeTensorFile, type TensorData } from './tensor-file.js';
import { upgradeStoredConfig, type TrainConfig } from './config.js';
import type { RngState } from './rng.js';
import type { ModelSpec } from './model-spec.js';

export { isGenerator, isSuperRes, isTextToImage, isTranslation, type ModelSpec } from './model-spec.js';

const MAGIC = Buffer.from('GANCKPT1', 'ascii');
const VERSION = 1;

export type { TensorData };

export interface CheckpointData {
  step: number;
  config: TrainConfig;
  spec: ModelSpec;
  rng: RngState;
  /** Optimizer iteration counts by optimizer name. */
  iterations: Record<string, number>;
  tensors: Map<string, TensorData>;
}

interface Header {
  version: number;
  step: number;
  config: TrainConfig;
  spec: ModelSpec;
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

export function decodeCheckpoint(buf: Buffer, source = 'checkpoint'): CheckpointData {
  const bad = (why: string) => new StudioError(`${source} is damaged (${why}); use an earlier checkpoint`);
  const { header, tensors } = decodeTensorFile<Header>(buf, MAGIC, { source, kind: 'checkpoint', version: VERSION, bad });
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
