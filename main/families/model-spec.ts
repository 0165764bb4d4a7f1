/**
 * What a checkpoint's networks are, as a type: each family's spec. Pure,
 * for the trainers (which also run in the desktop app's engine worker) and
 * the renderer.
 */
import type { NetSpec } from '../engine/networks.js';
import type { SrSpec } from './superres/networks.js';
import type { TranslateSpec } from './translate/networks.js';
import type { TextSpec } from './text/networks.js';
import type { MlpSpec } from './mlp/networks.js';

/** The networks a checkpoint holds, one family's (a GAN's has no task; registry.ts's familyOfSpec reads it). */
export type ModelSpec = NetSpec | SrSpec | TranslateSpec | TextSpec | MlpSpec;
