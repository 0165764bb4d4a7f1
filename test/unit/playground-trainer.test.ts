/** The playground's trainer: what one step does, that it leaks no tensors, and its surface and samples. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../main/engine/tf.js';
import { useBackend } from '../../main/engine/backends.js';
import { prepareWasmThreads } from '../../main/engine/wasm-threads.js';
import { distribution } from '../../main/playground/distributions.js';
import { DEFAULT_RECIPE, lrScale, type PlaygroundRecipe } from '../../main/playground/recipe.js';
import { PointTrainer } from '../../main/playground/trainer.js';
import { PlaygroundSession } from '../../main/playground/session.js';
import { PlaygroundSettingsSchema } from '../../main/playground/settings.js';

before(async () => {
  // As the playground worker runs it.
  prepareWasmThreads(1);
  await useBackend('wasm');
});

const small = (over: Partial<PlaygroundRecipe> = {}): PlaygroundRecipe => ({ ...DEFAULT_RECIPE, gHidden: [16, 16], dHidden: [16, 16], batch: 32, steps: 50, ...over });

test('a step is k discriminator updates, then one generator update', () => {
  const t = new PointTrainer(small({ dSteps: 3 }), distribution('ring'));
  try {
    const m = t.trainStep();
    assert.deepEqual([m.step, t.optD.iterations, t.optG.iterations], [1, 3, 1]);
    t.trainStep();
    assert.deepEqual([t.step, t.optD.iterations, t.optG.iterations], [2, 6, 2]);
    for (const v of [m.dLoss, m.gLoss, m.dReal, m.dFake]) assert.ok(Number.isFinite(v));
    assert.ok(m.dReal > 0 && m.dReal < 1 && m.dFake > 0 && m.dFake < 1);
  } finally {
    t.dispose();
  }
});

test('training steps, samples and the surface leave no tensor behind, with every penalty and packing', () => {
  for (const over of [{}, { penalty: 'r1', penaltyWeight: 0.1 }, { penalty: 'gp', loss: 'wgan-gp', penaltyWeight: 0.1 }, { pack: 4 }] as Partial<PlaygroundRecipe>[]) {
    const t = new PointTrainer(small(over), distribution('grid'));
    const before = tf.memory().numTensors;
    t.trainStep();
    t.trainStep();
    t.generate(t.latents(10, 1));
    t.surface(8);
    assert.equal(tf.memory().numTensors, before, JSON.stringify(over));
    t.dispose();
  }
});

test('a session frame leaves no tensor behind either', () => {
  const s = new PlaygroundSession('pg-1', PlaygroundSettingsSchema.parse({ distribution: 'spiral' }), 'test', () => {});
  const before = tf.memory().numTensors;
  s.trainer.trainStep();
  s.trainer.trainStep();
  const f = s.frame();
  assert.equal(tf.memory().numTensors, before);
  assert.equal(f.coverage?.kind, 'support');
  s.trainer.dispose();
});

test('the surface is D’s probability on a grid over the shown square, top row first', () => {
  const data = distribution('ring');
  const t = new PointTrainer(small(), data);
  try {
    for (let i = 0; i < 5; i++) t.trainStep();
    const res = 6;
    const s = t.surface(res);
    assert.equal(s.length, res * res);
    assert.ok(s.every((p) => p > 0 && p < 1));
    // The same verdict computed by hand for the top-left cell centre, (−e + e/res, e − e/res).
    const e = data.extent;
    const x = (-e + e / res) / t.scale;
    const y = (e - e / res) / t.scale;
    const direct = tf.tidy(() => {
      let h: tf.Tensor = tf.tensor2d([[x, y]]);
      const layers = t.recipe.dHidden.length + 1;
      for (let i = 0; i < layers; i++) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, t.D.get(`fc${i}/W`) as tf.Tensor2D), t.D.get(`fc${i}/b`));
        if (i < layers - 1) h = tf.leakyRelu(h, 0.2);
      }
      return tf.sigmoid(h).dataSync()[0];
    });
    assert.ok(Math.abs(direct - s[0]) < 1e-5, `${direct} vs ${s[0]}`);
  } finally {
    t.dispose();
  }
});

test('the same seed trains the same points', () => {
  const run = () => {
    const t = new PointTrainer(small({ steps: 5 }), distribution('ring'));
    for (let i = 0; i < 5; i++) t.trainStep();
    const out = t.generate(t.latents(20, 4));
    t.dispose();
    return out;
  };
  assert.deepEqual(run(), run());
});

test('learning rates hold, then fall linearly to their floor over the last part of the run', () => {
  const r = { steps: 1000, decayFraction: 0.5, lrFloor: 0.01 };
  assert.equal(lrScale(r, 0), 1);
  assert.equal(lrScale(r, 499), 1);
  assert.ok(Math.abs(lrScale(r, 750) - 0.505) < 1e-12);
  assert.ok(Math.abs(lrScale(r, 1000) - 0.01) < 1e-12);
  assert.equal(lrScale({ ...r, decayFraction: 0 }, 999), 1);
});
