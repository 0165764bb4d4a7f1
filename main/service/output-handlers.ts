/**
 * The service's commands that read what a run made or make more from it:
 * metric series, samples and latent walks from a checkpoint, favourites,
 * exports, snapshots and checkpoints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { showDataset } from '../datasets/store.js';
import { Rng } from '../engine/rng.js';
import { StudioError, messageOf } from '../errors.js';
import { nearestPictureSteps, readNearestPictures } from '../runs/nearest-pictures.js';
import { deleteFavorite, listFavorites, saveFavorite } from '../runs/favorites.js';
import type { CommandHandlers } from './contract.js';
import type { EditContext } from './edit-handlers.js';

type OutputCommands =
  | 'metrics.series'
  | 'samples.generate'
  | 'latent.directions'
  | 'latent.walk'
  | 'favorites.list'
  | 'favorites.save'
  | 'favorites.delete'
  | 'export.images'
  | 'export.model'
  | 'samples.snapshot'
  | 'runs.memorisation'
  | 'checkpoints.list'
  | 'checkpoints.delete';

const fail = (code: 'INVALID_INPUT' | 'NOT_FOUND' | 'CONFLICT', message: string) => new StudioError(message, code);

/** A new folder under <home>/exports for one export of a run. */
function exportDir(home: string, id: string, kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(home, 'exports', `${id}-${stamp}-${kind}`);
}

/** Where an export goes: `out` when the command line's own service names it, else a new folder under <home>/exports. */
export function exportTarget(ctx: EditContext, out: string | undefined, id: string, kind: string): string {
  if (out === undefined) return exportDir(ctx.home, id, kind);
  if (!ctx.localFiles) throw fail('INVALID_INPUT', 'out: only the command line names the folder to write to; the studio exports into its exports folder');
  return out;
}

/** `isTraining`: a run whose checkpoints a session is writing. */
export function outputHandlers(ctx: EditContext, isTraining: (id: string) => boolean): Pick<CommandHandlers, OutputCommands> {
  return {
    'metrics.series': ({ id, metric, from, to, points }) => (ctx.run(id), ctx.store.series(id, metric, { from, to, points })),
    'samples.generate': async ({ id, step, count, seed, latents, classLabel, truncation }) => {
      const zDim = ctx.runThatCan(id, 'sample').config.zDim;
      const ckpt = ctx.checkpointRef(id, step);
      if (latents?.some((l) => l.length !== zDim)) throw fail('INVALID_INPUT', `each latent needs ${zDim} numbers`);
      const n = latents ? latents.length : count;
      // The same seed gives the same latents as the CLI's `sample --seed`.
      const z = latents ? Float32Array.from(latents.flat()) : Rng.fromSeed(seed ?? 1).normal(n * zDim);
      const r = await ctx.generation.request({ kind: 'images', ckpt, z, classLabel: classLabel ?? null, psi: truncation });
      return { step: ckpt.step, images: r.pngs, latents: Array.from({ length: n }, (_, i) => Array.from(r.z.subarray(i * zDim, (i + 1) * zDim))) };
    },
    'latent.directions': async ({ id, step, k, samples, seed }) => {
      ctx.runThatCan(id, 'sample');
      const ckpt = ctx.checkpointRef(id, step);
      const r = await ctx.generation.request({ kind: 'directions', ckpt, k, samples, seed });
      return { step: ckpt.step, directions: r.directions.map((d) => Array.from(d)), explained: r.explained };
    },
    'latent.walk': async ({ id, step, keyframes, seeds, frames, spherical, fps, scale, classLabel, truncation }) => {
      const zDim = ctx.runThatCan(id, 'sample').config.zDim;
      const ckpt = ctx.checkpointRef(id, step);
      if (!keyframes === !seeds) throw fail('INVALID_INPUT', 'give the keyframes as latents or as seeds, not both');
      if (keyframes?.some((l) => l.length !== zDim)) throw fail('INVALID_INPUT', `each keyframe needs ${zDim} numbers`);
      // A seed's latent is the one samples.generate (and `gan-studio sample`) draws first for it.
      const keys = keyframes ? keyframes.map((k) => Float32Array.from(k)) : seeds!.map((s) => Rng.fromSeed(s).normal(zDim));
      if (frames < keys.length) throw fail('INVALID_INPUT', `${keys.length} keyframes need at least ${keys.length} frames`);
      const r = await ctx.generation.request({ kind: 'walk', ckpt, keyframes: keys, classLabel: classLabel ?? null, frames, spherical, fps, scale, psi: truncation });
      return { step: ckpt.step, gif: Buffer.from(r.gif).toString('base64'), frames };
    },
    'favorites.list': ({ id }) => (ctx.run(id), listFavorites(ctx.store.db, id)),
    'favorites.save': ({ id, name, latent, classLabel }) => {
      const r = ctx.run(id);
      if (latent.length !== r.config.zDim) throw fail('INVALID_INPUT', `a latent of this run has ${r.config.zDim} numbers, got ${latent.length}`);
      return saveFavorite(ctx.store.db, id, { name, latent, classLabel });
    },
    'favorites.delete': ({ id, favoriteId }) => {
      ctx.run(id);
      if (!deleteFavorite(ctx.store.db, id, favoriteId)) throw fail('NOT_FOUND', `run ${id} has no favourite ${favoriteId}`);
      return { deleted: favoriteId };
    },
    'export.images': async ({ id, step, count, perClass, classLabel, seed, grid, out: to, ticket }) => {
      const r = ctx.runThatCan(id, 'export-images');
      const ckpt = ctx.checkpointRef(id, step);
      if (perClass && r.config.model !== 'cdcgan') throw fail('INVALID_INPUT', 'images per class need a class-conditional (cdcgan) run');
      if (perClass && classLabel !== undefined) throw fail('INVALID_INPUT', 'images per class, or of one class: not both');
      const dir = exportTarget(ctx, to, id, 'images');
      const classNames = showDataset(ctx.store.db, r.config.dataset)?.classes ?? [];
      const out = await ctx.generation.request({ kind: 'export-images', ckpt, dir, count, perClass, classLabel: classLabel ?? null, grid, classNames, seed }, (done, total) =>
        ticket ? ctx.emit('export.progress', { id, ticket, done, total }) : undefined,
      );
      return { step: ckpt.step, dir, ...out };
    },
    'export.model': async ({ id, step, out }) => {
      const r = ctx.runThatCan(id, 'export-model');
      const ckpt = ctx.checkpointRef(id, step);
      const dir = exportTarget(ctx, out, id, 'tfjs-model');
      const meta = { run: id, name: r.name, step: ckpt.step, dataset: r.config.dataset, classNames: showDataset(ctx.store.db, r.config.dataset)?.classes ?? [] };
      const { files, use } = await ctx.generation.request({ kind: 'export-model', ckpt, dir, meta });
      return { step: ckpt.step, dir, files, use };
    },
    'samples.snapshot': ({ id, step }) => {
      ctx.run(id);
      if (!ctx.store.sampleSteps(id).includes(step)) throw fail('NOT_FOUND', `run ${id} has no snapshot at step ${step}`);
      try {
        return { step, png: readFileSync(ctx.store.samplePath(id, step)).toString('base64') };
      } catch (err) {
        throw fail('NOT_FOUND', `the snapshot of run ${id} at step ${step} cannot be read: ${messageOf(err)}`);
      }
    },
    'runs.memorisation': ({ id, step }) => {
      ctx.run(id);
      const dir = ctx.store.dir(id);
      const steps = nearestPictureSteps(dir);
      if (step !== undefined && !steps.includes(step)) throw fail('NOT_FOUND', `run ${id} has no memorisation pictures at step ${step}${steps.length ? ` (it has ${steps.join(', ')})` : ''}`);
      const p = readNearestPictures(dir, step);
      return p ? { ...p, steps } : null;
    },
    'checkpoints.list': ({ id }) => (ctx.run(id), ctx.store.checkpoints(id)),
    'checkpoints.delete': ({ id, step }) => {
      ctx.run(id);
      if (isTraining(id)) throw fail('CONFLICT', `run ${id} is training; stop it before deleting its checkpoints`);
      if (!ctx.store.deleteCheckpoint(id, step)) throw fail('NOT_FOUND', `run ${id} has no checkpoint at step ${step}`);
      return { deleted: step };
    },
  };
}
