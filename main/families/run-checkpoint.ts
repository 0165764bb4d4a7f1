/** A run's checkpoint with its family's types: the settings (upgraded from what an older version stored) and the networks' shapes. */
import * as engine from '../engine/checkpoint.js';
import { upgradeStoredConfig, type TrainConfig } from './run-config.js';
import type { StepEvent, StepSink, StepTrainer } from '../engine/step-loop.js';

export { encodeCheckpoint, writeCheckpoint, type TensorData } from '../engine/checkpoint.js';
/**
 * The networks a checkpoint holds, as its family wrote them: each family
 * reads its own spec (a GAN's names no task; every later family's names its
 * task, which registry.ts's familyOfSpec reads).
 */
export type ModelSpec = object;

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
