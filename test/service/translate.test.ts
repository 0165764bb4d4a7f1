/**
 * Image-to-image translation: the pair makers (Canny against scikit-image
 * on a fixed image), the networks' shapes, the losses against their
 * formulas, the image pool, pix2pix and CycleGAN training with exact resume
 * and no leaks, tiles, the held-out measures and the domain classifier.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { resolveConfig } from '../../main/families/run-config.js';
import { Rng } from '../../main/engine/rng.js';
import { ParamSet } from '../../main/engine/params.js';
import type { Dataset } from '../../main/core/dataset.js';
import { canny } from '../../main/families/translate/canny.js';
import { edgesOf, lumaOf, maskedOf, MASK_FILL, pairedIndices, PairSource } from '../../main/families/translate/pairs.js';
import {
  createPatchGan,
  createResnet,
  createUnet,
  dropoutLevels,
  patchGan,
  patchReceptiveField,
  resnet,
  unet,
  unetDepth,
  type TranslateSpec,
} from '../../main/families/translate/networks.js';
import { bce, l1, mse } from '../../main/families/translate/base.js';
import { ImagePool } from '../../main/families/translate/pool.js';
import { Pix2PixTrainer } from '../../main/families/translate/pix2pix.js';
import { CycleGanTrainer } from '../../main/families/translate/cyclegan.js';
import { translateLrScale } from '../../main/families/translate/settings.js';
import { translateTiled, type Translator } from '../../main/families/translate/tiles.js';
import { evaluateCycleGan, evaluatePix2Pix, pairedScores } from '../../main/families/translate/evaluation.js';
import { fitDomainClassifier, shareJudgedB } from '../../main/judges/domain.js';
import { StudioService } from '../../main/service/studio-service.js';
import { onBackend, tempDir, tf } from '../support/helpers.js';

/** A small colour dataset: soft coloured discs and bars on varied grounds, each image different. */
function shapes(count: number, size = 32, labels: number[] | null = null, classNames: string[] = []): Dataset {
  const rng = Rng.fromSeed(3);
  const pixels = new Uint8Array(count * size * size * 3);
  for (let i = 0; i < count; i++) {
    const ground = [rng.int(256), rng.int(256), rng.int(256)];
    const ink = [rng.int(256), rng.int(256), rng.int(256)];
    const cx = 8 + rng.int(size - 16);
    const cy = 8 + rng.int(size - 16);
    const r = 4 + rng.int(6);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r || (i % 2 === 0 && Math.abs(y - size / 3) < 2);
        for (let c = 0; c < 3; c++) pixels[((i * size + y) * size + x) * 3 + c] = inside ? ink[c] : ground[c];
      }
    }
  }
  return { name: 'shapes', size, channels: 3, count, pixels, labels: labels && Int32Array.from(labels), classNames };
}

const data = shapes(24);
const pix = (over: Record<string, unknown> = {}, steps = 6) =>
  resolveConfig({ task: 'pix2pix', dataset: 'shapes', steps, batch: 2, emaDecay: 0.9, translate: { ngf: 4, ndf: 4, ...over } });

describe('pair makers', () => {
  test('Canny edges agree with scikit-image on a fixed image, at two smoothings', () => {
    const ref = JSON.parse(readFileSync(new URL('../../../test/fixtures/canny-skimage.json', import.meta.url), 'utf8')) as { width: number; height: number; edges: Record<string, string> };
    const { width: w, height: h } = ref;
    // The image the reference was computed on (test/fixtures/canny-skimage.json, made with skimage 0.19.3).
    const img = new Float64Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let f = 0.45 + 0.25 * Math.sin(x / 5) * Math.cos(y / 7);
        if ((x - 30) ** 2 + (y - 22) ** 2 < 15 ** 2) f += 0.3;
        if (x > 44 && x < 60 && y > 28 && y < 44) f -= 0.25;
        img[y * w + x] = Math.round(Math.min(1, Math.max(0, f)) * 255) / 255;
      }
    }
    for (const [key, want] of Object.entries(ref.edges)) {
      const [sigma, low, high] = key.split(',').map(Number);
      const got = canny(img, w, h, { sigma, low, high });
      let both = 0;
      let ours = 0;
      let theirs = 0;
      for (let p = 0; p < w * h; p++) {
        both += got[p] & +(want[p] === '1');
        ours += got[p];
        theirs += +(want[p] === '1');
      }
      assert.ok(theirs > 300, 'the reference has edges to agree on');
      const f1 = (2 * both) / (ours + theirs);
      assert.ok(f1 > 0.98, `σ ${sigma}: F1 ${f1.toFixed(3)} against scikit-image (${ours} vs ${theirs} edge pixels)`);
    }
  });

  test('grayscale is BT.601 luma; edges are black lines on white; the mask blanks one square, fixed by its random draw', () => {
    const img = { data: Float32Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]), width: 2, height: 2, channels: 3 };
    assert.deepEqual(Array.from(lumaOf(img), (v) => +v.toFixed(2)), [76.25, 149.68, 29.07, 18.15]);
    // A dark red disc on white.
    const disc = { data: new Float32Array(32 * 32 * 3).fill(255), width: 32, height: 32, channels: 3 };
    for (let p = 0; p < 32 * 32; p++) if ((p % 32 - 15) ** 2 + (Math.floor(p / 32) - 16) ** 2 < 64) disc.data.set([150, 20, 20], p * 3);
    const edges = edgesOf(disc, { cannySigma: 1, cannyLow: 0.1, cannyHigh: 0.2 });
    const black = edges.filter((v) => v === 0).length;
    assert.ok(black > 30 && black < 80, `${black} edge pixels: a thin line around the disc`);
    assert.ok(edges.every((v) => v === 0 || v === 255));
    const a = maskedOf(disc, 0.5, Rng.fromSeed(4));
    assert.deepEqual(a, maskedOf(disc, 0.5, Rng.fromSeed(4)));
    const blanked = a.filter((v, i) => v === MASK_FILL && disc.data[i] !== MASK_FILL).length;
    assert.equal(blanked, 16 * 16 * 3, 'a 16 px square of a 32 px image');
    assert.equal(a.filter((v, i) => v !== disc.data[i] && v !== MASK_FILL).length, 0, 'nothing else changes');
  });

  test('a paired dataset is read as partners; anything else is refused with how to import one', () => {
    const paired = { ...shapes(6), labels: Int32Array.from([0, 1, 0, 1, 0, 1]), classNames: ['A', 'B'] };
    assert.deepEqual(pairedIndices(paired), { a: Int32Array.from([0, 2, 4]), b: Int32Array.from([1, 3, 5]) });
    assert.throws(() => pairedIndices(data), /not a paired dataset/);
    assert.throws(() => pairedIndices({ ...paired, labels: Int32Array.from([0, 1, 1, 0, 0, 1]) }), /image 3 has no partner/);
    const source = new PairSource(paired, pix({ source: 'pairs' }).translate!);
    const p = source.pair(1, false, Rng.fromSeed(1));
    assert.deepEqual(p.a, Float32Array.from(paired.pixels.subarray(2 * 32 * 32 * 3, 3 * 32 * 32 * 3)));
    assert.throws(() => new PairSource({ ...data, channels: 1 }, pix().translate!), /grayscale already/);
  });
});

describe('networks', () => {
  test('the U-Net has one level per octave down to 1 px (at most 8); the PatchGAN 70 px or 34 px of view', () => {
    assert.deepEqual([256, 128, 64, 32, 28].map(unetDepth), [8, 7, 6, 5, 2]);
    assert.deepEqual([patchReceptiveField(3), patchReceptiveField(2), patchReceptiveField(1)], [70, 34, 16]);
    assert.deepEqual(dropoutLevels(8), [6, 5, 4], 'unet_256: three dropout blocks outside the innermost');
    assert.deepEqual(dropoutLevels(6), [4]);
  });

  test('shapes: U-Net, ResNet generator and PatchGAN, with gradients reaching the first layer', async () => {
    await onBackend('cpu');
    const spec: TranslateSpec = { task: 'pix2pix', size: 32, inChannels: 1, outChannels: 3, ngf: 4, ndf: 4, norm: 'instance', depth: 5, dLayers: 2, dropout: 0.5, keepLuma: false };
    const G = createUnet(spec, Rng.fromSeed(1));
    const D = new ParamSet('D');
    createPatchGan(D, '', spec, 4, Rng.fromSeed(2));
    const x = tf.randomUniform([2, 32, 32, 1], -1, 1) as tf.Tensor4D;
    const y = unet(G, spec, x, { training: false });
    assert.deepEqual(y.shape, [2, 32, 32, 3]);
    const logits = patchGan(D, '', spec, tf.concat([x, y], 3), { training: true });
    assert.deepEqual(logits.shape, [2, 8, 8, 1], 'two stride-2 layers: a logit per 4×4 block');
    const grads = tf.variableGrads(() => tf.sum(unet(G, spec, x, { training: false })) as tf.Scalar, [G.get('down0/W')]);
    assert.ok(tf.sum(tf.abs(Object.values(grads.grads)[0])).dataSync()[0] > 0);
    // Colourisation keeps the input's luma exactly; the network supplies only the colour.
    const kept = unet(G, { ...spec, keepLuma: true }, x, { training: false });
    const luma = tf.sum(tf.mul(kept, tf.tensor1d([0.299, 0.587, 0.114])), 3, true);
    assert.ok(tf.max(tf.abs(tf.sub(luma, x))).dataSync()[0] < 1e-5);
    const cyc = { ...spec, task: 'cyclegan' as const, inChannels: 3 as const, depth: 2 };
    const R = new ParamSet('G');
    createResnet(R, 'AB/', cyc, 3, 3, Rng.fromSeed(3));
    assert.deepEqual(resnet(R, 'AB/', cyc, tf.zeros([1, 28, 28, 3]), { training: false }).shape, [1, 28, 28, 3]);
    for (const p of [G, D, R]) p.dispose();
  });

  test('losses match their formulas', async () => {
    await onBackend('cpu');
    const x = tf.tensor([-2, -0.5, 0, 1.5]);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const vals = [-2, -0.5, 0, 1.5];
    const mean = (f: (v: number) => number) => vals.reduce((s, v) => s + f(v), 0) / vals.length;
    assert.ok(Math.abs(bce(x, 1).dataSync()[0] - mean((v) => -Math.log(sig(v)))) < 1e-6);
    assert.ok(Math.abs(bce(x, 0).dataSync()[0] - mean((v) => -Math.log(1 - sig(v)))) < 1e-6);
    assert.ok(Math.abs(mse(x, 1).dataSync()[0] - mean((v) => (v - 1) ** 2)) < 1e-6);
    assert.ok(Math.abs(l1(x, tf.onesLike(x)).dataSync()[0] - mean((v) => Math.abs(v - 1))) < 1e-6);
  });
});

describe('image pool', () => {
  test('fills to capacity, then swaps at random; saved and restored it continues identically', () => {
    const pool = new ImagePool(3, 2);
    const rng = Rng.fromSeed(5);
    const batch = (k: number) => Float32Array.from([k, k, k + 1, k + 1]);
    assert.deepEqual(pool.query(batch(1), 2, rng), batch(1), 'while filling, the new images pass');
    pool.query(batch(3), 2, rng);
    assert.equal(pool.size, 3);
    const seen = new Set([1, 2, 3]);
    for (let i = 0; i < 20; i++) {
      const out = pool.query(batch(10 + 2 * i), 2, rng);
      for (const v of out) assert.ok(seen.has(v) || v >= 10 + 2 * i, `${v} is either new or was stored`);
      for (const v of batch(10 + 2 * i)) seen.add(v);
    }
    const copy = new ImagePool(3, 2);
    copy.load(pool.save());
    const [r1, r2] = [Rng.fromState(rng.state()), Rng.fromState(rng.state())];
    assert.deepEqual(copy.query(batch(99), 2, r1), pool.query(batch(99), 2, r2));
    assert.deepEqual(new ImagePool(0, 2).query(batch(7), 2, rng), batch(7), 'no pool: the new images pass');
    assert.throws(() => new ImagePool(1, 2).load(new Float32Array(4)), /does not fit/);
  });

  test('the learning rate holds for half the run, then falls linearly to 1 %, where steps added later go on', () => {
    assert.deepEqual([0, 49, 50, 75, 99, 100, 150].map((s) => +translateLrScale('linear', s, 100).toFixed(6)), [1, 1, 1, 0.5, 0.02, 0.01, 0.01]);
    assert.deepEqual([0, 75].map((s) => translateLrScale('constant', s, 100)), [1, 1]);
  });
});

/** The whole state a checkpoint holds, as two trainers that should agree. */
async function sameState(a: { toCheckpoint(): ReturnType<Pix2PixTrainer['toCheckpoint']> }, b: typeof a) {
  const [x, y] = [await a.toCheckpoint(), await b.toCheckpoint()];
  assert.deepEqual(x.rng, y.rng);
  assert.deepEqual(x.iterations, y.iterations);
  assert.deepEqual([...x.tensors.keys()].sort(), [...y.tensors.keys()].sort());
  for (const [name, v] of x.tensors) assert.deepEqual(y.tensors.get(name)!.data, v.data, `${name} differs`);
}

describe('pix2pix', () => {
  test('trains with and without the discriminator, leaks nothing, and previews input | output | target', async () => {
    await onBackend('wasm');
    for (const advWeight of [1, 0]) {
      const t = Pix2PixTrainer.create(pix({ advWeight }), data);
      const first = await t.trainStep();
      const tensors = tf.memory().numTensors;
      const m = await t.trainStep();
      await t.trainStep();
      assert.equal(tf.memory().numTensors, tensors, `advWeight ${advWeight}`);
      assert.ok(m.content! > 0 && m.content! < 1);
      if (advWeight) for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) assert.ok(Number.isFinite(m[k]), k);
      else assert.equal(first.dLoss, null, 'L1 alone trains no discriminator');
      const p = await t.preview();
      assert.deepEqual([p.columns, p.batch.count, p.batch.size, p.batch.channels], [3, 6, 32, 3]);
      t.dispose();
    }
  });

  test('resume continues exactly: dropout, masks and mirroring drawn from the saved stream', async () => {
    await onBackend('cpu');
    const config = pix({ source: 'mask', norm: 'batch' });
    const straight = Pix2PixTrainer.create(config, data);
    for (let i = 0; i < 4; i++) await straight.trainStep();
    const first = Pix2PixTrainer.create(config, data);
    for (let i = 0; i < 2; i++) await first.trainStep();
    const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await first.toCheckpoint())));
    first.dispose();
    const second = Pix2PixTrainer.create(config, data, saved);
    for (let i = 0; i < 2; i++) await second.trainStep();
    await sameState(straight, second);
    straight.dispose();
    second.dispose();
  });

  test('held-out measures: the gray input is the baseline of colourisation; edges have none', async () => {
    await onBackend('wasm');
    const flat = new Float32Array(11 * 11 * 3).fill(100);
    const same = pairedScores(flat, flat, 1, 11, 3);
    assert.equal(same.l1, 0);
    assert.equal(same.psnr, 100, 'identical images: capped');
    assert.ok(Math.abs(same.ssim - 1) < 1e-9);
    const t = Pix2PixTrainer.create(pix(), shapes(40));
    const e = await evaluatePix2Pix(t, shapes(40), 0);
    const tr = e.translation!;
    assert.equal(tr.images, 4);
    assert.ok(tr.baseline && tr.baseline.name === 'input' && tr.baseline.psnr > tr.psnr!, 'an untrained U-Net is worse than the gray input itself');
    assert.ok(Number.isFinite(e.fid) && Number.isFinite(tr.baseline.fid));
    t.dispose();
    const edges = Pix2PixTrainer.create(pix({ source: 'edges' }), shapes(40));
    assert.equal((await evaluatePix2Pix(edges, shapes(40), 0)).translation!.baseline, undefined);
    edges.dispose();
  });
});

describe('CycleGAN', () => {
  const two = shapes(24, 28, Array.from({ length: 24 }, (_, i) => i % 2), ['bars', 'plain']);
  const cyc = (over: Record<string, unknown> = {}) =>
    resolveConfig({ task: 'cyclegan', dataset: 'shapes', steps: 6, batch: 2, emaDecay: 0.9, translate: { classA: 'bars', classB: 'plain', ngf: 4, ndf: 4, blocks: 1, pool: 3, ...over } });

  test('needs domain B, of the same size and channels', () => {
    assert.throws(() => resolveConfig({ task: 'cyclegan', dataset: 'x' }), /needs domain B/);
    assert.throws(() => resolveConfig({ task: 'pix2pix', dataset: 'x', translate: { datasetB: 'y' } }), /second domain is for CycleGAN/);
    assert.throws(() => CycleGanTrainer.create(resolveConfig({ task: 'cyclegan', dataset: 'shapes', translate: { datasetB: 'other' } }), two, { ...shapes(4, 32), name: 'other' }), /one size and channels/);
    assert.throws(() => CycleGanTrainer.create(cyc({ classB: 'nope' }), two, null), /no class "nope"/);
    const c = resolveConfig({ task: 'cyclegan', dataset: 'x', translate: { datasetB: 'y' } });
    assert.deepEqual([c.lrG, c.beta1G, c.translate!.cycleWeight, c.translate!.identity, c.translate!.pool], [2e-4, 0.5, 10, 0.5, 50]);
  });

  test('trains both directions with the pool, leaks nothing, previews A → B → A and B → A → B, and resumes exactly', async () => {
    await onBackend('wasm');
    const t = CycleGanTrainer.create(cyc(), two, null);
    await t.trainStep();
    const tensors = tf.memory().numTensors;
    const m = await t.trainStep();
    await t.trainStep();
    assert.equal(tf.memory().numTensors, tensors);
    for (const k of ['content', 'dLoss', 'gLoss', 'dReal', 'dFake'] as const) assert.ok(Number.isFinite(m[k]), k);
    const p = await t.preview();
    assert.deepEqual([p.columns, p.batch.count, p.batch.size], [3, 6, 28], 'one held-out image of each domain there and back');
    const e = await evaluateCycleGan(t, 3);
    const tr = e.translation!;
    for (const k of ['cycleA', 'cycleB', 'shareTarget', 'shareTargetReverse', 'domainAccuracy'] as const) assert.ok(tr[k]! >= 0 && tr[k]! <= 1, k);
    // Untranslated, the shares are the classifier's errors on the held-out images (one per domain here: the accuracy is their mean's complement).
    const u = tr.untranslated!;
    assert.ok(Math.abs(1 - tr.domainAccuracy! - (u.shareTarget + u.shareTargetReverse) / 2) < 1e-9, JSON.stringify(tr));
    assert.ok(Number.isNaN(u.fid) || u.fid >= 0);
    t.dispose();

    await onBackend('cpu');
    const straight = CycleGanTrainer.create(cyc(), two, null);
    for (let i = 0; i < 4; i++) await straight.trainStep();
    const first = CycleGanTrainer.create(cyc(), two, null);
    for (let i = 0; i < 2; i++) await first.trainStep();
    const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await first.toCheckpoint())));
    assert.ok(saved.tensors.has('pool/A') && saved.tensors.has('pool/B'), 'the pools are saved');
    first.dispose();
    const second = CycleGanTrainer.create(cyc(), two, null, saved);
    for (let i = 0; i < 2; i++) await second.trainStep();
    await sameState(straight, second);
    straight.dispose();
    second.dispose();
  });
});

describe('tiles and measures', () => {
  test('tiles of any image join without seams: a pixelwise model gives back exactly its pixelwise result', async () => {
    const model: Translator = {
      tileSide: 16,
      inChannelsOf: () => 3,
      outChannelsOf: () => 3,
      translateTiles: async (x) => x.map((v) => 255 - v),
    };
    for (const [w, h] of [
      [50, 37],
      [9, 12],
    ]) {
      const img = { data: Float32Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256), width: w, height: h, channels: 3 };
      let calls = 0;
      const out = await translateTiled(model, img, 'AtoB', () => calls++);
      assert.deepEqual([out.width, out.height], [w, h]);
      assert.ok(out.data.every((v, i) => Math.abs(v - (255 - img.data[i])) < 1e-3), `${w}×${h}`);
      assert.ok(calls > 0);
    }
  });

  test('the domain classifier separates two clouds of features and reads new points by their side', () => {
    const rng = Rng.fromSeed(8);
    const F = 8;
    const cloud = (n: number, shift: number) => Float32Array.from({ length: n * F }, (_, i) => rng.normal(1)[0] + (i % F === 0 ? shift : 0));
    const c = fitDomainClassifier(cloud(200, 0), cloud(150, 4), F);
    assert.ok(c.trainAccuracy > 0.95, `${c.trainAccuracy}`);
    assert.ok(shareJudgedB(c, cloud(100, 4), F) > 0.95);
    assert.ok(shareJudgedB(c, cloud(100, 0), F) < 0.05);
  });
});

describe('the service', () => {
  test('refuses translation runs their data cannot train, before creating them, saying why', async () => {
    const folder = tempDir('gan-tr-service');
    for (const cls of ['cats', 'dogs']) {
      mkdirSync(join(folder, cls));
      for (let i = 0; i < 3; i++) await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 40 * i, g: cls === 'cats' ? 200 : 20, b: 90 } } }).png().toFile(join(folder, cls, `${i}.png`));
    }
    const service = new StudioService(join(tempDir('gan-tr-home'), 'home'));
    try {
      for (const [name, size] of [
        ['pets', 32],
        ['big', 64],
      ] as const) {
        const r = await service.call('datasets.import', { paths: [folder], name, size });
        assert.ok(r.ok);
      }
      const refused = async (config: Record<string, unknown>, why: RegExp) => {
        const r = await service.call('runs.create', { config: { dataset: 'pets', ...config } });
        assert.ok(!r.ok && r.error.code === 'INVALID_INPUT' && why.test(r.error.message), JSON.stringify(r));
      };
      await refused({ task: 'pix2pix', dataset: 'builtin:mnist' }, /grayscale already; colourisation needs colour images/);
      await refused({ task: 'pix2pix', translate: { source: 'pairs' } }, /not a paired dataset/);
      await refused({ task: 'cyclegan', translate: { datasetB: 'big' } }, /one size and channels: pets has 32 px ×3, big 64 px ×3/);
      await refused({ task: 'cyclegan', translate: { classA: 'cats', classB: 'birds' } }, /no class "birds"/);
      const made = await service.call('runs.create', { config: { dataset: 'pets', task: 'cyclegan', translate: { classA: 'cats', classB: 'dogs' } } });
      assert.ok(made.ok && made.value.name === 'cats ↔ dogs CycleGAN', JSON.stringify(made));
      assert.equal(service.store.list().length, 1, 'only the valid run was created');
    } finally {
      await service.close();
    }
  });
});
