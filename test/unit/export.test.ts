import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '../../main/datasets/mnist.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { generatorModel, saveLayersModel } from '../../main/export/tfjs-model.js';
import { superResFamily } from '../../main/families/superres/family.js';
import { depthToSpaceKernel } from '../../main/families/superres/export.js';
import { resolveConfig } from '../../main/families/run-config.js';
import { superResolve } from '../../main/families/superres/networks.js';
import { SrTrainer } from '../../main/families/superres/trainer.js';
import { sampleLatents } from '../../main/engine/sampling.js';
import { Rng } from '../../main/engine/rng.js';
import type { Dataset } from '../../main/core/dataset.js';
import { CycleGanTrainer } from '../../main/families/translate/cyclegan.js';
import { Pix2PixTrainer } from '../../main/families/translate/pix2pix.js';
import { exportableTranslators, writeInstanceNorm } from '../../main/families/translate/export.js';
import { maxAbsDiff, onBackend, tempDir, tf, tinyConfig } from '../support/helpers.js';
import { loadOverHttp } from '../support/layers-http.js';

before(() => onBackend('cpu'));

for (const model of ['dcgan', 'cdcgan'] as const) {
  test(`the exported ${model} generator reloads in tfjs and draws the studio's images for the same latents`, async () => {
    // A high learning rate moves the weights far enough that the averaged generator differs from the raw one.
    const t = Trainer.create(tinyConfig({ model, emaDecay: 0.99, lrG: 0.01 }), loadMnist());
    for (let i = 0; i < 12; i++) await t.trainStep();
    const dir = join(tempDir('gan-export'), 'model');
    const built = generatorModel(t.sampler(), t.spec);
    const files = await saveLayersModel(built, dir, { run: 'test' });
    built.dispose();
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);

    const loaded = await loadOverHttp(dir);
    const { z, labels } = sampleLatents(t, 6, 4);
    const want = await t.generateImages(z, labels);
    const zt = tf.tensor2d(z, [6, t.spec.zDim]);
    const inputs = model === 'cdcgan' ? [zt, tf.oneHot(tf.tensor1d(labels!, 'int32'), t.spec.numClasses).toFloat()] : zt;
    const out = loaded.predict(inputs) as tf.Tensor;
    assert.deepEqual(out.shape, [6, 28, 28, 1]);
    const got = out.dataSync() as Float32Array;
    const diff = maxAbsDiff(got, want);
    assert.ok(diff < 1e-4, `exported model differs from the studio by ${diff}`);
    // And the EMA weights, not the raw generator's, are what was exported.
    const raw = tf.tidy(() => {
      const m = generatorModel(t.G, t.spec);
      const r = (m.predict(inputs) as tf.Tensor).dataSync() as Float32Array;
      m.dispose();
      return r;
    });
    assert.ok(maxAbsDiff(raw, want) > 1e-3, 'the raw generator draws the same as the averaged one: the test would not tell them apart');
    tf.dispose([zt, inputs, out]);
    loaded.dispose();
    t.dispose();
  });
}

test('the exported super-resolution generator reloads in tfjs and upscales images of any size as the studio does', async () => {
  const data = loadMnist();
  const config = resolveConfig({ task: 'superres', dataset: 'builtin:mnist', steps: 8, batch: 4, emaDecay: 0.9, lrG: 0.01, superres: { scale: 4, crop: 28, blocks: 2, feats: 8, dWidth: 8, psnrSteps: 4 } });
  const t = SrTrainer.create(config, data);
  for (let i = 0; i < 6; i++) await t.trainStep();
  const dir = join(tempDir('gan-export-sr'), 'model');
  await (await superResFamily.host()).exportModel!(t, dir, {});
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata;
  assert.equal(meta.task, 'superres');
  assert.equal(meta.phase, 'adversarial');
  const loaded = await loadOverHttp(dir);
  assert.deepEqual(loaded.inputs[0].shape, [null, null, null, 1], 'any size');
  for (const [h, w] of [[7, 7], [5, 9]]) {
    const x = tf.randomUniform([2, h, w, 1], -1, 1, 'float32', h * w) as tf.Tensor4D;
    const want = tf.tidy(() => superResolve(t.sampler(), t.spec, x).dataSync() as Float32Array);
    const out = loaded.predict(x) as tf.Tensor;
    assert.deepEqual(out.shape, [2, 4 * h, 4 * w, 1]);
    const diff = maxAbsDiff(out.dataSync() as Float32Array, want);
    assert.ok(diff < 1e-4, `exported model differs from the studio by ${diff} at ${h}×${w}`);
    tf.dispose([x, out]);
  }
  loaded.dispose();
  t.dispose();
});

test('the depth-to-space kernel of the export is TensorFlow’s depth-to-space', () => {
  tf.tidy(() => {
    const x = tf.randomNormal([1, 3, 4, 12], 0, 1, 'float32', 3) as tf.Tensor4D;
    const k = depthToSpaceKernel(3);
    const y = tf.conv2dTranspose(x, k, [1, 6, 8, 3], 2, 'valid');
    assert.equal(maxAbsDiff(y.dataSync(), tf.depthToSpace(x, 2).dataSync()), 0);
  });
});

test('exported translation generators (pix2pix with instance or batch norm, both CycleGAN directions) reload in tfjs and translate as the studio does', async () => {
  const size = 16;
  const rng = Rng.fromSeed(7);
  const data: Dataset = { name: 'colours', size, channels: 3, count: 8, pixels: Uint8Array.from({ length: 8 * size * size * 3 }, () => rng.int(256)), labels: Int32Array.from({ length: 8 }, (_, i) => i % 2), classNames: ['x', 'y'] };
  const common = { dataset: 'colours', steps: 4, batch: 2, emaDecay: 0.9, lrG: 0.01 } as const;
  const runs = [
    Pix2PixTrainer.create(resolveConfig({ ...common, task: 'pix2pix', translate: { ngf: 4, ndf: 4 } }), data),
    Pix2PixTrainer.create(resolveConfig({ ...common, task: 'pix2pix', translate: { ngf: 4, ndf: 4, norm: 'batch', source: 'mask' } }), data),
    CycleGanTrainer.create(resolveConfig({ ...common, task: 'cyclegan', translate: { ngf: 4, ndf: 4, blocks: 1, classA: 'x', classB: 'y' } }), data, null),
  ];
  for (const t of runs) {
    for (let i = 0; i < 3; i++) await t.trainStep();
    const exported = exportableTranslators(t);
    assert.equal(exported.length, t.spec.task === 'pix2pix' ? 1 : 2);
    for (const { subdir, model, meta } of exported) {
      const dir = join(tempDir('gan-export-tr'), 'model', subdir);
      await saveLayersModel(model, dir, meta);
      model.dispose();
      const js = writeInstanceNorm(dir, t.spec);
      assert.equal(js !== null, t.spec.norm === 'instance');
      if (js) assert.match(readFileSync(js, 'utf8'), /registerInstanceNorm/);
      const loaded = await loadOverHttp(dir);
      const direction = (meta.direction as 'AtoB' | 'BtoA') ?? 'AtoB';
      const cin = t.inChannelsOf(direction);
      const x = tf.randomUniform([2, size, size, cin], -1, 1, 'float32', 5) as tf.Tensor4D;
      const pixels = Float32Array.from(x.dataSync(), (v) => (v + 1) * 127.5);
      const want = await t.translateTiles(pixels, 2, direction);
      const out = loaded.predict(x) as tf.Tensor;
      const got = Float32Array.from(out.dataSync(), (v) => Math.min(255, Math.max(0, (v + 1) * 127.5)));
      const diff = maxAbsDiff(got, want);
      assert.ok(diff < 1e-2, `${t.spec.task} ${t.spec.norm} ${direction}: the export differs from the studio by ${diff} (0–255)`);
      tf.dispose([x, out]);
      loaded.dispose();
    }
    t.dispose();
  }
});

