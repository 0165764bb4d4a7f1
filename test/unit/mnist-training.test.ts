/**
 * A short run on the real MNIST digits: the game moves and the generator
 * learns something digit-like without collapsing to one image. Long training
 * (recognisable digits) is the job of `gan-studio train`, not of the tests.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist } from '../../main/datasets/mnist.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { generateBatch, sampleLatents } from '../../main/engine/sampling.js';
import { onBackend, tinyConfig } from '../support/helpers.js';

before(() => onBackend('wasm'));

function stats(images: Float32Array, count: number, per: number) {
  let mean = 0;
  for (const v of images) mean += v;
  mean /= images.length;
  // Mean over pixels of the spread across samples: 0 when every sample is the same image.
  let spread = 0;
  for (let p = 0; p < per; p++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < count; i++) {
      const v = images[i * per + p];
      s += v;
      s2 += v * v;
    }
    spread += Math.sqrt(Math.max(0, s2 / count - (s / count) ** 2));
  }
  return { mean, spread: spread / per };
}

test('a short run on builtin:mnist moves D(G(z)) and yields varied, MNIST-like samples', async () => {
  const data = loadMnist();
  assert.equal(data.count, 10_000);
  const t = Trainer.create(tinyConfig({ backend: 'wasm', width: 16, batch: 32, zDim: 32, seed: 3, lrG: 5e-4, lrD: 5e-4 }), data);
  const count = 64;
  const { z, labels } = sampleLatents(t, count, 11);
  const per = 28 * 28;
  const before = stats((await generateBatch(t, z, labels)).data, count, per);
  let realMean = 0;
  for (const v of data.pixels) realMean += v / 127.5 - 1;
  realMean /= data.pixels.length;

  const dFake: number[] = [];
  for (let i = 0; i < 150; i++) dFake.push((await t.trainStep()).dFake);
  const after = stats((await generateBatch(t, z, labels)).data, count, per);
  t.dispose();

  const early = dFake.slice(0, 5).reduce((a, b) => a + b) / 5;
  const late = dFake.slice(-20).reduce((a, b) => a + b) / 20;
  assert.ok(Math.abs(late - early) > 0.05, `D(G(z)) stayed at ${early.toFixed(3)} → ${late.toFixed(3)}`);
  // MNIST is mostly black background: samples move from grey noise towards its mean intensity.
  assert.ok(Math.abs(after.mean - realMean) < Math.abs(before.mean - realMean) / 2, `sample mean ${before.mean.toFixed(3)} → ${after.mean.toFixed(3)}, data ${realMean.toFixed(3)}`);
  assert.ok(after.spread > 0.15, `samples are nearly all alike (spread ${after.spread.toFixed(3)})`);
});
