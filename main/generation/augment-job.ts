/**
 * The generation worker's augmentation-study cells: the dataset read once
 * per home and name and kept for the study's next cell, the run's generator
 * as the worker keeps it for every request.
 */
import { useBackend } from '../engine/backends.js';
import type { Trainer } from '../families/gan/trainer.js';
import { loadDataset } from '../datasets/index.js';
import type { Dataset } from '../core/dataset.js';
import { openDatabase } from '../db/database.js';
import { databasePath } from '../db/database.js';
import { runCell } from '../studies/cell.js';
import type { GenerationRequest, GenerationResults, WorkerProgress } from './protocol.js';

let data: { key: string; dataset: Dataset } | null = null;
let ready: Promise<unknown> | null = null;

function datasetOf(home: string, name: string): Dataset {
  const key = `${home}\0${name}`;
  if (data?.key === key) return data.dataset;
  const db = openDatabase(databasePath(home));
  try {
    data = { key, dataset: loadDataset(db, home, name) };
    return data.dataset;
  } finally {
    db.close();
  }
}

export async function augmentCellJob(
  r: Extract<GenerationRequest, { kind: 'augment-cell' }>,
  generator: Trainer | null,
  progress: (p: WorkerProgress) => void,
  cancelled: () => boolean,
): Promise<GenerationResults['augment-cell']> {
  ready ??= useBackend('auto');
  await ready;
  const arms = await runCell(datasetOf(r.home, r.dataset), r.subset, generator, r.settings, (p) => progress({ done: p.done, total: p.total }), cancelled);
  return { arms };
}
