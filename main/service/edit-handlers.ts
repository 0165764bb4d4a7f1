/**
 * The service's commands for editing real images with a GAN run: projection,
 * the run's encoder, attribute directions (fitted or from marked examples)
 * and edited images. The work runs in the generation worker; these check
 * the input against the run and carry progress out as events.
 */
import type { Capability } from '../families/family.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StudioError } from '../errors.js';
import { isBuiltin } from '../datasets/index.js';
import { datasetDir } from '../datasets/store.js';
import { judgeFileOf } from '../evaluation/judges.js';
import type { GenerationHost } from '../generation/host.js';
import type { CheckpointRef } from '../generation/protocol.js';
import { fitMarked, moveLatent } from '../latent/directions.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import { MAX_UPSCALE_BYTES, type CommandHandlers, type EventName, type StudioEvents } from './contract.js';

export interface EditContext {
  home: string;
  /** The command line's own service: `out` may name any folder (a page's never may). */
  localFiles: boolean;
  store: RunStore;
  generation: GenerationHost;
  run(id: string): RunRecord;
  /** The run, refused with its family's own words unless that family can do `what`. */
  runThatCan(id: string, what: Capability): RunRecord;
  checkpointRef(id: string, step?: number): CheckpointRef;
  emit<E extends EventName>(event: E, payload: StudioEvents[E]): void;
}

type EditCommands = 'images.project' | 'images.cancel' | 'latent.encoder' | 'latent.attributes' | 'latent.fit' | 'images.edit';

const fail = (code: 'INVALID_INPUT' | 'CONFLICT', message: string) => new StudioError(message, code);

export function editHandlers(ctx: EditContext): Pick<CommandHandlers, EditCommands> {
  /** A GAN run (images from noise) and its dataset's judge file. */
  const ganRun = (id: string) => {
    const r = ctx.runThatCan(id, 'edit');
    return { r, judgePath: judgeFileOf(r.config.dataset, datasetDir(ctx.store.db, ctx.home, r.config.dataset)) };
  };
  const latentOf = (r: RunRecord, latent: number[], what: string) => {
    if (latent.length !== r.config.zDim) throw fail('INVALID_INPUT', `${what} of run ${r.id} has ${r.config.zDim} numbers, got ${latent.length}`);
    return Float32Array.from(latent);
  };
  return {
    'images.project': async ({ id, step, image, name, steps, starts, encoder, weights, ticket }) => {
      const { r, judgePath } = ganRun(id);
      const ckpt = ctx.checkpointRef(id, step);
      const bytes = Buffer.from(image, 'base64');
      if (bytes.length > MAX_UPSCALE_BYTES) throw fail('INVALID_INPUT', `the image is larger than ${MAX_UPSCALE_BYTES / 2 ** 20} MB`);
      const out = await ctx.generation.request(
        {
          kind: 'project',
          ckpt,
          image: new Uint8Array(bytes),
          // The built-in digits are white on black; imported images were flattened on white.
          background: isBuiltin(r.config.dataset) ? '#000000' : '#ffffff',
          name,
          steps,
          starts,
          weights,
          encoderPath: encoder ? ctx.store.encoderPath(id, ckpt.step) : null,
          judgePath,
          ticket: ticket ?? null,
        },
        (done, total, p) =>
          ticket && ctx.emit('project.progress', { id, ticket, done, total, distance: p.distance ?? null, png: p.png ? Buffer.from(p.png).toString('base64') : null }),
      );
      return {
        step: ckpt.step,
        latent: Array.from(out.z),
        classLabel: out.classLabel,
        png: Buffer.from(out.png).toString('base64'),
        target: Buffer.from(out.target).toString('base64'),
        psnr: out.psnr,
        judgeDistance: out.judgeDistance,
        history: out.history,
        ms: out.ms,
        encoder: out.encoder,
      };
    },
    'images.cancel': ({ ticket }) => {
      ctx.generation.cancel(ticket);
      return { ticket };
    },
    'latent.encoder': async ({ id, step, steps, retrain, ticket }) => {
      ganRun(id);
      const ckpt = ctx.checkpointRef(id, step);
      const path = ctx.store.encoderPath(id, ckpt.step);
      mkdirSync(dirname(path), { recursive: true });
      const out = await ctx.generation.request({ kind: 'encoder', ckpt, path, steps, retrain, ticket: ticket ?? null }, (done, total, p) =>
        ticket ? ctx.emit('encoder.progress', { id, ticket, done, total, loss: p.distance ?? null }) : undefined,
      );
      return { step: ckpt.step, ...out };
    },
    'latent.attributes': async ({ id, step, samples, seed, keep }) => {
      const { judgePath } = ganRun(id);
      const ckpt = ctx.checkpointRef(id, step);
      const { directions } = await ctx.generation.request({ kind: 'attributes', ckpt, judgePath, samples, seed, keep });
      return { step: ckpt.step, attributes: directions.map((d) => ({ ...d, direction: Array.from(d.direction) })) };
    },
    'latent.fit': ({ id, positive, negative }) => {
      const { r } = ganRun(id);
      const b = fitMarked(
        positive.map((l) => latentOf(r, l, 'a marked latent')),
        negative.map((l) => latentOf(r, l, 'a marked latent')),
      );
      return { direction: Array.from(b.direction), accuracy: b.accuracy };
    },
    'images.edit': async ({ id, step, latent, classLabel, classTo, mix, moves, thresholds }) => {
      const { r, judgePath } = ganRun(id);
      const ckpt = ctx.checkpointRef(id, step);
      const z = moveLatent(
        latentOf(r, latent, 'a latent'),
        moves.map((m) => ({ direction: latentOf(r, m.direction, 'a direction'), amount: m.amount })),
      );
      const conditional = r.config.model === 'cdcgan';
      if (!conditional && (classLabel !== undefined || classTo !== undefined)) throw fail('INVALID_INPUT', 'this run is not class-conditional; a class needs a cdcgan run');
      const from = conditional ? (classLabel ?? 0) : null;
      const out = await ctx.generation.request({ kind: 'edit', ckpt, z, classLabel: from, classTo: conditional ? (classTo ?? from) : null, mix, judgePath, thresholds });
      return { step: ckpt.step, png: Buffer.from(out.png).toString('base64'), latent: Array.from(z), readings: out.readings };
    },
  };
}
