/**
 * Worker-thread entry: keeps the generator of the checkpoint last asked for
 * loaded, so moving a slider in the explorer costs one forward pass, not a
 * checkpoint read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useBackend } from '../engine/backends.js';
import type { BackendChoice } from '../engine/config.js';
import { readCheckpoint } from '../families/run-checkpoint.js';
import type { Trainer } from '../families/gan/trainer.js';
import type { Capability, LoadedModel, ModelFamily } from '../families/family.js';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import { StudioError, messageOf } from '../errors.js';
import { encodeGif } from '../export/gif.js';
import { exportImages } from '../export/images.js';
import { imagePng } from '../images/png.js';
import { truncate, walk } from '../latent/math.js';
import { principalDirections } from '../latent/attribute-directions.js';
import { classLabels, generateBatch, type NoiseModel } from '../engine/sampling.js';
import { attributesJob, editJob, encoderJob, projectJob } from './latent-jobs.js';
import { augmentCellJob } from './augment-job.js';
import type { CheckpointRef, GenerationRequest, WorkerMessage, WorkerProgress, WorkerReply } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('generation worker must run in a worker thread');

let ready: Promise<unknown> | null = null;
let cached: { path: string; step: number; family: ModelFamily<LoadedModel>; model: LoadedModel } | null = null;

/**
 * The checkpoint's model (as its family loads it), kept for the next
 * request, once its family is found to be able to do `what`; the caller
 * reads it as the model type of the families that can.
 */
async function modelFor<M extends LoadedModel>(ref: CheckpointRef, what: Capability): Promise<M> {
  ready ??= useBackend((workerData as { backend?: BackendChoice } | null)?.backend ?? 'auto');
  await ready;
  if (!cached || cached.path !== ref.path || cached.step !== ref.step) {
    cached?.model.dispose();
    cached = null;
    const checkpoint = readCheckpoint(ref.path);
    const family = familyOfSpec(checkpoint.spec);
    cached = { ...ref, family, model: family.load(checkpoint) };
  }
  requireCapability(cached.family, what);
  return cached.model as M;
}

/** The checkpoint's model, once its family is found to be able to do `what`, and the family's host, whose jobs do it. */
async function hosted(ref: CheckpointRef, what: Capability) {
  const model = await modelFor(ref, what);
  return { model, host: await cached!.family.host() };
}

/** A family that says it can do what its host has no job for: a bug in the family, not in the request. */
const noJob = (kind: string) => new StudioError(`the ${cached!.family.label} family says it can ${kind} but its host has no ${kind} job`, 'FAILED');

/** upscale and translate: the job of the model's family (its host says how). */
async function imageJob(r: Extract<GenerationRequest, { kind: 'upscale' | 'translate' }>, progress: (done: number, total: number) => void) {
  const { model, host } = await hosted(r.ckpt, r.kind);
  if (r.kind === 'upscale' && host.upscale) return host.upscale(model, r, progress);
  if (r.kind === 'translate' && host.translate) return host.translate(model, r, progress);
  throw noJob(r.kind);
}

/** prompt, prompt-walk and prompt-vocab: the jobs of a family that takes prompts. */
async function promptJob(r: Extract<GenerationRequest, { kind: 'prompt' | 'prompt-walk' | 'prompt-vocab' }>) {
  const { model, host } = await hosted(r.ckpt, 'prompt');
  if (r.kind === 'prompt' && host.prompt) return host.prompt(model, { ...r, z: truncate(r.z, r.psi) });
  if (r.kind === 'prompt-walk' && host.promptWalk) return host.promptWalk(model, { ...r, z: truncate(r.z, r.psi) });
  if (r.kind === 'prompt-vocab' && host.vocabulary) return host.vocabulary(model);
  throw noJob(r.kind);
}

async function exportModel(r: Extract<GenerationRequest, { kind: 'export-model' }>) {
  const { model, host } = await hosted(r.ckpt, 'export-model');
  if (!host.exportModel) throw noJob('export-model');
  return { files: await host.exportModel(model, r.dir, r.meta), use: host.exportedUse?.(model) ?? null };
}

/** Tickets asked to stop; a job checks its own between steps. */
const cancelled = new Set<string>();

async function handle(r: GenerationRequest, progress: (p: WorkerProgress) => void) {
  if (r.kind === 'upscale' || r.kind === 'translate') return imageJob(r, (done, total) => progress({ done, total }));
  if (r.kind === 'export-model') return exportModel(r);
  if (r.kind === 'augment-cell') {
    const generator = r.ckpt ? await modelFor<Trainer>(r.ckpt, 'augment') : null;
    const ticket = r.ticket;
    try {
      return await augmentCellJob(r, generator, progress, () => ticket !== null && cancelled.has(ticket));
    } finally {
      if (ticket) cancelled.delete(ticket);
    }
  }
  if (r.kind === 'prompt' || r.kind === 'prompt-walk' || r.kind === 'prompt-vocab') return promptJob(r);
  if (r.kind === 'project' || r.kind === 'encoder' || r.kind === 'attributes' || r.kind === 'edit') {
    // Projection and editing run the DCGAN's own networks (its discriminator's features, its batch norm).
    const t = await modelFor<Trainer>(r.ckpt, 'edit');
    switch (r.kind) {
      case 'project':
      case 'encoder': {
        const ticket = r.ticket;
        // Each step yields to the event loop, so a cancel message gets in.
        const stop = () => ticket !== null && cancelled.has(ticket);
        try {
          return r.kind === 'project' ? await projectJob(t, r, progress, stop) : await encoderJob(t, r, progress, stop);
        } finally {
          if (ticket) cancelled.delete(ticket);
        }
      }
      case 'attributes':
        return attributesJob(t, r);
      case 'edit':
        return editJob(t, r);
    }
  }
  // Any family that draws from noise: latents in, images out.
  const t = await modelFor<NoiseModel & LoadedModel>(r.ckpt, r.kind === 'export-images' ? 'export-images' : 'sample');
  const { zDim, numClasses } = t.spec;
  switch (r.kind) {
    case 'images': {
      const z = truncate(r.z, r.psi);
      const n = z.length / zDim;
      const labels = r.classLabel !== null ? classLabels(t, n, r.classLabel) : numClasses > 0 ? Int32Array.from({ length: n }, (_, i) => i % numClasses) : null;
      const batch = await generateBatch(t, z, labels);
      const pngs = await Promise.all(Array.from({ length: batch.count }, (_, i) => imagePng(batch, i).then((b) => b.toString('base64'))));
      return { pngs, z, zDim };
    }
    case 'directions':
      return principalDirections(t, r.k, r.samples, r.seed);
    case 'walk': {
      const path = walk(r.keyframes, r.frames, r.spherical);
      const z = new Float32Array(r.frames * zDim);
      path.forEach((p, i) => z.set(truncate(p, r.psi), i * zDim));
      const labels = r.classLabel !== null || numClasses > 0 ? classLabels(t, r.frames, r.classLabel ?? 0) : null;
      return { gif: new Uint8Array(encodeGif(await generateBatch(t, z, labels), { fps: r.fps, scale: r.scale })) };
    }
    case 'export-images':
      if (r.perClass && numClasses === 0) throw new StudioError('images per class need a class-conditional (cdcgan) run', 'INVALID_INPUT');
      return exportImages(t, r, (done, total) => progress({ done, total }));
  }
}

port.on('message', (m: WorkerMessage) => {
  if ('cancel' in m) return void cancelled.add(m.cancel);
  const { id, request } = m;
  handle(request, (p) => port.postMessage({ id, progress: p } satisfies WorkerReply)).then(
    (result) => port.postMessage({ id, ok: true, result } satisfies WorkerReply),
    (err) =>
      port.postMessage({
        id,
        ok: false,
        code: err instanceof StudioError ? err.code : 'FAILED',
        message: err instanceof StudioError ? err.message : `generation failed: ${messageOf(err).split('\n')[0]}`,
      } satisfies WorkerReply),
  );
});
