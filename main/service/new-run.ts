/**
 * What a new run would train with, checked before anything is made: its
 * dataset, the classes a conditional model or a subset needs, the run it is
 * fine-tuned from, and whatever its family refuses of its data. runs.create
 * and runs.estimate ask the same, so an estimate is refused as the run would be.
 */
import { checkDatasetName } from '../datasets/index.js';
import type { DatasetDetail } from '../datasets/store.js';
import { StudioError } from '../errors.js';
import { familyOfConfig } from '../families/registry.js';
import { resolveConfig, type TrainConfigInput } from '../families/run-config.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import { fineTuneStart } from './fine-tune.js';

export interface NewRunContext {
  store: RunStore;
  run(id: string): RunRecord;
  dataset(name: string): DatasetDetail;
}

const fail = (message: string) => new StudioError(message, 'INVALID_INPUT');

export function checkNewRun(ctx: NewRunContext, config: TrainConfigInput, from?: string) {
  checkDatasetName(ctx.store.db, config.dataset);
  const parent = from === undefined ? null : ctx.run(from);
  const model = parent ? parent.config.model : config.model;
  if ((model === 'cdcgan' || config.subset) && ctx.dataset(config.dataset).classes.length < 2) {
    throw fail(`dataset ${config.dataset} has no classes (import a folder with one subfolder per class); ${config.subset ? 'a subset of K images per class needs them' : 'train it with model dcgan'}`);
  }
  if (!parent && config.freezeD) throw fail("freezeD holds D's first blocks at the weights of the run this one starts from: give that run (from, or --from)");
  const tuned = parent && fineTuneStart(parent, ctx.store.latestCheckpoint(parent.id), config, ctx.dataset(config.dataset));
  const resolved = tuned ? tuned.config : resolveConfig(config);
  const refused = familyOfConfig(resolved).refuseData?.(resolved, (n) => {
    checkDatasetName(ctx.store.db, n);
    return ctx.dataset(n);
  });
  if (refused) throw fail(refused);
  return { resolved, parent, tuned };
}
