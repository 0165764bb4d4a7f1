/**
 * What a checkpoint's networks are. Pure and free of Node built-ins: the
 * trainers import it, and they also run in the desktop app's engine worker.
 */
import type { NetSpec } from '../engine/networks.js';
import type { SrSpec } from './superres/networks.js';
import type { TranslateSpec } from './translate/networks.js';
import type { TextSpec } from './text/networks.js';
import type { MlpSpec } from './mlp/networks.js';

/** The networks a checkpoint holds: a GAN's, a super-resolution model's, or a translation model's. */
export type ModelSpec = NetSpec | SrSpec | TranslateSpec | TextSpec | MlpSpec;

export function isSuperRes(spec: ModelSpec): spec is SrSpec {
  return (spec as SrSpec).task === 'superres';
}

export function isTranslation(spec: ModelSpec): spec is TranslateSpec {
  const task = (spec as TranslateSpec).task;
  return task === 'pix2pix' || task === 'cyclegan';
}

export function isTextToImage(spec: ModelSpec): spec is TextSpec {
  return (spec as TextSpec).task === 'text2image';
}

/** Whether a checkpoint's model generates from noise alone (or a class) rather than from a prompt or an image. */
export function isGenerator(spec: ModelSpec): spec is NetSpec {
  return !isSuperRes(spec) && !isTranslation(spec) && !isTextToImage(spec);
}
