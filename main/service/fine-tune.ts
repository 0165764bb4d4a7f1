/**
 * A run started from an earlier run's weights on another dataset
 * (fine-tuning, with FreezeD as an option): what it may change, what it
 * keeps of its parent, and the checkpoint it starts from.
 */
import type { DatasetInfo } from '../datasets/store.js';
import { NetPair } from '../engine/net-pair.js';
import { StudioError } from '../errors.js';
import { article, familyOfConfig, requireCapability } from '../families/registry.js';
import type { CheckpointData } from '../families/run-checkpoint.js';
import { resolveConfig, type TrainConfig, type TrainConfigInput } from '../families/run-config.js';
import type { FineTuneOrigin } from '../runs/fine-tunes.js';
import type { RunRecord } from '../runs/store.js';

/** The shared settings that shape the networks: what a fine-tuned run takes of its parent, and a fork must keep to start from its weights. */
export const ARCHITECTURE = ['task', 'model', 'zDim', 'width', 'spectralNorm'] as const;

/** Whether two runs' networks have the same shapes: the shared settings above and the family's own (its widths, blocks, scale). */
export function sameNetworks(a: TrainConfig, b: TrainConfig): boolean {
  const own = (c: TrainConfig) => JSON.stringify(familyOfConfig(c).networkSettings?.(c) ?? []);
  return ARCHITECTURE.every((k) => a[k] === b[k]) && own(a) === own(b);
}

const refuse = (message: string) => new StudioError(message, 'INVALID_INPUT');

const describe = (size: number, channels: number) => `${size} px ${channels === 3 ? 'colour' : 'grey'}`;

/**
 * The resolved settings and first checkpoint of a run that starts from
 * `parent`'s newest checkpoint on the dataset `input` names: same family,
 * networks and resolution; fresh optimisers, step 0, its own seed.
 */
export function fineTuneStart(
  parent: RunRecord,
  checkpoint: CheckpointData | null,
  input: TrainConfigInput,
  dataset: DatasetInfo,
): { config: TrainConfig; start: () => CheckpointData; origin: FineTuneOrigin } {
  const family = familyOfConfig(parent.config);
  requireCapability(family, 'fine-tune', parent.id);
  if ((input.task ?? 'generate') !== parent.config.task) {
    throw refuse(`run ${parent.id} is ${article(family.label)} ${family.label} run: a run started from it trains one too (task ${parent.config.task})`);
  }
  if (!checkpoint) throw refuse(`run ${parent.id} has no checkpoint yet to start from; train it to its first checkpoint (every ${parent.config.checkpointEvery} steps)`);
  const spec = checkpoint.spec as { size?: number; channels?: number };
  if (spec.size !== dataset.size || spec.channels !== dataset.channels) {
    throw refuse(
      `run ${parent.id} was trained on ${describe(spec.size ?? 0, spec.channels ?? 0)} images and dataset ${dataset.name} has ${describe(dataset.size, dataset.channels)} ones: a fine-tuned run keeps its parent's resolution (import the dataset at ${spec.size} px)`,
    );
  }
  const kept = Object.fromEntries(ARCHITECTURE.map((k) => [k, parent.config[k]]));
  const config = resolveConfig({ ...input, ...kept } as TrainConfigInput);
  if (!sameNetworks(config, parent.config)) {
    throw refuse(`a run started from ${parent.id} keeps its networks: leave its ${family.label} network settings as they are`);
  }
  return {
    config,
    // Built only for a run that is made: runs.estimate checks the same settings as the form changes.
    start: () => NetPair.startFrom(checkpoint, config, config.seed),
    origin: { parentId: parent.id, parentName: parent.name, parentDataset: parent.config.dataset, parentStep: checkpoint.step, freezeD: config.freezeD },
  };
}
