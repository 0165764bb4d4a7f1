/**
 * Sweeps: a grid of variants expanded from one configuration, created as
 * one tagged group and trained here one after another (the remote queue's
 * side is in remote-queue.test.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { expandSweep, sweepTag, variantName, MAX_SWEEP } from '../../main/runs/sweep.js';
import { StudioService } from '../../main/service/studio-service.js';
import { tempDir } from '../support/helpers.js';
import { ok } from '../support/service.js';

const BASE = { dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, backend: 'wasm', steps: 6, checkpointEvery: 3, loss: 'bce' } as const;

describe('sweeps', () => {
  test('the grid is every combination of the values, the first axis slowest, repeats dropped; lr sets both rates', () => {
    const v = expandSweep(BASE, { lr: [1e-3, 2e-4, 1e-3], seed: [1, 2], loss: ['hinge'] });
    // Axes are taken in a fixed order (preset, loss, lr, seed), not the order the object lists them.
    assert.deepEqual(v.map((x) => x.label), ['loss=hinge lr=0.001 seed=1', 'loss=hinge lr=0.001 seed=2', 'loss=hinge lr=0.0002 seed=1', 'loss=hinge lr=0.0002 seed=2']);
    assert.deepEqual(v.map((x) => [x.config.lrG, x.config.lrD, x.config.seed, x.config.loss]), [
      [1e-3, 1e-3, 1, 'hinge'],
      [1e-3, 1e-3, 2, 'hinge'],
      [2e-4, 2e-4, 1, 'hinge'],
      [2e-4, 2e-4, 2, 'hinge'],
    ]);
    // The base is not changed, and settings not varied are the base's.
    assert.equal(BASE.loss, 'bce');
    assert.ok(v.every((x) => x.config.width === 8 && x.config.dataset === 'builtin:mnist'));
  });

  test('a sweep needs an axis, two variants at least and at most MAX_SWEEP', () => {
    assert.throws(() => expandSweep(BASE, {}), /at least one setting to vary/);
    assert.throws(() => expandSweep(BASE, { seed: [4, 4] }), /at least two variants/);
    assert.throws(() => expandSweep(BASE, { seed: [1, 2, 3, 4, 5, 6], lr: [1e-3, 2e-4, 1e-4] }), new RegExp(`has 18 runs; a sweep queues at most ${MAX_SWEEP}`));
    assert.equal(expandSweep(BASE, { seed: [1, 2, 3, 4], lr: [1e-3, 2e-4, 1e-4, 5e-5] }).length, 16);
  });

  test('the tag is unique and a variant name fits in a run name', () => {
    const now = new Date('2026-12-01T09:30:05Z');
    assert.equal(sweepTag(now, () => false), 'sweep-20261201-093005');
    const taken = new Set(['sweep-20261201-093005', 'sweep-20261201-093005-2']);
    assert.equal(sweepTag(now, (t) => taken.has(t)), 'sweep-20261201-093005-3');
    const long = variantName('x'.repeat(300), 'loss=hinge '.repeat(20));
    assert.ok(long.length <= 100 && long.startsWith('x'.repeat(40) + ' · loss=hinge'));
  });

  test('a sweep trained here: runs made with one tag, trained one after another, each with its own settings', async () => {
    const s = new StudioService(tempDir('gan-studio-sweep'));
    try {
      const finished = new Set<string>();
      const allDone = new Promise<void>((resolve) => s.on('run.finished', (e) => finished.add(e.id) && finished.size === 3 && resolve()));
      const sweep = await ok(s, 'runs.sweep', { config: BASE, vary: { lr: [1e-3, 2e-4, 5e-5] } });
      assert.deepEqual(sweep.runs.map((r) => r.name), ['sweep of builtin:mnist · lr=0.001', 'sweep of builtin:mnist · lr=0.0002', 'sweep of builtin:mnist · lr=0.00005']);
      // One trains at a time: the first is taken at once, the others wait.
      assert.deepEqual(sweep.runs.map((r) => r.status), ['queued', 'queued', 'queued']);
      await allDone;
      const group = await ok(s, 'runs.list', { tag: sweep.tag });
      assert.equal(group.length, 3);
      for (const r of sweep.runs) {
        const done = s.store.get(r.id);
        assert.equal(done.status, 'completed');
        assert.ok(done.tags.includes(sweep.tag));
        assert.equal(s.store.readMetrics(r.id).length, BASE.steps);
      }
      assert.deepEqual(sweep.runs.map((r) => s.store.get(r.id).config.lrG), [1e-3, 2e-4, 5e-5]);
      const cmp = await ok(s, 'runs.compare', { ids: sweep.runs.map((r) => r.id) });
      assert.deepEqual(cmp.differingSettings.sort(), ['lrD', 'lrG']);
      const losses = sweep.runs.map((r) => s.store.lastMetrics(r.id)!.gLoss);
      assert.equal(new Set(losses).size, 3, 'different rates trained differently');
    } finally {
      await s.close();
    }
  });

  test('a sweep that cannot be made creates nothing; a place in the queue is for workers only; remote without Redis says how', async () => {
    const s = new StudioService(tempDir('gan-studio-sweep'));
    try {
      const bad = await s.call('runs.sweep', { config: { ...BASE, dataset: 'no-such-set' }, vary: { seed: [1, 2] } });
      assert.equal(bad.ok, false);
      assert.match(!bad.ok ? bad.error.message : '', /no-such-set/);
      const spot = await s.call('runs.sweep', { config: BASE, vary: { seed: [1, 2] }, queue: { priority: 'high' } });
      assert.match(!spot.ok ? spot.error.message : '', /for runs on workers/);
      const remote = await s.call('runs.sweep', { config: BASE, vary: { seed: [1, 2] }, remote: true });
      assert.equal(!remote.ok && remote.error.code, 'UNAVAILABLE');
      assert.deepEqual(await ok(s, 'runs.list', {}), [], 'nothing was created');
    } finally {
      await s.close();
    }
  });

  test('gan-studio sweep trains the grid here and ends with a table of the runs, best FID first', () => {
    const home = tempDir('gan-studio-sweep-cli');
    const bin = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
    const args = ['sweep', '--name', 'cli', '--steps', '4', '--checkpoint-every', '4', '--width', '8', '--batch', '8', '--z-dim', '16', '--backend', 'wasm', '--vary', 'loss=bce,hinge', '--json'];
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; tag?: string; runs?: { name: string; status: string; fid: number | null }[] });
    assert.deepEqual(lines.map((l) => l.type), ['queued', 'run', 'run', 'sweep']);
    const end = lines.at(-1)!;
    assert.equal(end.tag, lines[0].tag);
    assert.deepEqual(end.runs!.map((x) => x.name).sort(), ['cli · loss=bce', 'cli · loss=hinge']);
    assert.ok(end.runs!.every((x) => x.status === 'completed' && typeof x.fid === 'number'));
    assert.ok(end.runs![0].fid! <= end.runs![1].fid!, 'best FID first');
  });
});
