/**
 * `npm run bench:samplers [-- --variant tutorial --seed 1 --steps 1200 --every 200]`
 *
 * One training trajectory, several ways of sampling from it, each scored by
 * the shipped MNIST judge on the same 1,000 latents: G as it trains with its
 * running batch-norm statistics (as the tutorial samples), and averages of G
 * at several decays, with G's statistics copied or measured on the network
 * itself (calibrateBatchNorm, as the studio samples). Sampling never changes
 * training, so one run compares them all without seed noise.
 */
import { parseArgs } from 'node:util';
import { useBackend } from '../main/engine/backends.js';
import { resolveConfig } from '../main/families/run-config.js';
import { variantConfig } from './variants.js';
import { Trainer } from '../main/families/gan/trainer.js';
import { Rng } from '../main/engine/rng.js';
import { loadMnist } from '../main/datasets/mnist.js';
import { builtinJudge, evaluateSamples, realReference } from '../main/judges/index.js';
import { updateAverage } from '../main/engine/ema.js';
import { calibrateBatchNorm, generate } from '../main/engine/networks.js';
import { tf } from '../main/engine/tf.js';
import type { ParamSet } from '../main/engine/params.js';

const { values: o } = parseArgs({ options: { steps: { type: 'string', default: '1200' }, seed: { type: 'string', default: '1' }, every: { type: 'string', default: '200' }, variant: { type: 'string', default: 'tutorial' } } });
const steps = Number(o.steps);
const every = Number(o.every);
const samples = 1000;

await useBackend('wasm');
const data = loadMnist();
const judge = builtinJudge('builtin:mnist');
const real = await realReference(judge, data, samples, 1);
const t = Trainer.create(resolveConfig({ dataset: 'builtin:mnist', backend: 'wasm', steps, seed: Number(o.seed), ...variantConfig(o.variant!), emaDecay: 0 }), data);
const z = Rng.fromSeed(7).normal(samples * t.spec.zDim);
const decays = [0.99, 0.995, 0.999];
const emas = decays.map((d) => ({ d, p: t.G.clone(`E${d}`.replace('.', '_')) }));

async function sample(p: ParamSet): Promise<Float32Array> {
  const images = tf.tidy(() => generate(p, t.spec, tf.tensor2d(z, [samples, t.spec.zDim]), null, { training: false }));
  try {
    return (await images.data()) as Float32Array;
  } finally {
    images.dispose();
  }
}
function recalibrated(p: ParamSet): ParamSet {
  const c = p.clone('R');
  calibrateBatchNorm(c, t.spec);
  return c;
}
async function score(name: string, p: ParamSet): Promise<void> {
  const e = await evaluateSamples(judge, real, await sample(p), samples);
  console.log(JSON.stringify({ variant: o.variant, seed: Number(o.seed), step: t.step, sampler: name, fid: +e.fid.toFixed(3), kid: +e.kid.toFixed(4), div: +e.diversity.toFixed(3) }));
}
const times: number[] = [];
while (t.step < steps) {
  times.push((await t.trainStep()).ms);
  for (const e of emas) updateAverage(t.G, e.p, e.d, t.step);
  if (t.step % every === 0) {
    await score('live', t.G);
    const r = recalibrated(t.G); await score('live-recal', r); r.dispose();
    for (const e of emas) {
      await score(`ema${e.d}`, e.p);
      const re = recalibrated(e.p); await score(`ema${e.d}-recal`, re); re.dispose();
    }
    console.error(`step ${t.step} ms/step ${[...times].sort((a, b) => a - b)[times.length >> 1].toFixed(0)}`);
  }
}
