/**
 * A text-to-image run's jobs in the generation worker (Node): images of
 * prompts, a walk from one prompt to another, and the run's vocabulary.
 */
import type { TextGanTrainer } from './trainer.js';
import { StudioError } from '../../errors.js';
import { encodeGif } from '../../export/gif.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gridPng, imagePng } from '../../images/png.js';
import { GRID_LIMIT, writePngs } from '../../export/images.js';
import type { FamilyHost, PromptImagesJob, PromptVocabulary, PromptWalkJob, PromptWords } from '../family.js';

type Result<K extends 'prompt' | 'promptWalk'> = ReturnType<NonNullable<FamilyHost[K]>>;

/**
 * A prompt of none of the run's words would draw the same images whatever was
 * typed: refused before anything is drawn.
 */
function refuseUnknownOnly(t: TextGanTrainer, words: PromptWords): void {
  if (words.known > 0) return;
  const listed = words.unknown.length ? ` (${words.unknown.slice(0, 5).join(', ')})` : '';
  throw new StudioError(`this run knows none of the words of "${words.prompt.slice(0, 80)}"${listed}; its words include ${t.spec.text.vocab.words.slice(0, 12).join(', ')}`, 'INVALID_INPUT');
}

/** Prompt i drawn with latent i. */
export async function promptJob(t: TextGanTrainer, r: PromptImagesJob): Result<'prompt'> {
  const { vectors, words } = await t.promptVectors(r.prompts);
  for (const w of words) refuseUnknownOnly(t, w);
  const batch = await t.generateBatch(r.z, vectors);
  if (r.out !== null) {
    await writePngs(batch, r.out);
    const grid = join(r.out, 'grid.png');
    writeFileSync(grid, await gridPng(batch, { limit: GRID_LIMIT }));
    return { pngs: [], unknown: words, grid };
  }
  const pngs = await Promise.all(Array.from({ length: batch.count }, (_, i) => imagePng(batch, i).then((b) => b.toString('base64'))));
  return { pngs, unknown: words, grid: null };
}

/**
 * One latent drawn along the straight line between two prompts' vectors (the
 * paper's interpolation; the generator learnt from such mixes), as a GIF.
 */
export async function promptWalkJob(t: TextGanTrainer, r: PromptWalkJob): Result<'promptWalk'> {
  const encoded = await t.encodePrompts([r.from, r.to]);
  const unknown = [r.from, r.to].map((p, i) => ({ prompt: p, unknown: encoded.unknown[i], known: encoded.known[i] }));
  for (const w of unknown) refuseUnknownOnly(t, w);
  const { zDim, text } = t.spec;
  const e = text.embedDim;
  const z = new Float32Array(r.frames * zDim);
  const vectors = new Float32Array(r.frames * e);
  for (let f = 0; f < r.frames; f++) {
    const beta = f / (r.frames - 1);
    z.set(r.z, f * zDim);
    for (let k = 0; k < e; k++) vectors[f * e + k] = (1 - beta) * encoded.vectors[k] + beta * encoded.vectors[e + k];
  }
  const batch = await t.generateBatch(z, vectors);
  return {
    gif: new Uint8Array(encodeGif(batch, { fps: r.fps, scale: r.scale })),
    unknown,
  };
}

export function vocabularyJob(t: TextGanTrainer): PromptVocabulary {
  const { vocab, maxLen } = t.spec.text;
  return { words: vocab.words, counts: vocab.counts, maxLen, encoderSteps: t.config.text!.encoderSteps, step: t.step };
}
