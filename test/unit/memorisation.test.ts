/**
 * The memorisation check with the builtin MNIST judge: a stand-in generator
 * that returns training images scores as copying (share 1, its nearest
 * training image is itself), fresh real images the training set never
 * referenced score about the reference's 1%, and a copy with noise that the
 * judge no longer reads as the same digit stops counting.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinJudge, evaluateSamples, imagesAt, realReference, type Judge } from '../../main/judges/index.js';
import { memorisation, nearestInPixels, nearestTraining } from '../../main/judges/memorisation.js';
import { nearestPictures } from '../../main/evaluation/nearest-pictures.js';
import sharp from 'sharp';
import { loadMnist } from '../../main/datasets/mnist.js';
import { Rng } from '../../main/engine/rng.js';
import { onBackend } from '../support/helpers.js';

let judge: Judge;
const data = loadMnist();

before(async () => {
  await onBackend('wasm');
  judge = builtinJudge('builtin:mnist');
});

test('copies of training images score 1, fresh real images about the reference’s 1%', async () => {
  const real = await realReference(judge, data, 1000, 7);
  const used = new Set(real.indices);
  const copies = Array.from(real.indices.subarray(0, 500));
  const fresh: number[] = [];
  for (let i = 0; fresh.length < 500; i++) if (!used.has(i)) fresh.push(i);

  const copied = await evaluateSamples(judge, real, imagesAt(data, copies), copies.length);
  assert.equal(copied.memorised, 1);
  // The most typical copy's nearest training image is the image it copies.
  assert.equal(real.indices[copied.typical.reference], copies[copied.typical.sample]);

  const held = await evaluateSamples(judge, real, imagesAt(data, fresh), fresh.length);
  assert.ok(held.memorised < 0.04, `fresh real images: ${held.memorised}`);
  assert.notEqual(real.indices[held.novel.reference], fresh[held.novel.sample]);
});

test('nearest training images and the share by hand on points: ties at the threshold count, the farthest is the most novel', () => {
  // Reference points at 0, 10, 20 on a line; samples at 0, 9.5, 16, 40.
  const near = nearestTraining(Float32Array.of(0, 9.5, 16, 40), Float32Array.of(0, 10, 20), 1);
  assert.deepEqual(Array.from(near.distance), [0, 0.5, 4, 20]);
  assert.deepEqual(Array.from(near.index), [0, 1, 2, 2]);
  const m = memorisation(near, 0.5);
  assert.equal(m.share, 0.5);
  assert.deepEqual(m.typical, { sample: 0, reference: 0, distance: 0 });
  assert.deepEqual(m.novel, { sample: 3, reference: 2, distance: 20 });
  // A noisy copy is farther than the threshold: with noise the share of copies falls.
  const rng = Rng.fromSeed(1);
  const noisy = Float32Array.from({ length: 3 }, (_, i) => [0, 10, 20][i] + 3 + rng.uniform());
  assert.equal(memorisation(nearestTraining(noisy, Float32Array.of(0, 10, 20), 1), 0.5).share, 0);
});

test('nearest in pixels: the exact copy at RMS 0, a shifted image at its RMS, every image searched', () => {
  const per = 28 * 28;
  const k = 6123;
  const copy = data.pixels.slice(k * per, (k + 1) * per);
  assert.deepEqual(nearestInPixels(copy, data.pixels, per), { index: k, rms: 0 });
  // Brighter by 10 where it can be: still nearest to its source, at the RMS of the change.
  const brighter = copy.map((v) => Math.min(255, v + 10));
  let d2 = 0;
  for (let p = 0; p < per; p++) d2 += (brighter[p] - copy[p]) ** 2;
  const near = nearestInPixels(brighter, data.pixels, per);
  assert.equal(near.index, k);
  assert.ok(Math.abs(near.rms - Math.sqrt(d2 / per)) < 1e-9);
  assert.throws(() => nearestInPixels(copy.subarray(1), data.pixels, per), /same shape/);
});

test('the pictures of copies: each sample beside its source, found by the judge and in pixels', async () => {
  const real = await realReference(judge, data, 500, 3);
  const copies = [real.indices[10], real.indices[20], real.indices[30]];
  const images = imagesAt(data, copies);
  const e = await evaluateSamples(judge, real, images, copies.length);
  const pictures = await nearestPictures(9, { data: images, count: 3, size: 28, channels: 1 }, data, real.indices, real.nearDuplicateThreshold, e);
  assert.ok(pictures);
  assert.equal(pictures.step, 9);
  assert.deepEqual(pictures.pairs.map((p) => p.kind), ['typical', 'novel']);
  for (const p of pictures.pairs) {
    assert.equal(p.pixelRms, 0);
    assert.ok(p.featureDistance <= pictures.threshold);
    // The three PNGs of a copy hold the same pixels.
    const raw = await Promise.all([p.sample, p.byFeatures, p.byPixels].map((b) => sharp(Buffer.from(b, 'base64')).raw().toBuffer()));
    assert.deepEqual(raw[1], raw[0]);
    assert.deepEqual(raw[2], raw[0]);
  }
});
