/**
 * ADA inside a GAN run: p rises while D is sure of the real images and
 * stays near 0 while it is not, is charted per step, and a resumed run
 * augments exactly as an uninterrupted one (p and the controller's
 * half-counted interval go into the checkpoint).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { ADA_IMAGES, ADA_INTERVAL } from '../../main/engine/ada.js';
import type { CheckpointData } from '../../main/engine/checkpoint.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import type { Dataset } from '../../main/core/dataset.js';
import { onBackend, tinyConfig } from '../support/helpers.js';

const full = loadMnist();
const first = (k: number): Dataset => ({ ...full, count: k, pixels: full.pixels.subarray(0, k * full.size * full.size), labels: full.labels?.subarray(0, k) ?? null });

async function pAfter(t: Trainer, steps: number): Promise<number[]> {
  const ps: number[] = [];
  for (let i = 0; i < steps; i++) ps.push((await t.trainStep()).augmentP!);
  t.dispose();
  return ps;
}

describe('ADA in a GAN run (wasm)', () => {
  before(() => onBackend('wasm'));

  test('p climbs at the stated rate while D is sure of the reals, and stays near 0 in a balanced run on 10k digits', async () => {
    const steps = 160;
    // G all but frozen: D soon tells every real image from G's, so r_t ≈ 1 > 0.6.
    const winning = await pAfter(Trainer.create(tinyConfig({ augment: 'ada', width: 16, lrG: 1e-7, seed: 3 }), first(16)), steps);
    const climb = (steps * 8) / ADA_IMAGES;
    assert.equal(winning[0], 0, 'p starts at 0');
    assert.ok(winning.at(-1)! > 0.6 * climb, `p ${winning.at(-1)} after ${steps} steps, at most ${climb}`);
    const balanced = await pAfter(Trainer.create(tinyConfig({ augment: 'ada', width: 16, seed: 3, preset: 'quality' }), full), steps);
    // D is sure of the reals only at first, while G draws noise; once G catches up, p falls back.
    const peak = Math.max(...balanced);
    assert.ok(peak < 0.5 * winning.at(-1)!, `balanced run's peak p ${peak}`);
    assert.ok(balanced.at(-1)! < 0.1 * climb, `balanced run's p at the end ${balanced.at(-1)}`);
  });
});

describe('ADA resumes exactly (cpu)', () => {
  before(() => onBackend('cpu'));

  test('2N steps = N, checkpoint, N more, at p = 0.5 and mid-interval', async () => {
    const config = tinyConfig({ augment: 'ada' });
    const data = first(64);
    // A run whose p already stands at 0.5, so that every batch D sees is augmented.
    const seed = Trainer.create(config, data);
    await seed.trainStep();
    const start = await seed.toCheckpoint();
    seed.dispose();
    start.tensors.set('augment/ada', { shape: [4], data: Float32Array.of(0.5, 0, 0, 0) });
    const from = (c: CheckpointData) => decodeCheckpoint(Buffer.concat(encodeCheckpoint(c)));
    // Resumed mid-interval: the controller's partial counts must come back too.
    const N = ADA_INTERVAL - 1;
    const straight = Trainer.create(config, data, from(start));
    for (let i = 0; i < 2 * N; i++) await straight.trainStep();
    const want = await straight.toCheckpoint();
    straight.dispose();

    const a = Trainer.create(config, data, from(start));
    const ps: number[] = [];
    for (let i = 0; i < N; i++) ps.push((await a.trainStep()).augmentP!);
    const saved = from(await a.toCheckpoint());
    a.dispose();
    const b = Trainer.create(config, data, saved);
    for (let i = 0; i < N; i++) ps.push((await b.trainStep()).augmentP!);
    const got = await b.toCheckpoint();
    b.dispose();
    assert.equal(ps[0], 0.5);
    assert.notEqual(ps.at(-1), 0.5, 'p moved during the run');
    assert.deepEqual(got.rng, want.rng);
    assert.deepEqual([...got.tensors.keys()].sort(), [...want.tensors.keys()].sort());
    for (const [name, t] of want.tensors) assert.deepEqual(got.tensors.get(name)!.data, t.data, `${name} differs`);
  });
});
