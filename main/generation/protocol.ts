/** Requests to the generation worker, which draws images from checkpoints off the service's thread. */
import type { Direction } from '../engine/translate/tiles.js';

export interface CheckpointRef {
  path: string;
  step: number;
}

export type GenerationRequest =
  /** classLabel null: a conditional model cycles through its classes. */
  | { kind: 'images'; ckpt: CheckpointRef; z: Float32Array; classLabel: number | null; psi: number }
  | { kind: 'directions'; ckpt: CheckpointRef; k: number; samples: number; seed: number }
  | { kind: 'walk'; ckpt: CheckpointRef; keyframes: Float32Array[]; classLabel: number | null; frames: number; spherical: boolean; fps: number; scale: number; psi: number }
  | { kind: 'export-images'; ckpt: CheckpointRef; dir: string; count: number; perClass: boolean; classNames: string[]; seed: number }
  | { kind: 'export-model'; ckpt: CheckpointRef; dir: string; meta: Record<string, unknown> }
  /** A super-resolution run's model on one image file's bytes, in tiles of `tile` low-resolution pixels. */
  | { kind: 'upscale'; ckpt: CheckpointRef; image: Uint8Array; name: string; tile: number }
  /** A translation run's model on one image file's bytes, in overlapping tiles of its training size. */
  | { kind: 'translate'; ckpt: CheckpointRef; image: Uint8Array; name: string; direction: Direction; derive: boolean };

export interface GenerationResults {
  images: { pngs: string[]; z: Float32Array; zDim: number };
  directions: { directions: Float32Array[]; explained: number[] };
  walk: { gif: Uint8Array };
  'export-images': { dirs: string[]; count: number };
  'export-model': { files: string[] };
  upscale: { png: Uint8Array; width: number; height: number; inputWidth: number; inputHeight: number };
  translate: { png: Uint8Array; width: number; height: number };
}

export type WorkerMessage = { id: number; request: GenerationRequest };
export type WorkerReply =
  | { id: number; ok: true; result: GenerationResults[GenerationRequest['kind']] }
  | { id: number; ok: false; message: string; code: string }
  /** Along the way: tiles done of a long request. */
  | { id: number; progress: { done: number; total: number } };
