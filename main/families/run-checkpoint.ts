/** A run's checkpoint with its family's types: the settings (upgraded from what an older version stored) and the networks' shapes. */
import * as engine from '../engine/checkpoint.js';
import { upgradeStoredConfig, type TrainConfig } from './run-config.js';
import type { ModelSpec } from './model-spec.js';
import type { StepEvent, StepSink, StepTrainer } from '../engine/step-loop.js';

export { encodeCheckpoint, writeCheckpoint, type TensorData } from '../engine/checkpoint.js';
export type { ModelSpec };

export type CheckpointData = engine.CheckpointData<TrainConfig, ModelSpec>;

export function decodeCheckpoint(buf: Buffer, source?: string): CheckpointData {
  return engine.decodeCheckpoint<TrainConfig, ModelSpec>(buf, source, upgradeStoredConfig);
}

export function readCheckpoint(path: string): CheckpointData {
  return engine.readCheckpoint<TrainConfig, ModelSpec>(path, upgradeStoredConfig);
}

/** A trainer of any family, as the step loop and its hosts hold it. */
export type RunTrainer = StepTrainer<CheckpointData>;
export type RunStepEvent = StepEvent<CheckpointData>;
export type RunStepSink = StepSink<CheckpointData>;
