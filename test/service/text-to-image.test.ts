import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeCheckpoint, encodeCheckpoint } from '../../main/families/run-checkpoint.js';
import { matchingAwareLoss, TextGanTrainer } from '../../main/families/text/trainer.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { familyOfSpec, requireCapability } from '../../main/families/registry.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import { StudioService } from '../../main/service/studio-service.js';
import { onBackend, tempDir, tf, tinyConfig } from '../support/helpers.js';
import { ok, until } from '../support/service.js';

const data = loadMnist();
const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
const textConfig = (over: Parameters<typeof tinyConfig>[0] = {}) => tinyConfig({ model: 'text', text: { encoderSteps: 3, wordDim: 8, embedDim: 16, condDim: 8 }, ...over });

const softplus = (x: number) => Math.log1p(Math.exp(x));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

test('the matching-aware loss is the paper\'s formula: log D(x, h) + ½[log(1 − D(x, ĥ)) + log(1 − D(x̂, h))], and its hinge form', async () => {
  await onBackend('wasm');
  const matched = [1.5, -0.3, 0.8, 2.2];
  const wrong = [-1.1, 0.4, -2.0, 0.1];
  const fake = [0.3, -0.7, -1.4, 0.9];
  const got = (loss: 'bce' | 'hinge') => tf.tidy(() => matchingAwareLoss(loss, tf.tensor1d(matched), tf.tensor1d(wrong), tf.tensor1d(fake)).dataSync()[0]);
  // −log σ(r) = softplus(−r); −log(1 − σ(f)) = softplus(f).
  const bce = mean(matched.map((r) => softplus(-r))) + 0.5 * (mean(wrong.map(softplus)) + mean(fake.map(softplus)));
  assert.ok(Math.abs(got('bce') - bce) < 1e-5, `${got('bce')} vs ${bce}`);
  const relu = (x: number) => Math.max(0, x);
  const hinge = mean(matched.map((r) => relu(1 - r))) + 0.5 * (mean(wrong.map((w) => relu(1 + w))) + mean(fake.map((f) => relu(1 + f))));
  assert.ok(Math.abs(got('hinge') - hinge) < 1e-5);
});

describe('text-conditional trainer on the wasm backend', () => {
  before(() => onBackend('wasm'));

  test('encoder and GAN steps leak no tensors; the encoder phase trains only the encoder, the GAN phase only G and D', async () => {
    const t = TextGanTrainer.create(textConfig(), data);
    const snap = async () => new Map([...(await t.toCheckpoint()).tensors].map(([k, v]) => [k, v.data]));
    const before0 = await snap();
    const m1 = await t.trainStep();
    assert.ok(m1.encoder! > 0 && m1.dLoss === null, 'step 1 is an encoder step');
    const afterEncoder = await snap();
    const changed = (a: Map<string, Float32Array>, b: Map<string, Float32Array>, prefix: string) =>
      [...a].filter(([k]) => k.startsWith(prefix)).some(([k, v]) => v.some((x, i) => x !== b.get(k)![i]));
    assert.ok(changed(before0, afterEncoder, 'T/') && changed(before0, afterEncoder, 'I/'));
    assert.ok(!changed(before0, afterEncoder, 'G/') && !changed(before0, afterEncoder, 'D/'));
    const n1 = tf.memory().numTensors;
    await t.trainStep();
    assert.equal(tf.memory().numTensors, n1);
    await t.trainStep();
    assert.ok(t.encoderTrained);
    const beforeGan = await snap();
    const m4 = await t.trainStep();
    assert.ok(Number.isFinite(m4.dLoss) && m4.dReal! >= 0 && m4.dReal! <= 1 && m4.encoder == null);
    const n4 = tf.memory().numTensors;
    await t.trainStep();
    await t.trainStep();
    assert.equal(tf.memory().numTensors, n4);
    const afterGan = await snap();
    assert.ok(changed(beforeGan, afterGan, 'G/') && changed(beforeGan, afterGan, 'D/'));
    assert.ok(!changed(beforeGan, afterGan, 'T/') && !changed(beforeGan, afterGan, 'I/'), 'the encoder is frozen');
    t.dispose();
  });

  test('resume continues the same run across the phase boundary: 2N steps = N, checkpoint, N more', async () => {
    const config = textConfig({ emaDecay: 0.9 });
    const N = 3;
    const straight = TextGanTrainer.create(config, data);
    for (let i = 0; i < 2 * N; i++) await straight.trainStep();
    const want = await straight.toCheckpoint();
    straight.dispose();
    const first = TextGanTrainer.create(config, data);
    for (let i = 0; i < N; i++) await first.trainStep();
    const saved = decodeCheckpoint(Buffer.concat(encodeCheckpoint(await first.toCheckpoint())));
    first.dispose();
    const second = TextGanTrainer.create(config, data, saved);
    for (let i = 0; i < N; i++) await second.trainStep();
    const got = await second.toCheckpoint();
    second.dispose();
    assert.deepEqual(got.iterations, want.iterations);
    assert.deepEqual(got.rng, want.rng);
    for (const [name, t] of want.tensors) assert.deepEqual(got.tensors.get(name)!.data, t.data, `${name} differs`);
  });

  test('the encoder learns the captions: a digit\'s two captions end up nearer each other than another digit\'s', async () => {
    const t = TextGanTrainer.create(tinyConfig({ model: 'text', batch: 32, text: { encoderSteps: 80 } }), data);
    const cos = (v: Float32Array, a: number, b: number, e: number) => {
      let s = 0;
      for (let k = 0; k < e; k++) s += v[a * e + k] * v[b * e + k];
      return s;
    };
    const prompts = ['a handwritten seven', 'the digit 7', 'a handwritten one', 'the digit 1'];
    const e = t.spec.text.embedDim;
    while (!t.encoderTrained) await t.trainStep();
    const { vectors } = await t.encodePrompts(prompts);
    // The captions share no word but their class; only the images can have taught the encoder that they agree.
    assert.ok(cos(vectors, 0, 1, e) > cos(vectors, 0, 3, e) + 0.2, `seven~7 ${cos(vectors, 0, 1, e)}, seven~1 ${cos(vectors, 0, 3, e)}`);
    assert.ok(cos(vectors, 2, 3, e) > cos(vectors, 2, 1, e) + 0.2);
    t.dispose();
  });

  test('a GAN checkpoint and a text checkpoint refuse to pose as each other', async () => {
    const t = TextGanTrainer.create(textConfig(), data);
    const c = await t.toCheckpoint();
    t.dispose();
    assert.throws(() => Trainer.fromCheckpoint(c), /of a text2image run, not a GAN's/);
    assert.throws(() => requireCapability(familyOfSpec(c.spec), 'sample'), /text-to-image run: it draws from a prompt/);
    const g = Trainer.create(tinyConfig(), data);
    assert.throws(() => TextGanTrainer.fromCheckpoint(await_(g)), /not a text-conditional run/);
    g.dispose();
  });
});

/** A GAN trainer's checkpoint, synchronously enough for assert.throws: the spec is all fromCheckpoint reads first. */
function await_(g: Trainer) {
  return { step: 0, config: g.config, spec: g.spec, rng: [0, 0, 0, 0] as [number, number, number, number], iterations: {}, tensors: new Map() };
}

describe('prompts through the service and the CLI', () => {
  let s: StudioService;
  let runId: string;
  // Made here, not in the hook: a folder made inside a hook would be removed when the hook ends.
  const home = tempDir('gan-text');
  before(async () => {
    s = new StudioService(home, { previewEvery: 3 });
    const done = until(s, 'run.finished', () => true);
    const r = await ok(s, 'runs.create', { config: { ...textConfig(), backend: 'wasm', steps: 6, checkpointEvery: 3 } });
    runId = r.id;
    const end = await done;
    assert.equal(end.error, null);
  });
  after(() => s.close());

  test('text.generate draws a grid of one prompt, reports unknown words and refuses a prompt of none the run knows', async () => {
    const g = await ok(s, 'text.generate', { id: runId, prompt: 'a handwritten banana seven', count: 4, seed: 5 });
    assert.equal(g.images.length, 4);
    assert.deepEqual(g.unknown, ['banana']);
    assert.equal(g.known, 3);
    const meta = await sharp(Buffer.from(g.images[0], 'base64')).metadata();
    assert.equal(meta.width, 28);
    // The same seed draws the same images; the words matter.
    const again = await ok(s, 'text.generate', { id: runId, prompt: 'a handwritten seven', count: 4, seed: 5 });
    assert.deepEqual(again.images, g.images, 'an unknown word is ignored, not drawn');
    const other = await ok(s, 'text.generate', { id: runId, prompt: 'the digit 1', count: 4, seed: 5 });
    assert.notDeepEqual(other.images, g.images);
    const refused = await s.call('text.generate', { id: runId, prompt: 'banana split' });
    assert.ok(!refused.ok && refused.error.code === 'INVALID_INPUT' && /knows none of the words of "banana split" \(banana, split\)/.test(refused.error.message));
    const empty = await s.call('text.generate', { id: runId, prompt: '   ' });
    assert.ok(!empty.ok && /prompt: type a prompt/.test(empty.error.message));
  });

  test('text.vocabulary lists the words; text.interpolate makes a GIF between two prompts', async () => {
    const v = await ok(s, 'text.vocabulary', { id: runId });
    assert.deepEqual(v.words.slice(0, 4).sort(), ['a', 'digit', 'handwritten', 'the']);
    assert.equal(v.words.length, v.counts.length);
    const walk = await ok(s, 'text.interpolate', { id: runId, from: 'the digit 3', to: 'a handwritten eight', frames: 5, scale: 1 });
    const gif = await sharp(Buffer.from(walk.gif, 'base64'), { animated: true }).metadata();
    assert.equal(gif.pages, 5);
    assert.equal(gif.width, 28);
  });

  test('other runs are refused, and a text run needs a captioned dataset', async () => {
    const plain = await ok(s, 'runs.create', { config: { ...tinyConfig(), backend: 'wasm' }, start: false });
    const r = await s.call('text.generate', { id: plain.id, prompt: 'seven' });
    assert.ok(!r.ok && /not a text-to-image run/.test(r.error.message));
    const noDataset = await s.call('runs.create', { config: { ...textConfig(), dataset: 'nope' } });
    assert.ok(!noDataset.ok && noDataset.error.code === 'NOT_FOUND');
    const wgan = await s.call('runs.create', { config: { ...textConfig(), loss: 'wgan-gp' } });
    assert.ok(!wgan.ok && /text-conditional run trains with bce, hinge or lsgan/.test(wgan.error.message));
  });

  test('gan-studio generate writes the prompt\'s images and a grid; an unknown-only prompt fails clearly', () => {
    const out = join(tempDir('gan-text-cli'), 'out');
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: s.home }, encoding: 'utf8', timeout: 120_000 });
    const r = cli(['generate', '--run', runId, '--prompt', 'a handwritten zebra four', '--count', '3', '--out', out, '--backend', 'wasm']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /not in the run's vocabulary, ignored: zebra/);
    assert.deepEqual(readdirSync(out).sort(), ['0001.png', '0002.png', '0003.png', 'grid.png']);
    const j = cli(['generate', '--run', runId, '--prompt', 'the digit 4', '--count', '2', '--out', out, '--json', '--backend', 'wasm']);
    assert.equal(JSON.parse(j.stdout.trim()).count, 2);
    const bad = cli(['generate', '--run', runId, '--prompt', 'zebra', '--out', out]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /knows none of the words of "zebra" \(zebra\); its words include a, digit/);
    assert.ok(existsSync(join(out, 'grid.png')));
  });
});
