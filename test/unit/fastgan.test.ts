/**
 * FastGAN's networks and trainer: shapes and parameter counts at 64, 128
 * and 256 px (counted from the architecture as the paper draws it, not
 * from the code's loops), skip-layer excitation gating G's channels, the
 * decoders learning to rebuild a fixed batch, and a trainer that leaks
 * nothing, resumes exactly and refuses what it cannot train.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { channelsAt, createFastGanDiscriminator, createFastGanGenerator, DECODED, fastGanDiscriminate, fastGanGenerate, fastGanSpec, reconstructionLoss, type FastGanSpec } from '../../main/families/fastgan/networks.js';
import { FastGanTrainer } from '../../main/families/fastgan/trainer.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { resolveConfig } from '../../main/families/run-config.js';
import { Rng } from '../../main/engine/rng.js';
import type { Dataset } from '../../main/core/dataset.js';
import { maxAbsDiff, onBackend, tempDir, tf } from '../support/helpers.js';
import { loadOverHttp } from '../support/layers-http.js';
import { fastGanGeneratorModel } from '../../main/families/fastgan/export.js';
import { saveLayersModel } from '../../main/export/tfjs-model.js';
import type { ParamSet } from '../../main/engine/params.js';
import { join } from 'node:path';

/** Soft blobs at random places: images with structure for the decoders to learn. */
function blobs(count: number, size: number, seed = 1): Dataset {
  const rng = Rng.fromSeed(seed);
  const pixels = new Uint8Array(count * size * size * 3);
  for (let i = 0; i < count; i++) {
    const cx = rng.uniform() * size, cy = rng.uniform() * size, r = size * (0.15 + 0.2 * rng.uniform());
    const colour = [rng.uniform(), rng.uniform(), rng.uniform()].map((v) => 255 * v);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      const a = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
      for (let c = 0; c < 3; c++) pixels[((i * size + y) * size + x) * 3 + c] = Math.round(20 + a * (colour[c] - 20));
    }
  }
  return { name: `blobs${size}`, size, channels: 3, count, pixels, labels: null, classNames: [] };
}

/** Trainable weights of each network, from the architecture: G's 4×4 start, a block per doubling, SLE pairs (4→64, 8→128, 16→256), the output; D's strided input, residual blocks to 8×8, its head and two decoders to 32 px. */
function expectedCounts(s: FastGanSpec): { G: number; D: number } {
  const c = (r: number) => channelsAt(s, r);
  const bn = (ch: number) => 2 * ch;
  let G = s.zDim * 16 * 2 * c(4) + bn(2 * c(4));
  for (let r = 8; r <= s.size; r *= 2) G += 9 * c(r / 2) * 2 * c(r) + bn(2 * c(r));
  for (const [low, high] of [[4, 64], [8, 128], [16, 256]]) if (high <= s.size) G += 16 * c(low) * c(high) + c(high) + c(high) * c(high) + c(high);
  G += 9 * c(s.size) * 3 + 3;
  let D = 16 * 3 * c(s.size / 2) + c(s.size / 2);
  for (let r = s.size / 4; r >= 8; r /= 2) D += 16 * c(2 * r) * c(r) + bn(c(r)) + 9 * c(r) * c(r) + bn(c(r)) + c(2 * r) * c(r) + bn(c(r));
  D += c(8) * c(8) + bn(c(8)) + 16 * c(8) + 1;
  const w = Math.max(8, s.width / 4);
  for (const cin of [c(8), c(16)]) D += 9 * cin * 2 * w + bn(2 * w) + 9 * w * 2 * w + bn(2 * w) + 9 * w * 3 + 3;
  return { G, D };
}

describe('FastGAN networks (wasm)', () => {
  before(() => onBackend('wasm'));

  for (const size of [64, 128, 256]) {
    test(`${size} px: G draws [n, ${size}, ${size}, 3] in [-1, 1], D gives a logit per image and its 8×8 and 16×16 features; parameter counts as drawn`, () => {
      const s = fastGanSpec(size, 3, 16, 32);
      const G = createFastGanGenerator(s, Rng.fromSeed(1));
      const D = createFastGanDiscriminator(s, Rng.fromSeed(2));
      const want = expectedCounts(s);
      assert.equal(G.countTrainable(), want.G);
      assert.equal(D.countTrainable(), want.D);
      tf.tidy(() => {
        const img = fastGanGenerate(G, s, tf.randomNormal([2, 16]) as tf.Tensor2D, { training: true });
        assert.deepEqual(img.shape, [2, size, size, 3]);
        const v = img.dataSync();
        assert.ok(v.every((x) => x >= -1 && x <= 1));
        const d = fastGanDiscriminate(D, s, img, { training: true });
        assert.deepEqual(d.logits.shape, [2]);
        assert.deepEqual(d.feat8.shape, [2, 8, 8, channelsAt(s, 8)]);
        assert.deepEqual(d.feat16.shape, [2, 16, 16, channelsAt(s, 16)]);
      });
      G.dispose();
      D.dispose();
    });
  }

  test('skip-layer excitation gates the 64 px features by the 4 px ones: a zero gate weight blanks G’s output to its bias', () => {
    const s = fastGanSpec(64, 3, 16, 32);
    const G = createFastGanGenerator(s, Rng.fromSeed(1));
    tf.tidy(() => {
      const z = tf.randomNormal([2, 16]) as tf.Tensor2D;
      const before = fastGanGenerate(G, s, z, { training: true });
      // sigmoid(−∞) = 0: every channel of the 64 px features shut.
      G.get('sle64/bb').assign(tf.fill([channelsAt(s, 64)], -1e4));
      const shut = fastGanGenerate(G, s, z, { training: true });
      const bias = G.get('out/b').dataSync();
      const px = shut.dataSync();
      for (let i = 0; i < px.length; i++) assert.ok(Math.abs(px[i] - Math.tanh(bias[i % 3])) < 1e-5);
      assert.ok(tf.max(tf.abs(tf.sub(before, shut))).dataSync()[0] > 1e-3);
    });
    G.dispose();
  });

  test('the decoders learn to rebuild a fixed batch: the reconstruction loss falls by a third in 40 updates', () => {
    const s = fastGanSpec(64, 3, 16, 32);
    const D = createFastGanDiscriminator(s, Rng.fromSeed(3));
    const data = blobs(8, 64);
    const real = tf.tidy(() => tf.sub(tf.div(tf.tensor4d(data.pixels, [8, 64, 64, 3], 'float32'), 127.5), 1) as tf.Tensor4D);
    const opt = tf.train.adam(2e-3, 0.5, 0.999);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const l = opt.minimize(() => {
        const d = fastGanDiscriminate(D, s, real, { training: true });
        return reconstructionLoss(D, real, d.feat8, d.feat16, i % 4, { training: true });
      }, true, D.trainableList());
      losses.push(l!.dataSync()[0]);
      l!.dispose();
    }
    const first = (losses[0] + losses[1] + losses[2] + losses[3]) / 4;
    const last = (losses[36] + losses[37] + losses[38] + losses[39]) / 4;
    assert.ok(last < (2 / 3) * first, `reconstruction loss ${first} → ${last}`);
    assert.equal(DECODED, 32);
    real.dispose();
    opt.dispose();
    D.dispose();
  });
});

describe('FastGAN trainer (wasm)', () => {
  before(() => onBackend('wasm'));
  const data = blobs(32, 64);
  const config = () => resolveConfig({ task: 'fastgan', dataset: 'blobs64', width: 8, zDim: 8, batch: 4, backend: 'wasm', augment: 'ada' });

  test('its defaults are the paper’s where a desktop can follow them', () => {
    const c = resolveConfig({ task: 'fastgan', dataset: 'blobs64' });
    assert.deepEqual([c.loss, c.lrG, c.lrD, c.beta1G, c.emaDecay, c.augment, c.batch, c.fastgan?.recon], ['hinge', 2e-4, 2e-4, 0.5, 0.999, 'on', 16, 1]);
    assert.throws(() => resolveConfig({ task: 'generate', dataset: 'x', fastgan: { recon: 1 } } as never), /FastGAN settings need task fastgan/);
  });

  test('a step leaks no tensors and reports the reconstruction loss; 2N steps = N, checkpoint, N more', async () => {
    const straight = FastGanTrainer.create(config(), data);
    const m = await straight.trainStep();
    assert.ok(Number.isFinite(m.dLoss!) && Number.isFinite(m.gLoss!) && m.content! > 0, JSON.stringify(m));
    const tensors = tf.memory().numTensors;
    await straight.trainStep();
    assert.equal(tf.memory().numTensors, tensors);
    await straight.trainStep();
    await straight.trainStep();
    const want = await straight.toCheckpoint();
    straight.dispose();

    const a = FastGanTrainer.create(config(), data);
    await a.trainStep();
    await a.trainStep();
    const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await a.toCheckpoint())));
    a.dispose();
    const b = FastGanTrainer.create(config(), data, saved);
    await b.trainStep();
    await b.trainStep();
    const got = await b.toCheckpoint();
    b.dispose();
    assert.deepEqual(got.rng, want.rng);
    assert.deepEqual([...got.tensors.keys()], [...want.tensors.keys()]);
    for (const [name, t] of want.tensors) assert.deepEqual(got.tensors.get(name)!.data, t.data, `${name} differs`);
  });

  test('it refuses an image size its networks are not built for, and a checkpoint of another size', async () => {
    assert.throws(() => FastGanTrainer.create(config(), blobs(4, 32)), /dataset blobs32 has 32 px images; FastGAN trains on 64, 128, 256 px/);
    const t = FastGanTrainer.create(config(), data);
    const c = await t.toCheckpoint();
    t.dispose();
    assert.throws(() => FastGanTrainer.create(config(), blobs(4, 128), c), /checkpoint was trained on 64 px ×3 images, dataset has 128 px ×3/);
  });
});

describe('FastGAN export (wasm)', () => {
  before(() => onBackend('wasm'));

  test('the exported FastGAN generator (stock layers only) reloads in tfjs and draws the studio’s images for the same latents, at 64 and 128 px', async () => {
    // 64 px: a trained run's averaged generator, batch-norm statistics calibrated.
    const pixels = Uint8Array.from({ length: 8 * 64 * 64 * 3 }, (_, i) => (i * 37) % 251);
    const data: Dataset = { name: 'tiles64', size: 64, channels: 3, count: 8, pixels, labels: null, classNames: [] };
    const t = FastGanTrainer.create(resolveConfig({ task: 'fastgan', dataset: 'tiles64', width: 8, zDim: 8, batch: 2, backend: 'wasm', emaDecay: 0.9, lrG: 0.01 }), data);
    for (let i = 0; i < 2; i++) await t.trainStep();
    const cases: { p: ParamSet; spec: FastGanSpec; want: (z: Float32Array) => Promise<Float32Array> }[] = [
      { p: t.sampler(), spec: t.spec, want: (z) => t.generateImages(z) },
    ];
    // 128 px: fresh weights with moved statistics, for the excitation gated through a pooled 8 px map.
    const spec128 = fastGanSpec(128, 3, 8, 8);
    const g128 = createFastGanGenerator(spec128, Rng.fromSeed(4));
    for (const v of g128.state.values()) v.assign(tf.add(v, tf.randomUniform(v.shape, 0.1, 0.5, 'float32', 9)));
    cases.push({ p: g128, spec: spec128, want: async (z) => tf.tidy(() => fastGanGenerate(g128, spec128, tf.tensor2d(z, [3, 8]), { training: false })).dataSync() as Float32Array });
    for (const c of cases) {
      const dir = join(tempDir('gan-export-fastgan'), 'model');
      const built = fastGanGeneratorModel(c.p, c.spec);
      await saveLayersModel(built, dir, { task: 'fastgan' });
      built.dispose();
      const loaded = await loadOverHttp(dir);
      const z = Rng.fromSeed(5).normal(3 * 8);
      const got = (loaded.predict(tf.tensor2d(z, [3, 8])) as tf.Tensor).dataSync() as Float32Array;
      assert.equal(got.length, 3 * c.spec.size * c.spec.size * 3);
      const diff = maxAbsDiff(got, await c.want(z));
      assert.ok(diff < 1e-4, `${c.spec.size} px: the exported model differs from the studio by ${diff}`);
      loaded.dispose();
    }
    t.dispose();
    g128.dispose();
  });
});
