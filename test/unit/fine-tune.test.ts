import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Trainer } from '../../main/families/gan/trainer.js';
import { FastGanTrainer } from '../../main/families/fastgan/trainer.js';
import { NetPair } from '../../main/engine/net-pair.js';
import { discriminatorBlocks } from '../../main/engine/networks.js';
import { fastGanDiscriminatorBlocks, fastGanSpec } from '../../main/families/fastgan/networks.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import type { Dataset } from '../../main/core/dataset.js';
import { StudioError } from '../../main/errors.js';
import { maxAbsDiff, onBackend, tf, tinyConfig } from '../support/helpers.js';

const mnist = loadMnist();

async function weightsOf(t: { toCheckpoint(): Promise<{ tensors: Map<string, { data: Float32Array }> }> }): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, v] of (await t.toCheckpoint()).tensors) out.set(name, v.data);
  return out;
}

/** Names of tensors that moved between two snapshots. */
function moved(a: Map<string, Float32Array>, b: Map<string, Float32Array>, prefix: string): string[] {
  return [...a].filter(([name, v]) => name.startsWith(prefix) && maxAbsDiff(v, b.get(name)!) > 0).map(([name]) => name);
}

/** 64 px colour images of soft random blobs, for FastGAN's smallest size. */
function blobs(count: number): Dataset {
  const size = 64;
  const pixels = new Uint8Array(count * size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.sin(i * 0.001 + (i % 3)) * 0.5 + 0.5) * 255;
  return { name: 'blobs', size, channels: 3, count, pixels, labels: null, classNames: [] };
}

describe('fine-tuning and FreezeD', () => {
  before(() => onBackend('cpu'));

  test("a fine-tuned run starts with its parent's networks and average, fresh optimisers, step 0 and its own random stream", async () => {
    const parent = Trainer.create(tinyConfig({ seed: 3, emaDecay: 0.9, augment: 'ada' }), mnist);
    for (let i = 0; i < 3; i++) await parent.trainStep();
    const parentCk = await parent.toCheckpoint();
    const config = tinyConfig({ seed: 11, emaDecay: 0.9 });
    const start = NetPair.startFrom(parentCk, config, config.seed);
    assert.equal(start.step, 0);
    assert.deepEqual(start.iterations, {});
    assert.ok(![...start.tensors.keys()].some((n) => n.startsWith('adam') || n.startsWith('augment/')), 'no optimiser or augmentation state is carried over');
    const child = Trainer.create(config, mnist, start);
    assert.equal(child.step, 0);
    assert.equal(child.optG.iterations, 0);
    const got = await weightsOf(child);
    for (const [name, v] of parentCk.tensors) {
      if (/^(G|D|EMA)\//.test(name)) assert.equal(maxAbsDiff(v.data, got.get(name)!), 0, `${name} is the parent's`);
      if (name.startsWith('adam')) assert.equal(Math.max(...got.get(name)!.map(Math.abs)), 0, `${name} starts at zero`);
    }
    // The same start and seed train the same: the run is reproducible from its own seed.
    const twin = Trainer.create(config, mnist, start);
    const [a, b] = [await child.trainStep(), await twin.trainStep()];
    assert.deepEqual([a.dLoss, a.gLoss], [b.dLoss, b.gLoss]);
    for (const t of [parent, child, twin]) t.dispose();
  });

  test("FreezeD holds D's first blocks still while the rest of D and all of G train, and leaks nothing", async () => {
    const t = Trainer.create(tinyConfig({ freezeD: 2 }), mnist);
    const blocks = discriminatorBlocks(t.spec);
    assert.deepEqual(blocks, ['conv0', 'conv1', 'out']);
    const before = await weightsOf(t);
    await t.trainStep();
    const n = tf.memory().numTensors;
    await t.trainStep();
    assert.equal(tf.memory().numTensors, n);
    const after = await weightsOf(t);
    assert.deepEqual(moved(before, after, 'D/conv0').concat(moved(before, after, 'D/conv1')), [], 'the frozen blocks do not change');
    assert.deepEqual(moved(before, after, 'D/out').sort(), ['D/out/W', 'D/out/b']);
    assert.ok(moved(before, after, 'G/').length > 0);
    t.dispose();
  });

  test("freezing every block is refused in words: the head always trains", () => {
    assert.throws(
      () => Trainer.create(tinyConfig({ freezeD: 3 }), mnist),
      (e: unknown) => e instanceof StudioError && /has 3 blocks and its last always trains; freeze at most 2/.test(e.message),
    );
  });
});

// On wasm: FastGAN's 64 px step takes half a minute on the reference cpu backend.
describe('FreezeD on FastGAN', () => {
  before(() => onBackend('wasm'));

  test('names its blocks from the image side and keeps the decoders training', async () => {
    const data = blobs(4);
    const t = FastGanTrainer.create(tinyConfig({ task: 'fastgan', dataset: 'blobs', batch: 2, width: 8, zDim: 16, freezeD: 2 }), data);
    assert.deepEqual(fastGanDiscriminatorBlocks(fastGanSpec(64, 3, 16, 8)), ['in', 'down16', 'down8', 'head']);
    const before = await weightsOf(t);
    await t.trainStep();
    const after = await weightsOf(t);
    // Batch norm's running statistics keep following the new data; every trained weight of the frozen blocks stays.
    const trained = (n: string) => !/\/(mean|var)$/.test(n);
    assert.deepEqual(moved(before, after, 'D/in/').concat(moved(before, after, 'D/down16/')).filter(trained), []);
    assert.ok(moved(before, after, 'D/down16/').some((n) => !trained(n)), 'the running statistics do move');
    assert.ok(moved(before, after, 'D/down8/').length > 0 && moved(before, after, 'D/decBig/').length > 0);
    t.dispose();
  });

});
