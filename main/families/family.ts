/**
 * What a model family is to the rest of the studio: one of these per family,
 * listed once in registry.ts. Every question of the form "can this run do
 * X?" or "which trainer, which evaluation, which columns?" is asked of the
 * family a run's task names, never of the task's name itself (docs/families.md).
 */
import type { Dataset } from '../core/dataset.js';
import type { DatasetInfo } from '../datasets/store.js';
import type { Evaluation } from '../evaluation/evaluation.js';
import type { JudgeKind } from '../evaluation/judges.js';
import type { Judge, RealReference } from '../judges/index.js';
import type { CheckpointData, RunTrainer } from './run-checkpoint.js';
import type { TrainConfig } from './run-config.js';

/** What a trained model of a family can be asked to do. */
/** fine-tune: a new run on another dataset can start from its weights (New run's "Start from"). */
export const CAPABILITIES = ['sample', 'edit', 'upscale', 'translate', 'prompt', 'export-images', 'export-model', 'augment', 'fine-tune'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What an evaluation reads besides the checkpoint, each loaded once per worker and kept. */
export interface EvaluationSources {
  /** A dataset of the studio by name. */
  dataset(name: string): Dataset;
  /** The dataset's judge and its real reference: the scores of samples drawn from noise or a prompt. */
  judged(name: string): Promise<JudgedReference>;
}

export interface JudgedReference {
  judge: Judge;
  kind: JudgeKind;
  real: RealReference;
  data: Dataset;
}

/** A trained model loaded for generation jobs; disposed when another checkpoint replaces it. */
export interface LoadedModel {
  dispose(): void;
}

/**
 * A metrics column of the family's own, beside the shared ones (fid, kid, …):
 * added to the database by a migration of its own, filled from each
 * evaluation, and read back into one.
 */
export interface MetricColumns {
  readonly names: readonly string[];
  /** The columns' values for one evaluation (null for the ones it lacks). */
  write(e: Evaluation): Record<string, number | null>;
  /** The evaluation's part these columns hold, or null when the row has none of it. */
  read(row: Record<string, number | null>, number: (v: number | null) => number): Partial<Evaluation> | null;
}

export interface ModelFamily<Model extends LoadedModel = LoadedModel> {
  /** A run's config.task, and a checkpoint's spec.task (absent for the oldest family, 'generate'). */
  readonly task: string;
  /** For people: "super-resolution". */
  readonly label: string;
  /** What its runs do, said when one is asked for something it cannot: "it upscales images (gan-studio upscale)". */
  readonly does: string;
  readonly can: readonly Capability[];
  /**
   * Why the run's dataset(s) cannot train it, from their records alone (null
   * when they can): runs.create refuses such a run before it exists.
   */
  refuseData?(config: TrainConfig, dataset: (name: string) => DatasetInfo): string | null;
  /** A second dataset the run trains on besides config.dataset (CycleGAN's domain B), loaded and sent with it to whatever trains it. */
  secondDataset?(config: TrainConfig): string | null;
  createTrainer(config: TrainConfig, data: Dataset, from: CheckpointData | undefined, dataB: Dataset | null): RunTrainer;
  /**
   * The family's settings that shape its networks, beyond the shared ones
   * (task, model, zDim, width, spectralNorm): a fork whose values differ
   * cannot start from its parent's weights.
   */
  networkSettings?(config: TrainConfig): readonly unknown[];
  /** The model a checkpoint holds, for generation jobs (upscale, translate, sample, …). */
  load(c: CheckpointData): Model;
  /**
   * The family's parts that need Node (files, judges): its host.ts, loaded
   * when first asked for. The renderer's engine worker builds trainers from
   * this descriptor and never loads a host (renderer/vite.config.ts keeps
   * every host.ts out of its bundle).
   */
  host(): Promise<FamilyHost<Model>>;
  /** What to do with a finished run, as a command line: "gan-studio upscale --run ID IMAGE… --out DIR". */
  nextStep(run: string): string;
  readonly metricColumns?: MetricColumns;
  /** Checkpoint steps kept beside the newest however many come after (the end of a training phase, exportable on its own). */
  pinnedSteps?(config: TrainConfig): number[];
  /** A run's name when the user gives none: "emoji super-resolution ×4". */
  runName?(config: TrainConfig): string;
}

/** A picture given to a generation job: the file's bytes, its name for messages; check: read and measured only, nothing drawn. */
export interface ImageJob {
  image: Uint8Array;
  name: string;
  check: boolean;
}

export interface ImageJobResult {
  /** Empty for a check. */
  png: Uint8Array;
  width: number;
  height: number;
}

export type JobProgress = (done: number, total: number) => void;

/** Capability translate: a model's two directions, domain A to B and back (a one-way model has AtoB only). */
export const DIRECTIONS = ['AtoB', 'BtoA'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Capability prompt: a prompt's words the model does not know (ignored when drawing), and how many it does. */
export interface PromptWords {
  prompt: string;
  unknown: string[];
  known: number;
}

/** Capability prompt: prompt i drawn with latent i of z; with `out`, written there as PNGs and grid.png instead of answered. */
export interface PromptImagesJob {
  prompts: string[];
  z: Float32Array;
  out: string | null;
}

/** One latent along the line from one prompt's vector to another's, as an animated GIF. */
export interface PromptWalkJob {
  from: string;
  to: string;
  z: Float32Array;
  frames: number;
  fps: number;
  scale: number;
}

/** The words a model that takes prompts knows. */
export interface PromptVocabulary {
  words: string[];
  counts: number[];
  maxLen: number;
  encoderSteps: number;
  step: number;
}

/** A family's evaluation, export and generation jobs, in its host.ts. */
export interface FamilyHost<Model extends LoadedModel = LoadedModel> {
  /** Scores of the model at a checkpoint, in the evaluation worker. */
  evaluate(c: CheckpointData, step: number, sources: EvaluationSources): Promise<Evaluation>;
  /** Writes the model as a TensorFlow.js LayersModel (or several) into dir: the files written. */
  exportModel?(model: Model, dir: string, meta: Record<string, unknown>): Promise<string[]>;
  /** How to call what exportModel wrote, for people: "input z of 100 normal numbers". */
  exportedUse?(model: Model): string;
  /** Capability upscale: an image of any size made `scale` times larger, in tiles of `tile` px. */
  upscale?(model: Model, job: ImageJob & { tile: number }, progress: JobProgress): Promise<ImageJobResult & { inputWidth: number; inputHeight: number }>;
  /** Capability translate: an image translated in one of the model's directions; derive: make its input from a photo first (edges, a map). */
  translate?(model: Model, job: ImageJob & { direction: Direction; derive: boolean }, progress: JobProgress): Promise<ImageJobResult>;
  /** Capability prompt: images of prompts, a walk between two, the words the model knows. */
  prompt?(model: Model, job: PromptImagesJob): Promise<{ pngs: string[]; unknown: PromptWords[]; grid: string | null }>;
  promptWalk?(model: Model, job: PromptWalkJob): Promise<{ gif: Uint8Array; unknown: PromptWords[] }>;
  vocabulary?(model: Model): PromptVocabulary;
}
