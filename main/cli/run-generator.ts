import { useBackend } from '../engine/backends.js';
import { readCheckpoint, type CheckpointData } from '../families/run-checkpoint.js';
import type { BackendChoice } from '../engine/config.js';
import type { NoiseModel } from '../engine/sampling.js';
import type { LoadedModel } from '../families/family.js';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import { StudioError } from '../errors.js';
import { showDataset } from '../datasets/store.js';
import { studioHome } from '../runs/home.js';
import { RunStore, type RunRecord } from '../runs/store.js';

/** A run's newest readable checkpoint (or the one at `step`), with the backend made ready, for commands that use a trained model. */
export async function openRunCheckpoint(
  ref: string | undefined,
  command: string,
  backend: BackendChoice,
  step?: number,
): Promise<{ record: RunRecord; checkpoint: CheckpointData; classNames: string[] }> {
  if (!ref) throw new StudioError(`${command}: --run ID is required; \`gan-studio runs\` lists them`);
  const store = new RunStore(studioHome());
  let record, checkpoint, classNames;
  try {
    record = store.get(ref);
    if (step !== undefined) {
      const steps = store.checkpointSteps(record.id);
      if (!steps.includes(step)) throw new StudioError(`run ${record.id} has no checkpoint at step ${step}; it has ${steps.join(', ') || 'none'}`);
      checkpoint = readCheckpoint(store.checkpointPath(record.id, step));
    } else checkpoint = store.latestCheckpoint(record.id, (m) => console.error(`warning: skipped a damaged checkpoint: ${m}`));
    classNames = showDataset(store.db, record.config.dataset)?.classes ?? [];
  } finally {
    store.close();
  }
  if (!checkpoint) throw new StudioError(`run ${record.id} has no checkpoint yet; train it first`);
  await useBackend(backend);
  return { record, checkpoint, classNames };
}

/** A run's newest readable checkpoint as a model that draws from noise (its family refuses otherwise), for commands that draw images; the caller disposes it. */
export async function openRunGenerator(
  ref: string | undefined,
  command: string,
  backend: BackendChoice,
): Promise<{ record: RunRecord; step: number; trainer: NoiseModel & LoadedModel; classNames: string[] }> {
  const { record, checkpoint, classNames } = await openRunCheckpoint(ref, command, backend);
  const family = familyOfSpec(checkpoint.spec);
  requireCapability(family, 'sample', record.id);
  return { record, step: checkpoint.step, trainer: family.load(checkpoint) as NoiseModel & LoadedModel, classNames };
}
