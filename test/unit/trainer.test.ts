import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { LOSSES } from '../../main/engine/config.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { calibrationLatents, generate } from '../../main/engine/networks.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import { maxAbsDiff, onBackend, tf, tinyConfig } from '../support/helpers.js';

const data = loadMnist();

async function weightsOf(t: Trainer): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, v] of (await t.toCheckpoint()).tensors) out.set(name, v.data);
  return out;
}

describe('trainer on the wasm backend', () => {
  before(() => onBackend('wasm'));

  test('a training step leaks no tensors', async () => {
    const t = Trainer.create(tinyConfig(), data);
    await t.trainStep();
    const after1 = tf.memory().numTensors;
    await t.trainStep();
    await t.trainStep();
    assert.equal(tf.memory().numTensors, after1);
    t.dispose();
  });

  for (const loss of LOSSES) {
    test(`${loss}: a step reports finite losses and D(x), D(G(z)) as probabilities, and changes both networks`, async () => {
      const t = Trainer.create(tinyConfig({ loss, model: loss === 'hinge' ? 'cdcgan' : 'dcgan', emaDecay: 0.9 }), data);
      const before = await weightsOf(t);
      const m = await t.trainStep();
      assert.equal(m.step, 1);
      for (const v of [m.dLoss, m.gLoss]) assert.ok(Number.isFinite(v));
      for (const p of [m.dReal, m.dFake]) assert.ok(p >= 0 && p <= 1, `probability ${p}`);
      assert.ok(m.imagesPerSec > 0);
      const after = await weightsOf(t);
      for (const net of ['G/', 'D/']) {
        const name = [...before.keys()].find((k) => k.startsWith(net) && k.endsWith('/W'))!;
        assert.notDeepEqual(after.get(name), before.get(name), `${name} did not change`);
      }
      assert.equal(t.optD.iterations, t.config.dSteps);
      assert.equal(t.optG.iterations, 1);
      t.dispose();
    });
  }
});

describe('trainer on the deterministic cpu backend', () => {
  before(() => onBackend('cpu'));

  // One critic step keeps the second-order WGAN-GP path affordable on the slow cpu backend.
  for (const over of [{}, { model: 'cdcgan', loss: 'wgan-gp', dSteps: 1, emaDecay: 0.9 }] as const) {
    test(`resume continues the same run: 2N steps = N, checkpoint, N more (${JSON.stringify(over)})`, async () => {
      const config = tinyConfig(over);
      const N = 2;
      const straight = Trainer.create(config, data);
      for (let i = 0; i < 2 * N; i++) await straight.trainStep();
      const want = await straight.toCheckpoint();
      straight.dispose();

      const first = Trainer.create(config, data);
      for (let i = 0; i < N; i++) await first.trainStep();
      const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await first.toCheckpoint())));
      first.dispose();
      const second = Trainer.create(config, data, saved);
      assert.equal(second.step, N);
      for (let i = 0; i < N; i++) await second.trainStep();
      const got = await second.toCheckpoint();
      second.dispose();

      assert.equal(got.step, 2 * N);
      assert.deepEqual(got.iterations, want.iterations);
      assert.deepEqual(got.rng, want.rng);
      assert.deepEqual([...got.tensors.keys()], [...want.tensors.keys()]);
      for (const [name, t] of want.tensors) assert.deepEqual(got.tensors.get(name)!.data, t.data, `${name} differs`);
    });
  }

  for (const model of ['dcgan', 'cdcgan'] as const) {
    test(`${model}: the averaged generator samples with batch-norm statistics measured on itself`, async () => {
      const t = Trainer.create(tinyConfig({ model, emaDecay: 0.9, lrG: 0.01 }), data);
      for (let i = 0; i < 3; i++) await t.trainStep();
      const s = t.sampler();
      assert.equal(s, t.ema);
      // G's statistics describe G, not its average: calibration replaced them.
      assert.ok(maxAbsDiff(s.get('bn0/mean').dataSync(), t.G.get('bn0/mean').dataSync()) > 1e-4);
      // Running statistics now equal the batch statistics of the calibration pass,
      // so inference on those latents draws what a training-mode pass draws.
      const { z, labels } = calibrationLatents(t.spec);
      const n = z.length / t.spec.zDim;
      const [inference, batchStats] = tf.tidy(() =>
        [{ training: false }, { training: true, statMomentum: 1 }].map((mode) =>
          generate(s, t.spec, tf.tensor2d(z, [n, t.spec.zDim]), labels && tf.tensor1d(labels, 'int32'), mode).dataSync(),
        ),
      );
      assert.ok(maxAbsDiff(inference, batchStats) < 1e-4, `inference differs by ${maxAbsDiff(inference, batchStats)}`);
      t.dispose();
    });
  }

  test('drawing samples mid-run changes nothing the run trains or saves', async () => {
    const config = tinyConfig({ emaDecay: 0.9 });
    const run = async (sampleEachStep: boolean) => {
      const t = Trainer.create(config, data);
      for (let i = 0; i < 3; i++) {
        await t.trainStep();
        if (sampleEachStep) await t.generateImages(new Float32Array(2 * t.spec.zDim).fill(0.5), null);
      }
      const c = await t.toCheckpoint();
      t.dispose();
      return c;
    };
    const plain = await run(false);
    const sampled = await run(true);
    for (const [name, v] of plain.tensors) assert.deepEqual(sampled.tensors.get(name)!.data, v.data, `${name} differs`);
  });

  test('the same seed trains the same weights; another seed does not', async () => {
    const run = async (seed: number) => {
      const t = Trainer.create(tinyConfig({ seed }), data);
      await t.trainStep();
      await t.trainStep();
      const w = (await weightsOf(t)).get('G/dense/W')!;
      t.dispose();
      return w;
    };
    assert.deepEqual(await run(5), await run(5));
    assert.notDeepEqual(await run(5), await run(6));
  });

  test('a checkpoint from another model is refused with a clear message', async () => {
    const t = Trainer.create(tinyConfig(), data);
    const c = await t.toCheckpoint();
    t.dispose();
    c.tensors.delete('D/out/W');
    assert.throws(() => Trainer.create(tinyConfig(), data, c), /lacks tensor D\/out\/W/);
  });
});
