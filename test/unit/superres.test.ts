/**
 * Super-resolution: the data pipeline (held-out split, crops and their
 * low-resolution versions), resampling, the networks' shapes, two-phase
 * training with exact resume and no leaks, seamless tiles, and the image
 * reader's handling of grey, transparent and oversized inputs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { resolveConfig } from '../../main/families/run-config.js';
import { Rng } from '../../main/engine/rng.js';
import { heldOutSplit } from '../../main/engine/held-out.js';
import { pairBatch } from '../../main/families/superres/data.js';
import { createPatchDiscriminator, createSrGenerator, judgePatches, pixelShuffle, superResolve, type SrSpec } from '../../main/families/superres/networks.js';
import { contributions, cubic, downscaleArea, resizeBicubic, type Image } from '../../main/images/resample.js';
import { upscaleTiled } from '../../main/families/superres/tiles.js';
import { gaussianBlur, jpegRoundTrip, lowResOf } from '../../main/families/superres/degrade.js';
import { SrTrainer } from '../../main/families/superres/trainer.js';
import { readForUpscale, upscaledPng } from '../../main/images/full-size-io.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import { evaluateSuperRes, heldOutImages } from '../../main/families/superres/evaluation.js';
import { fidelity } from '../../main/judges/fidelity.js';
import { maxAbsDiff, onBackend, tf } from '../support/helpers.js';

const mnist = loadMnist();
const tiny = (over: Record<string, unknown> = {}) =>
  resolveConfig({ task: 'superres', dataset: 'builtin:mnist', steps: 6, batch: 4, emaDecay: 0.9, superres: { scale: 2, crop: 28, blocks: 2, feats: 8, dWidth: 8, psnrSteps: 3, ...over } });

describe('data', () => {
  test('the held-out split is fixed, disjoint, a tenth of the images (1 to 24), and leaves images to train on', () => {
    for (const count of [2, 10, 57, 1000, 10_000]) {
      const a = heldOutSplit(count);
      assert.deepEqual(heldOutSplit(count), a, 'the same every time');
      assert.equal(a.heldOut.length, Math.min(24, Math.max(1, Math.round(count / 10))));
      assert.equal(a.train.length + a.heldOut.length, count);
      const held = new Set(a.heldOut);
      assert.ok(a.train.every((k) => !held.has(k)), 'disjoint');
    }
    assert.throws(() => heldOutSplit(1), /at least 2 images/);
  });

  test('crops come from training images only, with low-resolution versions that are their area averages', () => {
    const { train, heldOut } = heldOutSplit(mnist.count);
    const small = { ...mnist, count: 40, pixels: mnist.pixels.slice(0, 40 * 784) };
    const split = heldOutSplit(40);
    const b = pairBatch(small, split.train, 6, { crop: 16, scale: 2, downscale: 'area', degradation: 'none', flips: false }, Rng.fromSeed(3));
    assert.equal(b.hr.length, 6 * 16 * 16);
    assert.equal(b.lr.length, 6 * 8 * 8);
    // The low-resolution pixel is the mean of its 2×2 block (in [-1, 1], the mean is linear).
    for (let i = 0; i < 6; i++) {
      for (const [y, x] of [[0, 0], [3, 5], [7, 7]]) {
        const hr = (dy: number, dx: number) => b.hr[i * 256 + (2 * y + dy) * 16 + 2 * x + dx];
        const mean = (hr(0, 0) + hr(0, 1) + hr(1, 0) + hr(1, 1)) / 4;
        assert.ok(Math.abs(b.lr[i * 64 + y * 8 + x] - mean) < 1e-6);
      }
    }
    // Every crop is found in some training image, none in a held-out one.
    const at = (k: number, oy: number, ox: number) => Array.from({ length: 16 * 16 }, (_, j) => small.pixels[k * 784 + (oy + Math.floor(j / 16)) * 28 + ox + (j % 16)] / 127.5 - 1);
    for (let i = 0; i < 6; i++) {
      const crop = Array.from(b.hr.subarray(i * 256, (i + 1) * 256));
      const from = [...Array(40).keys()].filter((k) => [...Array(13).keys()].some((oy) => [...Array(13).keys()].some((ox) => maxAbsDiff(at(k, oy, ox), crop) < 1e-6)));
      assert.ok(from.length > 0 && from.every((k) => split.train.includes(k)), `crop ${i} from ${from}`);
    }
    assert.ok(train.length > heldOut.length);
    assert.deepEqual(pairBatch(small, split.train, 6, { crop: 16, scale: 2, downscale: 'area', degradation: 'none', flips: true }, Rng.fromSeed(3)), pairBatch(small, split.train, 6, { crop: 16, scale: 2, downscale: 'area', degradation: 'none', flips: true }, Rng.fromSeed(3)), 'seeded');
  });
});

describe('resampling', () => {
  test('bicubic is Keys’ cubic with a = −0.5 and mirrored edges, as MATLAB’s imresize', () => {
    assert.equal(cubic(0), 1);
    assert.equal(cubic(1), 0);
    assert.equal(cubic(2), 0);
    assert.equal(cubic(0.5), 0.5625);
    const up = resizeBicubic({ data: [1, 2, 3, 4], width: 4, height: 1, channels: 1 }, 8, 1).data;
    // By hand: out0 = (w(-0.75) + w(0.25)) x0 + (w(1.25) + w(2.25)) x1 = 1.09375 − 0.09375·2.
    assert.ok(Math.abs(up[0] - 0.90625) < 1e-6);
    assert.ok(Math.abs(up[1] - 1.1796875) < 1e-6);
    assert.ok(Math.abs(up[7] - 4.09375) < 1e-6, 'symmetric');
  });

  test('weights sum to one; shrinking widens the kernel (antialiasing); constants stay constant; ramps stay ramps inside', () => {
    for (const [a, b] of [[10, 20], [20, 10], [64, 16], [7, 13]]) {
      const c = contributions(a, b);
      for (let o = 0; o < b; o++) {
        const s = Array.from(c.weight.subarray(o * c.taps, (o + 1) * c.taps)).reduce((x, y) => x + y, 0);
        assert.ok(Math.abs(s - 1) < 1e-12);
      }
    }
    assert.ok(contributions(64, 16).taps > contributions(16, 64).taps);
    const flat = resizeBicubic({ data: new Float32Array(12 * 9 * 3).fill(77), width: 12, height: 9, channels: 3 }, 36, 27);
    assert.ok(flat.data.every((v) => Math.abs(v - 77) < 1e-4));
    const ramp = resizeBicubic({ data: Float32Array.from({ length: 16 }, (_, i) => 3 * i), width: 16, height: 1, channels: 1 }, 32, 1).data;
    for (let x = 6; x < 26; x++) assert.ok(Math.abs(ramp[x] - 3 * ((x + 0.5) / 2 - 0.5)) < 1e-4, `x ${x}`);
    // A one-pixel checkerboard has no frequency a quarter-size image can show: shrunk with antialiasing, it is grey.
    const board = Float32Array.from({ length: 32 * 32 }, (_, i) => ((i % 32) + Math.floor(i / 32)) % 2 ? 255 : 0);
    const shrunk = resizeBicubic({ data: board, width: 32, height: 32, channels: 1 }, 8, 8).data;
    assert.ok(shrunk.every((v) => Math.abs(v - 127.5) < 4), `${Math.min(...shrunk)}…${Math.max(...shrunk)}`);
    assert.deepEqual(Array.from(downscaleArea({ data: [0, 4, 8, 12], width: 2, height: 2, channels: 1 }, 2).data), [6]);
    assert.throws(() => downscaleArea({ data: new Float32Array(9), width: 3, height: 3, channels: 1 }, 2), /whole number/);
  });
});

describe('networks', () => {
  const spec = (scale: 2 | 4): SrSpec => ({ task: 'superres', channels: 3, scale, blocks: 2, feats: 8, crop: 32, dWidth: 8 });

  test('the generator enlarges by its scale; the patch discriminator gives a logit per patch and its features', async () => {
    await onBackend('cpu');
    for (const scale of [2, 4] as const) {
      const s = spec(scale);
      const G = createSrGenerator(s, Rng.fromSeed(1));
      const D = createPatchDiscriminator(s, Rng.fromSeed(1));
      tf.tidy(() => {
        assert.deepEqual(superResolve(G, s, tf.zeros([2, 5, 7, 3])).shape, [2, 5 * scale, 7 * scale, 3]);
        const d = judgePatches(D, tf.zeros([2, 32, 32, 3]));
        assert.deepEqual(d.logits.shape, [2, 4, 4, 1]);
        assert.deepEqual(d.features.map((f) => f.shape), [[2, 16, 16, 16], [2, 8, 8, 32], [2, 4, 4, 64]]);
      });
      G.dispose();
      D.dispose();
    }
  });

  test('pixel shuffle is TensorFlow’s depth-to-space, written with ops that have gradients', async () => {
    await onBackend('cpu');
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 4, 12], 0, 1, 'float32', 5) as tf.Tensor4D;
      assert.ok(maxAbsDiff(pixelShuffle(x).dataSync(), tf.depthToSpace(x, 2).dataSync()) === 0);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.square(pixelShuffle(a as tf.Tensor4D))))(x);
      assert.ok(maxAbsDiff(g.dataSync(), tf.mul(x, 2).dataSync()) < 1e-5);
    });
  });
});

describe('training', () => {
  test('two phases: L1 alone, then L1 with the discriminator; no tensors leak in either', async () => {
    await onBackend('wasm');
    const t = SrTrainer.create(tiny(), mnist);
    const first = await t.trainStep();
    assert.ok(first.content! > 0 && first.dLoss === null && first.dReal === null, JSON.stringify(first));
    const tensors = tf.memory().numTensors;
    await t.trainStep();
    await t.trainStep();
    assert.equal(t.phase, 'adversarial');
    const gan = await t.trainStep();
    for (const k of ['content', 'dLoss', 'gLoss', 'dReal', 'dFake', 'accReal', 'accFake'] as const) assert.ok(Number.isFinite(gan[k]), k);
    await t.trainStep();
    assert.equal(tf.memory().numTensors, tensors);
    const p = await t.preview();
    assert.deepEqual([p.columns, p.batch.count, p.batch.size], [3, 12, 28]);
    t.dispose();
  });

  test('resume continues exactly, across the phase boundary, with realistic degradations drawn from the saved generator', async () => {
    await onBackend('cpu');
    const config = tiny({ fmWeight: 1, degradation: 'realistic' });
    const straight = SrTrainer.create(config, mnist);
    for (let i = 0; i < 5; i++) await straight.trainStep();
    const want = await straight.toCheckpoint();
    straight.dispose();
    const first = SrTrainer.create(config, mnist);
    for (let i = 0; i < 2; i++) await first.trainStep();
    const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await first.toCheckpoint())));
    first.dispose();
    const second = SrTrainer.create(config, mnist, saved);
    for (let i = 0; i < 3; i++) await second.trainStep();
    const got = await second.toCheckpoint();
    second.dispose();
    assert.deepEqual(got.rng, want.rng);
    assert.deepEqual(got.iterations, want.iterations);
    for (const [name, v] of want.tensors) assert.deepEqual(got.tensors.get(name)!.data, v.data, `${name} differs`);
  });

  test('the cosine schedule falls from the learning rate to a tenth along the PSNR phase and stays; constant stays put', async () => {
    await onBackend('cpu');
    const long = (over: Record<string, unknown>) =>
      resolveConfig({ task: 'superres', dataset: 'builtin:mnist', steps: 200, batch: 4, superres: { scale: 2, crop: 28, blocks: 2, feats: 8, dWidth: 8, psnrSteps: 100, ...over } });
    const t = SrTrainer.create(long({}), mnist);
    assert.deepEqual([0, 50, 100, 101, 5000].map((s) => +t.lrScale(s).toFixed(6)), [1, 0.55, 0.1, 0.1, 0.1]);
    for (let s = 1; s <= 100; s++) assert.ok(t.lrScale(s) < t.lrScale(s - 1), 'falls all along the phase');
    t.dispose();
    const c = SrTrainer.create(long({ schedule: 'constant' }), mnist);
    assert.deepEqual([0, 50, 100, 5000].map((s) => c.lrScale(s)), [1, 1, 1, 1]);
    c.dispose();
  });

  test('a dataset of images smaller than the crops is refused with what to do', () => {
    assert.throws(() => SrTrainer.create(resolveConfig({ task: 'superres', dataset: 'builtin:mnist', superres: { crop: 32 } }), mnist), /28 px images, smaller than the 32 px crops/);
    assert.throws(() => resolveConfig({ dataset: 'x', superres: { scale: 2 } }), /need task superres/);
  });
});

describe('degradation', () => {
  /** A photo-like test card: smooth shading, fine texture, hard edges and grain, in colour or grey. */
  function card(w: number, h: number, channels: 1 | 3): Image {
    const rng = Rng.fromSeed(9);
    const grain = rng.normal(w * h * channels, 0, 6);
    const data = new Float32Array(w * h * channels);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < channels; c++) {
          const edge = (x > w / 3 && y < h / 2) || (x - y) % 23 === 0 ? 70 : 0;
          const v = 60 + 90 * (x / w) + 40 * Math.sin((y + 13 * c) / 5) * Math.cos(x / 3) + edge + grain[(y * w + x) * channels + c];
          data[(y * w + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return { data, width: w, height: h, channels };
  }
  const psnrOf = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
    return 10 * Math.log10(255 ** 2 / (s / a.length));
  };

  test('the JPEG simulation matches libjpeg’s own round trip (sharp), in colour with 4:2:0 chroma and in grey', async () => {
    for (const channels of [3, 1] as const) {
      // Sizes that are not whole macroblocks: the edge padding is part of what is checked.
      const img = card(75, 58, channels);
      const raw = Buffer.from(img.data);
      for (const quality of [30, 60, 90]) {
        const jpeg = await sharp(raw, { raw: { width: 75, height: 58, channels } }).toColourspace(channels === 1 ? 'b-w' : 'srgb').jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
        const real = await sharp(jpeg).toColourspace(channels === 1 ? 'b-w' : 'srgb').raw().toBuffer();
        assert.equal((await sharp(jpeg).metadata()).channels, channels, 'a grey JPEG for grey input');
        assert.equal(real.length, img.data.length);
        const sim = jpegRoundTrip(img, quality).data;
        const agree = psnrOf(sim, real);
        const [lossReal, lossSim] = [psnrOf(real, img.data), psnrOf(sim, img.data)];
        assert.ok(agree > 38, `${channels} channels, quality ${quality}: simulation vs libjpeg ${agree.toFixed(2)} dB`);
        assert.ok(Math.abs(lossReal - lossSim) < 0.3, `${channels} channels, quality ${quality}: libjpeg loses to ${lossReal.toFixed(2)} dB, the simulation to ${lossSim.toFixed(2)}`);
      }
    }
  });

  test('blur keeps flat images flat and spreads a point as a normalised Gaussian', () => {
    const flat = gaussianBlur({ data: new Float32Array(20 * 20 * 3).fill(77), width: 20, height: 20, channels: 3 }, 1.7);
    assert.ok(flat.data.every((v) => Math.abs(v - 77) < 1e-3));
    const dot = new Float32Array(21 * 21);
    dot[10 * 21 + 10] = 1000;
    const b = gaussianBlur({ data: dot, width: 21, height: 21, channels: 1 }, 1.5).data;
    assert.ok(Math.abs(b.reduce((a, v) => a + v, 0) - 1000) < 1e-2, 'energy kept');
    const g = (d: number) => Math.exp(-(d * d) / (2 * 1.5 * 1.5));
    assert.ok(Math.abs(b[10 * 21 + 12] / b[10 * 21 + 10] - g(2)) < 1e-4, 'Gaussian profile');
    assert.ok(Math.abs(b[12 * 21 + 12] / b[10 * 21 + 10] - g(2) ** 2) < 1e-4, 'separable');
  });

  test('realistic low-resolution inputs: blurred, noisy and compressed, drawn afresh per image, fixed for held-out images', () => {
    const img = card(64, 64, 3);
    const clean = lowResOf(img, { scale: 4, downscale: 'area', degradation: 'none' }, Rng.fromSeed(1));
    const rng = Rng.fromSeed(1);
    const draws = [0, 1, 2, 3].map(() => lowResOf(img, { scale: 4, downscale: 'area', degradation: 'realistic' }, rng));
    assert.deepEqual([draws[0].width, draws[0].height], [16, 16]);
    for (const d of draws) {
      const p = psnrOf(d.data, clean.data);
      assert.ok(p > 15 && p < 40, `a degraded input is near the clean one but not it: ${p.toFixed(1)} dB`);
    }
    assert.notDeepEqual(draws[0].data, draws[1].data, 'each image its own draw');
    const data = { ...mnist, count: 30, pixels: mnist.pixels.slice(0, 30 * 784) };
    const settings = { scale: 2, downscale: 'area', degradation: 'realistic' } as const;
    assert.deepEqual(heldOutImages(data, settings).small, heldOutImages(data, settings).small, 'the same held-out inputs at every checkpoint');
  });
});

describe('upscaling', () => {
  test('tiles join without seams: a tiled result equals one pass over the whole image', async () => {
    await onBackend('wasm');
    const t = SrTrainer.create(tiny({ blocks: 3 }), mnist);
    for (let i = 0; i < 4; i++) await t.trainStep();
    const img = { data: Float32Array.from({ length: 45 * 38 }, (_, i) => 127 + 120 * Math.sin(i * 0.37) * Math.cos(i * 0.011)), width: 45, height: 38, channels: 1 };
    const whole = await upscaleTiled(t, img, 1000);
    const tiled = await upscaleTiled(t, img, 16);
    assert.deepEqual([tiled.width, tiled.height], [90, 76]);
    const d = maxAbsDiff(tiled.data, whole.data);
    assert.ok(d < 1e-3, `tiles differ from the whole by ${d}`);
    t.dispose();
  });

  test('held-out evaluation: bicubic’s figures are bicubic’s, the model’s are measured the same way', async () => {
    await onBackend('wasm');
    const data = { ...mnist, count: 30, pixels: mnist.pixels.slice(0, 30 * 784) };
    const t = SrTrainer.create(tiny(), data);
    const held = heldOutImages(data, { scale: 2, downscale: 'area', degradation: 'none' });
    assert.equal(held.originals.length, 3);
    const e = await evaluateSuperRes(t, data, held, 0);
    const bicubic = held.originals.map((o, i) => fidelity(resizeBicubic(held.small[i], 28, 28), o, 2));
    assert.ok(Math.abs(e.fidelity!.psnrBicubic - bicubic.reduce((a, b) => a + b.psnr, 0) / 3) < 1e-9);
    assert.ok(Number.isFinite(e.fidelity!.psnr) && e.fidelity!.ssim <= 1);
    assert.ok(Number.isFinite(e.fid), 'three held-out images give three patches to compare');
    t.dispose();
  });

  test('inputs: grey stays grey, transparency is kept, oversized outputs are refused before decoding', async () => {
    const grey = await sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toBuffer();
    const g = await readForUpscale(grey, 3, 4, 'grey.png');
    assert.equal(g.gray, true);
    assert.equal(g.alpha, null);
    assert.deepEqual([g.image.width, g.image.height, g.image.channels], [20, 10, 3]);
    const out = await sharp(await upscaledPng({ data: new Float32Array(80 * 40 * 3).fill(90), width: 80, height: 40, channels: 3 }, g)).metadata();
    assert.deepEqual([out.width, out.height, out.channels], [80, 40, 1]);

    const seeThrough = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0.5 } } }).png().toBuffer();
    const a = await readForUpscale(seeThrough, 3, 2, 'a.png');
    assert.equal(a.gray, false);
    assert.ok(a.alpha && a.alpha.every((v) => Math.abs(v - 128) <= 1));
    const png = await sharp(await upscaledPng({ data: a.image.data.length ? resizeBicubic(a.image, 16, 16).data : new Float32Array(), width: 16, height: 16, channels: 3 }, a)).raw().toBuffer({ resolveWithObject: true });
    assert.equal(png.info.channels, 4);
    assert.ok(Math.abs(png.data[3] - 128) <= 1, 'half transparent still');

    const huge = await sharp({ create: { width: 5000, height: 4000, channels: 3, background: 'white' } }).png().toBuffer();
    await assert.rejects(readForUpscale(huge, 3, 4, 'huge.png'), /5000×4000: ×4 would make 320 megapixels, over the 64 MP limit/);
    await assert.rejects(readForUpscale(Buffer.from('not an image'), 3, 4, 'notes.txt'), /notes\.txt is not an image/);
  });
});
