/** Requests to the generation worker, which draws images from checkpoints off the service's thread. */
import type { Direction, PromptImagesJob, PromptVocabulary, PromptWalkJob, PromptWords } from '../families/family.js';
import type { ImageExport } from '../export/images.js';
import type { AttributeDirection } from '../latent/attribute-directions.js';
import type { Weights } from '../latent/project.js';
import type { Subset } from '../datasets/subset.js';
import type { ArmResult, CellSettings } from '../studies/cell.js';

export type { PromptWords };

export interface CheckpointRef {
  path: string;
  step: number;
}

export type GenerationRequest =
  /** classLabel null: a conditional model cycles through its classes. */
  | { kind: 'images'; ckpt: CheckpointRef; z: Float32Array; classLabel: number | null; psi: number }
  | { kind: 'directions'; ckpt: CheckpointRef; k: number; samples: number; seed: number }
  | { kind: 'walk'; ckpt: CheckpointRef; keyframes: Float32Array[]; classLabel: number | null; frames: number; spherical: boolean; fps: number; scale: number; psi: number }
  | ({ kind: 'export-images'; ckpt: CheckpointRef } & ImageExport)
  | { kind: 'export-model'; ckpt: CheckpointRef; dir: string; meta: Record<string, unknown> }
  /** A super-resolution run's model on one image file's bytes, in tiles of `tile` low-resolution pixels; `check`: only read and check it (png empty). */
  | { kind: 'upscale'; ckpt: CheckpointRef; image: Uint8Array; name: string; tile: number; check: boolean }
  /** A translation run's model on one image file's bytes, in overlapping tiles of its training size; `check`: only read and check it (png empty). */
  | { kind: 'translate'; ckpt: CheckpointRef; image: Uint8Array; name: string; direction: Direction; derive: boolean; check: boolean }
  /**
   * A GAN run's latent (and class) for one image file's bytes, fitted to the
   * model's size over `background`; from the cached encoder's guess when
   * `encoderPath` names one that exists. `ticket` cancels it.
   */
  | { kind: 'project'; ckpt: CheckpointRef; image: Uint8Array; background: string; name: string; steps: number; starts: number; weights: Partial<Weights>; encoderPath: string | null; judgePath: string | null; ticket: string | null }
  /** Trains the run's encoder and saves it at `path`, unless a readable one is there and `retrain` is false. */
  | { kind: 'encoder'; ckpt: CheckpointRef; path: string; steps: number; retrain: boolean; ticket: string | null }
  /** Attribute directions fitted on the run's samples, each measured on fresh ones. */
  | { kind: 'attributes'; ckpt: CheckpointRef; judgePath: string | null; samples: number; seed: number; keep: string[] }
  /** One latent moved along directions (and between classes), as PNG with every attribute's reading. */
  | { kind: 'edit'; ckpt: CheckpointRef; z: Float32Array; classLabel: number | null; classTo: number | null; mix: number; judgePath: string | null; thresholds: Record<string, number> }
  /** A prompted run's images, its latents truncated by psi first. */
  | ({ kind: 'prompt'; ckpt: CheckpointRef; psi: number } & PromptImagesJob)
  | ({ kind: 'prompt-walk'; ckpt: CheckpointRef; psi: number } & PromptWalkJob)
  /** The words a prompted run knows. */
  | { kind: 'prompt-vocab'; ckpt: CheckpointRef }
  /** One augmentation-study cell: classifiers on a subset of a dataset, alone, with the GAN's images (when ckpt is given) and with classic augmentation. */
  | { kind: 'augment-cell'; ckpt: CheckpointRef | null; home: string; dataset: string; subset: Subset; settings: CellSettings; ticket: string | null };

export interface GenerationResults {
  images: { pngs: string[]; z: Float32Array; zDim: number };
  directions: { directions: Float32Array[]; explained: number[] };
  walk: { gif: Uint8Array };
  'export-images': { dirs: string[]; count: number; grid: string | null };
  'export-model': { files: string[]; use: string | null };
  upscale: { png: Uint8Array; width: number; height: number; inputWidth: number; inputHeight: number };
  translate: { png: Uint8Array; width: number; height: number };
  project: { z: Float32Array; classLabel: number | null; png: Uint8Array; target: Uint8Array; psnr: number; distance: number; judgeDistance: number | null; history: number[]; ms: number; encoder: boolean };
  encoder: { cached: boolean; seconds: number; loss: number | null };
  attributes: { directions: AttributeDirection[] };
  edit: { png: Uint8Array; readings: Record<string, number> };
  'augment-cell': { arms: ArmResult[] };
  prompt: { pngs: string[]; unknown: PromptWords[]; grid: string | null };
  'prompt-walk': { gif: Uint8Array; unknown: PromptWords[] };
  'prompt-vocab': PromptVocabulary;
}


/** Along a long request: work done, and for a projection its distance and, now and then, the current reconstruction (PNG). */
export interface WorkerProgress {
  done: number;
  total: number;
  distance?: number;
  png?: Uint8Array;
}

export type WorkerMessage = { id: number; request: GenerationRequest } | { cancel: string };
export type WorkerReply =
  | { id: number; ok: true; result: GenerationResults[GenerationRequest['kind']] }
  | { id: number; ok: false; message: string; code: string }
  /** Along the way: tiles done of a long request. */
  | { id: number; progress: WorkerProgress };
