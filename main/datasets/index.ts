import { StudioError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { loadMnist } from './mnist.js';

export type { Dataset } from './dataset.js';

const BUILTIN: Record<string, () => Dataset> = {
  'builtin:mnist': loadMnist,
};

export function builtinDatasetNames(): string[] {
  return Object.keys(BUILTIN);
}

/** Refuses an unknown dataset name before any work starts. */
export function checkDatasetName(name: string): void {
  if (!Object.hasOwn(BUILTIN, name)) {
    throw new StudioError(`unknown dataset "${name}"; available: ${builtinDatasetNames().join(', ')}`);
  }
}

export function loadDataset(name: string): Dataset {
  checkDatasetName(name);
  return BUILTIN[name]();
}
