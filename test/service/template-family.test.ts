/**
 * The template family (mlp) through the studio service, with nothing of its
 * own outside its folder and its registry line: created and refused by the
 * contract's checks, trained in a worker, evaluated in the evaluation
 * worker, sampled in the generation worker, refused for what it cannot do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StudioService } from '../../main/service/studio-service.js';
import type { StudioEvents } from '../../main/service/contract.js';
import { tempDir } from '../support/helpers.js';
import { ok, until } from '../support/service.js';

test('an MLP run trains, is judged, draws samples and refuses to upscale', async () => {
  const s = new StudioService(tempDir('gan-template-family'), { previewEvery: 2 });
  try {
    const evaluations: StudioEvents['run.evaluation'][] = [];
    s.on('run.evaluation', (e) => evaluations.push(e));
    const config = { task: 'mlp', dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 8, steps: 4, checkpointEvery: 2, backend: 'wasm' };
    const run = await ok(s, 'runs.create', { config, start: true });
    assert.equal(run.name, 'mnist mlp/hinge');
    const done = await until(s, 'run.finished', (e) => e.id === run.id);
    assert.equal(done.error, null);
    assert.equal(done.summary?.steps, 4);
    // Each checkpoint is measured beside training; the last may land after the run ends.
    while (evaluations.filter((e) => e.id === run.id).length < 2) await until(s, 'run.evaluation', (e) => e.id === run.id);
    const last = evaluations.filter((e) => e.id === run.id).at(-1)!.evaluation;
    assert.ok(Number.isFinite(last.fid) && last.fid > 0, `fid ${last.fid}`);

    const samples = await ok(s, 'samples.generate', { id: run.id, count: 3, seed: 7 });
    assert.equal(samples.images.length, 3);
    // The explorer's walks serve any family that draws from noise.
    const walk = await ok(s, 'latent.walk', { id: run.id, keyframes: samples.latents.slice(0, 2), frames: 4, scale: 1 });
    assert.equal(walk.frames, 4);
    const edit = await s.call('images.edit', { id: run.id, latent: samples.latents[0] });
    assert.ok(!edit.ok && /is an MLP GAN run: .*, not a GAN run/.test(edit.error.message), JSON.stringify(edit));
    const upscale = await s.call('images.upscale', { id: run.id, image: Buffer.from('not read').toString('base64') });
    assert.ok(!upscale.ok && /is an MLP GAN run: it generates images from noise \(gan-studio sample\), not a super-resolution run/.test(upscale.error.message), JSON.stringify(upscale));
  } finally {
    await s.close();
  }
});
