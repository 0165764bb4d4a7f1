/**
 * A text-to-image run's requests in the generation worker: images of
 * prompts, a walk from one prompt to another, and the run's vocabulary.
 */
import type { TextGanTrainer } from '../engine/text/trainer.js';
import { encodeGif } from '../export/gif.js';
import { imagePng } from '../images/png.js';
import { truncate } from '../latent/math.js';
import type { GenerationRequest, GenerationResults } from './protocol.js';

type Req<K extends GenerationRequest['kind']> = Extract<GenerationRequest, { kind: K }>;

/** Prompt i drawn with latent i. */
export async function promptJob(t: TextGanTrainer, r: Req<'prompt'>): Promise<GenerationResults['prompt']> {
  const distinct = [...new Set(r.prompts)];
  const encoded = await t.encodePrompts(distinct);
  const e = t.spec.text.embedDim;
  const vectors = new Float32Array(r.prompts.length * e);
  r.prompts.forEach((p, i) => {
    const k = distinct.indexOf(p);
    vectors.set(encoded.vectors.subarray(k * e, (k + 1) * e), i * e);
  });
  const batch = await t.generateBatch(truncate(r.z, r.psi), vectors);
  const pngs = await Promise.all(Array.from({ length: batch.count }, (_, i) => imagePng(batch, i).then((b) => b.toString('base64'))));
  return { pngs, unknown: distinct.map((p, i) => ({ prompt: p, unknown: encoded.unknown[i], known: encoded.known[i] })) };
}

/**
 * One latent drawn along the straight line between two prompts' vectors (the
 * paper's interpolation; the generator learnt from such mixes), as a GIF.
 */
export async function promptWalkJob(t: TextGanTrainer, r: Req<'prompt-walk'>): Promise<GenerationResults['prompt-walk']> {
  const encoded = await t.encodePrompts([r.from, r.to]);
  const { zDim, text } = t.spec;
  const e = text.embedDim;
  const z = new Float32Array(r.frames * zDim);
  const vectors = new Float32Array(r.frames * e);
  const latent = truncate(r.z, r.psi);
  for (let f = 0; f < r.frames; f++) {
    const beta = f / (r.frames - 1);
    z.set(latent, f * zDim);
    for (let k = 0; k < e; k++) vectors[f * e + k] = (1 - beta) * encoded.vectors[k] + beta * encoded.vectors[e + k];
  }
  const batch = await t.generateBatch(z, vectors);
  return {
    gif: new Uint8Array(encodeGif(batch, { fps: r.fps, scale: r.scale })),
    unknown: [r.from, r.to].map((p, i) => ({ prompt: p, unknown: encoded.unknown[i], known: encoded.known[i] })),
  };
}

export function vocabularyJob(t: TextGanTrainer): GenerationResults['prompt-vocab'] {
  const { vocab, maxLen } = t.spec.text;
  return { words: vocab.words, counts: vocab.counts, maxLen, encoderSteps: t.config.text!.encoderSteps, step: t.step };
}
