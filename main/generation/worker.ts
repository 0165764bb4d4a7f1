/**
 * Worker-thread entry: keeps the generator of the checkpoint last asked for
 * loaded, so moving a slider in the explorer costs one forward pass, not a
 * checkpoint read.
 */
import { parentPort } from 'node:worker_threads';
import { useBackend } from '../engine/backends.js';
import { readCheckpoint } from '../engine/checkpoint.js';
import { Trainer } from '../engine/trainer.js';
import { StudioError, messageOf } from '../errors.js';
import { encodeGif } from '../export/gif.js';
import { exportImages } from '../export/images.js';
import { generatorModel, saveLayersModel } from '../export/tfjs-model.js';
import { imagePng } from '../images/png.js';
import { pcaDirections, truncate, walk } from '../latent/math.js';
import { classLabels, generateBatch, sampleLatents } from '../engine/sampling.js';
import type { CheckpointRef, GenerationRequest, WorkerMessage, WorkerReply } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('generation worker must run in a worker thread');

let ready: Promise<unknown> | null = null;
let cached: { path: string; step: number; trainer: Trainer } | null = null;

async function trainerFor(ref: CheckpointRef): Promise<Trainer> {
  ready ??= useBackend('auto');
  await ready;
  if (cached && cached.path === ref.path && cached.step === ref.step) return cached.trainer;
  cached?.trainer.dispose();
  cached = null;
  const trainer = Trainer.fromCheckpoint(readCheckpoint(ref.path));
  cached = { ...ref, trainer };
  return trainer;
}

async function handle(r: GenerationRequest) {
  const t = await trainerFor(r.ckpt);
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
    case 'directions': {
      const { z, labels } = sampleLatents(t, r.samples, r.seed);
      const batch = await generateBatch(t, z, labels);
      return pcaDirections(z, batch.data, r.samples, r.k);
    }
    case 'walk': {
      const path = walk(r.keyframes, r.frames, r.spherical);
      const z = new Float32Array(r.frames * zDim);
      path.forEach((p, i) => z.set(truncate(p, r.psi), i * zDim));
      const labels = r.classLabel !== null || numClasses > 0 ? classLabels(t, r.frames, r.classLabel ?? 0) : null;
      return { gif: new Uint8Array(encodeGif(await generateBatch(t, z, labels), { fps: r.fps, scale: r.scale })) };
    }
    case 'export-images':
      if (r.perClass && numClasses === 0) throw new StudioError('images per class need a class-conditional (cdcgan) run', 'INVALID_INPUT');
      return exportImages(t, r);
    case 'export-model': {
      const model = generatorModel(t.sampler(), t.spec);
      try {
        return { files: await saveLayersModel(model, r.dir, r.meta) };
      } finally {
        model.dispose();
      }
    }
  }
}

port.on('message', ({ id, request }: WorkerMessage) => {
  handle(request).then(
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
