/**
 * The generation worker's editing jobs on a GAN run: projecting an image
 * into latent space, training the run's encoder, fitting attribute
 * directions and drawing an edited latent with its attributes read. The
 * judge and the encoder stay loaded for the next request, as the generator does.
 */
import { existsSync, statSync } from 'node:fs';
import { StudioError } from '../errors.js';
import { writeFileAtomic } from '../fsx.js';
import type { Trainer } from '../families/gan/trainer.js';
import { yieldToEventLoop } from '../engine/step-loop.js';
import { disposeJudge, embedImages, encodeJudge, loadJudge, type Judge } from '../judges/index.js';
import { imagePng } from '../images/png.js';
import { readForProjection } from '../latent/project-io.js';
import { attributeDirections, generateBlended } from '../latent/attribute-directions.js';
import { readAttributes } from '../latent/attributes.js';
import { encode, trainEncoder } from '../latent/encoder.js';
import { project, ProjectionCancelled } from '../latent/project.js';
import type { GenerationRequest, GenerationResults, WorkerProgress } from './protocol.js';

type Job<K extends GenerationRequest['kind']> = Extract<GenerationRequest, { kind: K }>;
type Progress = (p: WorkerProgress) => void;


/** Networks read from files, by path, with the file's modification time they were read at. */
const loaded = new Map<string, { mtime: number; judge: Judge }>();

/** A judge or encoder file, loaded once and again when the file changes; null when there is none (a dataset without a judge yet). */
export function networkAt(path: string | null): Judge | null {
  if (!path || !existsSync(path)) return null;
  const mtime = statSync(path).mtimeMs;
  const had = loaded.get(path);
  if (had?.mtime === mtime) return had.judge;
  forget(path);
  const judge = loadJudge(path);
  loaded.set(path, { mtime, judge });
  return judge;
}

/** Forgets a file's network (it changed, or is being replaced). */
function forget(path: string): void {
  const had = loaded.get(path);
  if (had) disposeJudge(had.judge);
  loaded.delete(path);
}

function png(t: Trainer, image: Float32Array): Promise<Buffer> {
  return imagePng({ data: image, count: 1, size: t.spec.size, channels: t.spec.channels }, 0);
}

export async function projectJob(t: Trainer, r: Job<'project'>, progress: Progress, cancelled: () => boolean): Promise<GenerationResults['project']> {
  const t0 = performance.now();
  const { size, channels } = t.spec;
  const target = await readForProjection(Buffer.from(r.image), size, channels, r.background, r.name);
  const judge = networkAt(r.judgePath);
  let encoder: Judge | null = null;
  try {
    encoder = networkAt(r.encoderPath);
  } catch {
    // A damaged encoder file: projection starts without its guess (latent.encoder trains it again).
  }
  const init = encoder ? await encode(encoder, t.spec, target, 1) : null;
  let result;
  try {
    result = await project(t.sampler(), t.spec, target, 1, {
      steps: r.steps,
      starts: r.starts,
      weights: r.weights,
      judge,
      D: t.D,
      init,
      previewEvery: 10,
      cancelled,
      onStep: async ({ step, steps, distance, image }) => {
        progress({ done: step, total: steps, distance, ...(image ? { png: new Uint8Array(await png(t, image)) } : {}) });
        await yieldToEventLoop();
      },
    });
  } catch (err) {
    if (err instanceof ProjectionCancelled) throw new StudioError('the projection was cancelled', 'CANCELLED');
    throw err;
  }
  let judgeDistance: number | null = null;
  if (judge) {
    const both = new Float32Array(2 * target.length);
    both.set(target);
    both.set(result.images, target.length);
    const { features: f } = await embedImages(judge, both, 2);
    const F = f.length / 2;
    judgeDistance = Math.hypot(...f.subarray(0, F).map((x, i) => x - f[F + i]));
  }
  return {
    z: result.z,
    classLabel: result.labels ? result.labels[0] : null,
    png: new Uint8Array(await png(t, result.images)),
    target: new Uint8Array(await png(t, target)),
    psnr: result.psnr[0],
    distance: result.distance[0],
    judgeDistance,
    history: result.history,
    ms: performance.now() - t0,
    encoder: init !== null,
  };
}

export async function encoderJob(t: Trainer, r: Job<'encoder'>, progress: Progress, cancelled: () => boolean): Promise<GenerationResults['encoder']> {
  try {
    if (!r.retrain && networkAt(r.path)) return { cached: true, seconds: 0, loss: null };
  } catch {
    // A damaged encoder file is trained again.
  }
  let loss: number | null = null;
  const encoder = await trainEncoder(t.sampler(), t.spec, {
    steps: r.steps,
    cancelled,
    onProgress: async (p) => {
      loss = p.loss;
      progress({ done: p.step, total: p.steps, distance: p.loss });
      await yieldToEventLoop();
    },
  }).catch((err) => {
    if (cancelled()) throw new StudioError('the encoder’s training was cancelled', 'CANCELLED');
    throw err;
  });
  forget(r.path);
  try {
    writeFileAtomic(r.path, await encodeJudge(encoder));
  } finally {
    disposeJudge(encoder);
  }
  return { cached: false, seconds: encoder.info.seconds, loss };
}

export async function attributesJob(t: Trainer, r: Job<'attributes'>): Promise<GenerationResults['attributes']> {
  return { directions: await attributeDirections(t, networkAt(r.judgePath), { samples: r.samples, seed: r.seed, keep: r.keep }) };
}

export async function editJob(t: Trainer, r: Job<'edit'>): Promise<GenerationResults['edit']> {
  const { size, channels, numClasses } = t.spec;
  if (numClasses === 0 && (r.classLabel !== null || r.classTo !== null)) throw new StudioError('this run is not class-conditional; a class needs a cdcgan run', 'INVALID_INPUT');
  for (const c of [r.classLabel, r.classTo]) if (c !== null && c >= numClasses) throw new StudioError(`the class must be below ${numClasses}, got ${c}`, 'INVALID_INPUT');
  const image = await generateBlended(t, r.z, r.classLabel, r.classTo, r.mix);
  const attrs = await readAttributes(image, 1, size, channels, networkAt(r.judgePath), { thresholds: r.thresholds });
  return { png: new Uint8Array(await png(t, image)), readings: Object.fromEntries(attrs.map((a) => [a.name, a.scores[0]])) };
}
