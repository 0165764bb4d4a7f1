/**
 * What a checkpoint's networks are. Pure and free of Node built-ins: the
 * trainers import it, and they also run in the desktop app's engine worker.
 */
import type { NetSpec } from './networks.js';
import type { SrSpec } from './superres/networks.js';

/** The networks a checkpoint holds: a GAN's, or a super-resolution model's. */
export type ModelSpec = NetSpec | SrSpec;

export function isSuperRes(spec: ModelSpec): spec is SrSpec {
  return (spec as SrSpec).task === 'superres';
}
