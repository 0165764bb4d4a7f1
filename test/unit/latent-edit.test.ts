/**
 * Editing real images: projection recovers the latent of a generated image,
 * the encoder learns a useful first guess, InterFaceGAN boundaries recover a
 * known boundary, decorrelation removes one attribute from another's
 * direction, and the pixel measures agree with their definitions.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../main/engine/rng.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import { builtinJudge, disposeJudge } from '../../main/judges/index.js';
import { project, rampedRate, latentNoise, ProjectionCancelled, generateLatents } from '../../main/latent/project.js';
import { encode, trainEncoder } from '../../main/latent/encoder.js';
import { cosine, decorrelate, fitFromScores, fitLogistic, fitMarked, moveLatent } from '../../main/latent/directions.js';
import { classAttributes, classParts, slant, thickness } from '../../main/latent/attributes.js';
import { attributeDirections, generateBlended } from '../../main/latent/attribute-directions.js';
import { psnr } from '../../main/judges/fidelity.js';
import { maxAbsDiff, onBackend, tf, tinyConfig } from '../support/helpers.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
const unit = (a: Float32Array) => a.map((x) => x / Math.hypot(...a));

let trainer: Trainer;
before(async () => {
  await onBackend('wasm');
  trainer = Trainer.create(tinyConfig({ seed: 3, backend: 'wasm' }), loadMnist());
  // A few steps: the generator draws blobs that depend on z, which is all projection needs.
  for (let i = 0; i < 30; i++) await trainer.trainStep();
});

test('StyleGAN2’s projector schedule: the rate ramps up over 5 %, down over the last 25 %; the latent noise fades out by 75 %', () => {
  assert.equal(rampedRate(0), 0);
  assert.ok(Math.abs(rampedRate(0.025) - 0.5) < 1e-9);
  assert.equal(rampedRate(0.5), 1);
  assert.ok(Math.abs(rampedRate(0.875) - 0.5) < 1e-9);
  assert.equal(rampedRate(1), 0);
  assert.equal(latentNoise(0), 0.05);
  assert.ok(Math.abs(latentNoise(0.375) - 0.0125) < 1e-12);
  assert.equal(latentNoise(0.75), 0);
});

test('projection recovers a generated image: its latent, and a PSNR far above the best of random latents', async () => {
  const { spec } = trainer;
  const G = trainer.sampler();
  const zTrue = Rng.fromSeed(41).normal(2 * spec.zDim);
  const targets = await generateLatents(G, spec, zTrue, null);
  const per = spec.size * spec.size;
  const judge = builtinJudge('builtin:mnist');
  const before = tf.memory().numTensors;
  const distances: number[] = [];
  const r = await project(G, spec, targets, 2, { steps: 150, starts: 4, judge, D: trainer.D, onStep: (p) => void distances.push(p.distance) });
  assert.equal(tf.memory().numTensors, before, 'projection leaves no tensors behind');
  disposeJudge(judge);
  assert.equal(r.history.length, 150);
  assert.ok(r.history.every((d, i) => i === 0 || d <= r.history[i - 1]), 'the best distance never rises');
  assert.ok(r.history[149] < r.history[0] / 5, `distance ${r.history[0]} → ${r.history[149]}`);
  // The best of 1,000 random latents, the baseline the bench reports against.
  const random = await generateLatents(G, spec, Rng.fromSeed(5).normal(1000 * spec.zDim), null);
  for (let t = 0; t < 2; t++) {
    const target = targets.subarray(t * per, (t + 1) * per);
    let best = -Infinity;
    for (let k = 0; k < 1000; k++) best = Math.max(best, psnr(random.subarray(k * per, (k + 1) * per), target, 2));
    assert.ok(r.psnr[t] > 30, `image ${t}: PSNR ${r.psnr[t]} dB`);
    assert.ok(r.psnr[t] > best + 8, `image ${t}: ${r.psnr[t]} dB vs ${best} dB for the best random latent`);
    const zt = zTrue.subarray(t * spec.zDim, (t + 1) * spec.zDim);
    const zf = r.z.subarray(t * spec.zDim, (t + 1) * spec.zDim);
    const err = Math.hypot(...zf.map((x, i) => x - zt[i])) / Math.hypot(...zt);
    assert.ok(err < 0.25, `image ${t}: latent found ${(err * 100).toFixed(1)} % of |z| away from the true one`);
  }
});

test('a cancelled projection stops at the next step and frees its tensors', async () => {
  const { spec } = trainer;
  const targets = await generateLatents(trainer.sampler(), spec, Rng.fromSeed(2).normal(spec.zDim), null);
  const before = tf.memory().numTensors;
  let steps = 0;
  await assert.rejects(
    project(trainer.sampler(), spec, targets, 1, { steps: 100, starts: 2, onStep: () => void steps++, cancelled: () => steps >= 3 }),
    ProjectionCancelled,
  );
  assert.equal(steps, 3);
  assert.equal(tf.memory().numTensors, before);
});

test('the encoder learns a first guess better than the prior’s mean, and a projection from it needs fewer steps', async () => {
  const { spec } = trainer;
  const before = tf.memory().numTensors;
  const encoder = await trainEncoder(trainer.sampler(), spec, { steps: 250 });
  const zTrue = Rng.fromSeed(77).normal(32 * spec.zDim);
  const images = await generateLatents(trainer.sampler(), spec, zTrue, null);
  const guess = await encode(encoder, spec, images, 32);
  let se = 0;
  let prior = 0;
  for (let i = 0; i < zTrue.length; i++) {
    se += (guess.z[i] - zTrue[i]) ** 2;
    prior += zTrue[i] ** 2;
  }
  // Predicting 0 (the prior's mean) scores 1 per coordinate.
  assert.ok(se / prior < 0.6, `encoder's latent error ${(se / prior).toFixed(3)} of the prior's`);
  const target = images.subarray(0, spec.size * spec.size);
  const from = await project(trainer.sampler(), spec, target, 1, { steps: 25, starts: 1, init: { z: guess.z.subarray(0, spec.zDim), labels: null } });
  const cold = await project(trainer.sampler(), spec, target, 1, { steps: 25, starts: 1, seed: 9 });
  assert.ok(from.psnr[0] > cold.psnr[0], `25 steps from the encoder: ${from.psnr[0]} dB; from a random start: ${cold.psnr[0]} dB`);
  disposeJudge(encoder);
  assert.equal(tf.memory().numTensors, before, 'encoder training leaves no tensors behind');
});

test('InterFaceGAN recovers a known boundary from scores, and from a few marked examples', () => {
  const d = 24;
  const n = 1500;
  const rng = Rng.fromSeed(11);
  const truth = unit(rng.normal(d));
  const z = rng.normal(n * d);
  // A noisy probability of the attribute, as a classifier would give it.
  const scores = Float32Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(-(3 * dot(z.subarray(i * d, (i + 1) * d), truth) + rng.normal(1)[0]))));
  const b = fitFromScores(z, scores, n, 0.2);
  assert.ok(cosine(b.direction, truth) > 0.95, `cosine ${cosine(b.direction, truth)}`);
  assert.ok(Math.abs(Math.hypot(...b.direction) - 1) < 1e-5);
  assert.equal(b.positives, 300);
  assert.ok(b.accuracy > 0.97);
  // Twelve examples each side, as a person might tick them.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => scores[x] - scores[y]);
  const pick = (ids: number[]) => ids.map((i) => z.slice(i * d, (i + 1) * d));
  const marked = fitMarked(pick(order.slice(-12)), pick(order.slice(0, 12)));
  assert.ok(cosine(marked.direction, truth) > 0.6, `marked: cosine ${cosine(marked.direction, truth)}`);
  assert.throws(() => fitLogistic(z.subarray(0, 4 * d), new Uint8Array(4), 4), /with and without/);
  assert.throws(() => fitMarked([], [z.subarray(0, d)]), /at least one/);
});

test('decorrelation: moving along the decorrelated direction leaves the other attribute’s score alone', () => {
  const d = 16;
  const rng = Rng.fromSeed(8);
  const age = unit(rng.normal(d));
  // A second attribute correlated with the first (cosine 0.6), as age and skin tone can be in a generator.
  const other = unit(rng.normal(d));
  const o = decorrelate(other, age);
  const tone = unit(Float32Array.from(age, (x, i) => 0.6 * x + 0.8 * o[i]));
  assert.ok(Math.abs(cosine(age, tone) - 0.6) < 1e-5);
  const moved = decorrelate(age, tone);
  assert.ok(Math.abs(dot(moved, tone)) < 1e-6, 'orthogonal to the kept direction');
  assert.ok(Math.abs(Math.hypot(...moved) - 1) < 1e-6, 'unit length');
  assert.ok(Math.abs(cosine(moved, age) - 0.8) < 1e-5, 'what remains of the first: sin of the angle between them');
  const z = rng.normal(d);
  const toneOf = (v: Float32Array) => dot(v, tone);
  const plain = moveLatent(z, [{ direction: age, amount: 3 }]);
  const kept = moveLatent(z, [{ direction: moved, amount: 3 }]);
  assert.ok(Math.abs(toneOf(plain) - toneOf(z) - 1.8) < 1e-5, 'the plain move drags the other attribute by 3 × 0.6');
  assert.ok(Math.abs(toneOf(kept) - toneOf(z)) < 1e-5, 'the decorrelated one does not');
  assert.ok(dot(kept, age) - dot(z, age) > 2.3, 'and still moves the first');
  assert.throws(() => decorrelate(age, age), /same/);
});

test('pixel measures: thickness grows with the stroke, slant is the shear of a drawn line', () => {
  const size = 28;
  const line = (shear: number, width: number) => {
    const img = new Float32Array(size * size).fill(-1);
    for (let y = 4; y < 24; y++) {
      const x0 = 14 + shear * (14 - y);
      for (let x = 0; x < size; x++) if (Math.abs(x - x0) < width / 2) img[y * size + x] = 1;
    }
    return img;
  };
  assert.ok(thickness(line(0, 5)) > 2 * thickness(line(0, 2)));
  assert.ok(Math.abs(slant(line(0, 2), size)) < 0.02);
  // A thin line x = x0 + s·(cy − y): its moments give exactly s.
  for (const s of [0.3, -0.4]) assert.ok(Math.abs(slant(line(s, 1.5), size) - s) < 0.06, `shear ${s}: ${slant(line(s, 1.5), size)}`);
  assert.deepEqual(classParts(['baby_tone1', 'baby_tone2', 'older_tone1']), [['baby', 'tone1'], ['baby', 'tone2'], ['older', 'tone1']]);
  assert.equal(classParts(['0', '1']), null);
  assert.equal(classParts(['a_b', 'c']), null);
});

test('class-name parts become attributes whose probability is the sum over their classes', () => {
  const names = ['young_light', 'young_dark', 'old_light', 'old_dark'];
  // Two images' class probabilities.
  const probs = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.7, 0.1, 0.1, 0.1]);
  const attrs = classAttributes(probs, 2, names);
  const of = (name: string) => Array.from(attrs.find((a) => a.name === name)!.scores, (x) => Math.round(x * 1e5) / 1e5);
  assert.deepEqual(of('young'), [0.3, 0.8]);
  assert.deepEqual(of('old'), [0.7, 0.2]);
  assert.deepEqual(of('light'), [0.4, 0.8]);
  assert.deepEqual(of('dark'), [0.6, 0.2]);
  assert.deepEqual(of('old_dark'), [0.4, 0.1]);
  assert.deepEqual(attrs.map((a) => a.kind), ['class', 'class', 'class', 'class', 'part', 'part', 'part', 'part']);
  // A part named like a class keeps both apart.
  assert.ok(classAttributes(Float32Array.from([0.5, 0.5]), 1, ['a_b', 'b_a']).some((a) => a.name === 'a (part 2)'));
});

test('attribute directions on a run: the thickness direction makes most samples thicker, and orthogonal to a kept one', async () => {
  const judge = builtinJudge('builtin:mnist');
  const dirs = await attributeDirections(trainer, judge, { samples: 400, measure: 100 });
  const thick = dirs.find((d) => d.name === 'thickness')!;
  assert.ok(thick, `directions: ${dirs.map((d) => d.name)}`);
  assert.ok(thick.after > thick.before + 0.3, `thick before ${thick.before}, after +3σ ${thick.after}`);
  assert.ok(thick.kept >= 0 && thick.kept <= 1 && Object.keys(thick.keptBy).includes('slant'));
  const kept = await attributeDirections(trainer, judge, { samples: 400, measure: 100, keep: ['thickness'] });
  const slantDir = kept.find((d) => d.name === 'slant')!;
  assert.deepEqual(slantDir.orthogonalTo, ['thickness']);
  assert.ok(Math.abs(dot(slantDir.direction, kept.find((d) => d.name === 'thickness')!.direction)) < 1e-5);
  disposeJudge(judge);
});

test('a conditional run: projection finds the class as well as the latent, and the class input moves continuously', async () => {
  const t = Trainer.create(tinyConfig({ seed: 5, model: 'cdcgan', backend: 'wasm' }), loadMnist());
  for (let i = 0; i < 20; i++) await t.trainStep();
  const { spec } = t;
  const z = Rng.fromSeed(12).normal(spec.zDim);
  const target = await generateLatents(t.sampler(), spec, z, Int32Array.of(3));
  const r = await project(t.sampler(), spec, target, 1, { steps: 120, starts: 4 });
  assert.equal(r.labels?.length, 1);
  assert.equal(r.labels![0], 3, `class ${r.labels![0]} found for a generated 3`);
  assert.ok(r.psnr[0] > 28, `PSNR ${r.psnr[0]}`);
  const [a, b, half] = await Promise.all([0, 1, 0.5].map((mix) => generateBlended(t, z, 3, 8, mix)));
  const as3 = await generateLatents(t.sampler(), spec, z, Int32Array.of(3));
  const as8 = await generateLatents(t.sampler(), spec, z, Int32Array.of(8));
  assert.ok(maxAbsDiff(a, as3) < 1e-5 && maxAbsDiff(b, as8) < 1e-5, 'the ends are the two classes exactly');
  assert.ok(maxAbsDiff(half, as3) > 1e-3 && maxAbsDiff(half, as8) > 1e-3, 'halfway is neither');
  t.dispose();
});
