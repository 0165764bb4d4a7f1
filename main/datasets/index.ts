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

export function loadDataset(name: string): Dataset {
  const load = BUILTIN[name];
  if (!load) {
    throw new StudioError(`unknown dataset "${name}"; available: ${builtinDatasetNames().join(', ')}`);
  }
  return load();
}
