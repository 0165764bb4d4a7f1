/**
 * What every model family owes the rest of the studio, checked over the
 * registry, and the template family (mlp) through the shared parts a new
 * family gets for free: the step loop, checkpoints and exact resume,
 * sampling, and the refusals that name the run to use instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist } from '../../main/datasets/mnist.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { resolveConfig, TASKS, upgradeStoredConfig, type TrainConfig } from '../../main/families/run-config.js';
import { CAPABILITIES } from '../../main/families/family.js';
import { describeEvaluation, describeOwnFigures } from '../../main/families/describe-evaluation.js';
import { createTrainer, FAMILIES, FAMILY_METRIC_COLUMNS, familyOf, familyOfSpec, requireCapability } from '../../main/families/registry.js';
import { generateBatch, sampleLatents, type NoiseModel } from '../../main/engine/sampling.js';
import { runSteps } from '../../main/engine/step-loop.js';
import type { Evaluation } from '../../main/evaluation/evaluation.js';
import { onBackend, tf } from '../support/helpers.js';

const data = loadMnist();
const mlpConfig = () => resolveConfig({ task: 'mlp', dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 8, steps: 6, backend: 'cpu' });
const never = { stopRequested: false, pauseRequested: false, waitForResume: async () => {} };

test('the registry and the task list name the same families, once each', () => {
  assert.deepEqual([...FAMILIES.map((f) => f.task)].sort(), [...TASKS].sort());
  assert.equal(new Set(FAMILIES.map((f) => f.task)).size, FAMILIES.length);
  for (const f of FAMILIES) {
    assert.ok(f.can.length > 0 && f.can.every((c) => (CAPABILITIES as readonly string[]).includes(c)), f.task);
    assert.ok(f.label && f.does && f.nextStep('RUN').includes('RUN'), f.task);
  }
  assert.throws(() => familyOf('diffusion'), /unknown task "diffusion": this version trains generate, /);
});

test('a family’s host has the job for each thing it says it can do that a host serves, and none it cannot', async () => {
  const jobs = { upscale: 'upscale', translate: 'translate', 'export-model': 'exportModel' } as const;
  for (const f of FAMILIES) {
    const host = await f.host();
    assert.equal(typeof host.evaluate, 'function', f.task);
    for (const [capability, job] of Object.entries(jobs)) {
      assert.equal(typeof host[job] === 'function', f.can.includes(capability as keyof typeof jobs), `${f.task}: ${capability}`);
    }
  }
});

test('a family asked for what it cannot do says what it does and which run would', () => {
  const superres = familyOf('superres');
  assert.doesNotThrow(() => requireCapability(superres, 'upscale'));
  assert.throws(() => requireCapability(superres, 'sample', '20260101-000000-abcd'), /run 20260101-000000-abcd is a super-resolution run: it upscales images \(gan-studio upscale\), not a GAN, MLP GAN or FastGAN run$/);
  assert.throws(() => requireCapability(familyOf('generate'), 'translate'), /is a GAN run: it generates images from noise .*, not a translation run/);
});

test('every family’s metric columns read back the evaluation they wrote, and only their own', () => {
  const base: Evaluation = { step: 4, fid: 10, kid: 0.1, diversity: 0.9, nearDuplicates: 0, classesCovered: null, numClasses: null, classAccuracy: null, judge: 'random-features', ms: 1 };
  const parts: Partial<Evaluation>[] = [
    { fidelity: { psnr: 30, ssim: 0.9, psnrBicubic: 28, ssimBicubic: 0.85, fidBicubic: 12 } },
    { translation: { images: Number.NaN, l1: 0.1, psnr: 20, ssim: 0.7, baseline: { name: 'input', l1: 0.3, psnr: 15, ssim: 0.5, fid: 40 } } },
    { translation: { images: Number.NaN, cycleA: 0.1, cycleB: 0.2, fidReverse: 30, shareTarget: 0.8, shareTargetReverse: 0.7, domainAccuracy: 0.9, untranslated: { fid: 50, fidReverse: 55, shareTarget: 0.1, shareTargetReverse: 0.2 } } },
  ];
  const number = (v: number | null) => (v == null ? Number.NaN : v);
  for (const part of parts) {
    // As the store writes a row: every family's columns, a figure winning over an empty one.
    const row: Record<string, number | null> = {};
    for (const c of FAMILY_METRIC_COLUMNS) for (const [k, v] of Object.entries(c.write({ ...base, ...part }))) if (v != null || !(k in row)) row[k] = v;
    const read = FAMILY_METRIC_COLUMNS.map((c) => c.read(row, number)).filter((x) => x !== null);
    assert.equal(read.length, 1, JSON.stringify(part));
    assert.deepEqual(read[0], part);
  }
  const empty: Record<string, number | null> = {};
  for (const c of FAMILY_METRIC_COLUMNS) Object.assign(empty, c.write(base));
  assert.ok(FAMILY_METRIC_COLUMNS.every((c) => c.read(empty, number) === null), 'a GAN evaluation fills no family columns');
});

test('an evaluation reads as its family’s own figures where it has them, and as the samples’ otherwise', () => {
  const base: Evaluation = { step: 4, fid: 10, kid: 0.1, diversity: 0.9, nearDuplicates: 0.25, classesCovered: 7, numClasses: 10, classAccuracy: null, judge: 'classifier', ms: 1 };
  assert.equal(describeOwnFigures(base), undefined);
  assert.equal(describeEvaluation(base), 'FID 10.00, KID 0.100, diversity 0.90, near-duplicates 25.0%, classes 7/10');
  const sr = { ...base, fidelity: { psnr: 30.123, ssim: 0.9, psnrBicubic: 28, ssimBicubic: 0.85, fidBicubic: 12, images: 3 } };
  assert.equal(describeEvaluation(sr), 'PSNR 30.12 dB (bicubic 28.00), SSIM 0.9000 (bicubic 0.8500) on 3 held-out images, patch FID 10.000 (bicubic 12.000)');
  const pix = { ...base, translation: { images: 2, l1: 0.1, psnr: 20, ssim: 0.7, baseline: { name: 'the input', l1: 0.3, psnr: 15, ssim: 0.5, fid: 40 } } };
  assert.equal(describeEvaluation(pix), 'L1 0.1000 (the input 0.3000), PSNR 20.00 (the input 15.00) dB, SSIM 0.7000 (the input 0.5000), FID 10.000 (the input 40.000) on 2 held-out images');
  const cycle = { ...base, translation: { images: 2, cycleA: 0.1, cycleB: 0.2, fidReverse: 30, shareTarget: 0.8, shareTargetReverse: 0.7 } };
  assert.match(describeEvaluation(cycle), /^cycle L1 A→B→A 0\.1000, B→A→B 0\.2000; FID A→B 10\.000, B→A 30\.000; judged as the target domain 80% \(A→B\), 70% \(B→A\) on 2 held-out images$/);
});

test('the template family trains in the shared step loop, resumes exactly from its checkpoint, samples, and leaks nothing', async () => {
  await onBackend('cpu');
  const before = tf.memory().numTensors;
  const config = mlpConfig();
  const straight = createTrainer(config, data);
  const losses: number[] = [];
  let saved: Uint8Array | null = null;
  await runSteps(straight, { target: 6, checkpointEvery: 3, previewEvery: 100 }, never, async (e) => {
    if (e.type === 'step') losses.push(e.metrics.dLoss!);
    if (e.type === 'checkpoint' && e.checkpoint.step === 3) saved = Buffer.concat(encodeCheckpoint(e.checkpoint));
  });
  assert.equal(losses.length, 6);
  assert.ok(losses.every(Number.isFinite));
  const checkpoint = decodeCheckpoint(Buffer.from(saved!));
  assert.equal(familyOfSpec(checkpoint.spec).task, 'mlp');
  // Steps 4–6 again from the checkpoint of step 3: the same numbers, as a resume must give.
  const resumed = createTrainer(config, data, checkpoint);
  const again: number[] = [];
  await runSteps(resumed, { target: 6, checkpointEvery: 100, previewEvery: 100 }, never, (e) => void (e.type === 'step' && again.push(e.metrics.dLoss!)));
  assert.deepEqual(again, losses.slice(3));
  const model = familyOf('mlp').load(checkpoint) as NoiseModel & { dispose(): void };
  const { z } = sampleLatents(model, 4, 1);
  const batch = await generateBatch(model, z, null);
  assert.deepEqual([batch.count, batch.size, batch.channels], [4, 28, 1]);
  assert.ok(batch.data.every((v) => v >= -1 && v <= 1));
  const preview = await straight.preview();
  assert.equal(preview.batch.count, 64);
  for (const t of [straight, resumed, model]) t.dispose();
  assert.equal(tf.memory().numTensors, before, 'tensors left behind');
});

test('the template family refuses datasets its networks are not built for', () => {
  const refuse = familyOf('mlp').refuseData!(resolveConfig({ task: 'mlp', dataset: 'photos' }), () => ({ name: 'photos', source: '', size: 64, channels: 3, classes: [], imageCount: 10, createdAt: '', builtin: false, captioned: false }));
  assert.match(refuse ?? '', /photos has 64 px images; the MLP GAN trains on 28 or 32 px/);
});

test('text-to-image is a task of its own, however it is asked for, and runs stored before it read as one', () => {
  for (const input of [{ model: 'text' as const }, { task: 'text2image' as const }, { task: 'text2image' as const, model: 'text' as const }]) {
    const c = resolveConfig({ dataset: 'emoji', ...input });
    assert.deepEqual([c.task, c.model, c.loss, c.text?.encoderSteps], ['text2image', 'text', 'bce', 300], JSON.stringify(input));
  }
  assert.throws(() => resolveConfig({ dataset: 'emoji', task: 'text2image', model: 'cdcgan' }), /a text2image run is model text/);
  assert.throws(() => resolveConfig({ dataset: 'emoji', task: 'superres', model: 'text' }), /model text is task text2image, not superres/);
  // As a version before the task stored it, in the database and in its checkpoints.
  const stored = { ...resolveConfig({ dataset: 'emoji', model: 'text' }), task: 'generate' } as TrainConfig;
  assert.equal(upgradeStoredConfig(stored).task, 'text2image');
  assert.equal(familyOf(upgradeStoredConfig(stored).task).label, 'text-to-image');
  const gan = { ...resolveConfig({ dataset: 'emoji' }) };
  assert.equal(upgradeStoredConfig(gan).task, 'generate');
});
