/**
 * The WebGPU engine's kernels against the cpu backend's reference kernels:
 * the studio's filter gradient (one tile, several tiles, split sums),
 * transposed convolution and the input gradient on the matrix-product path,
 * for the shapes the networks use and odd ones; the fused Adam and weight
 * average against the op-by-op form. Runs on whatever adapter
 * WebGPU offers here; on a machine without a GPU that is a software one
 * (SwiftShader, which .ci/run provides), which is why the shapes are small.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../../main/engine/backends.js';
import { filterGradSplits } from '../../main/engine/webgpu/kernels.js';
import { flatDispatch } from '../../main/engine/webgpu/fused-updates.js';
import { countGpuCosts } from '../../main/engine/webgpu/costs.js';
import { Adam } from '../../main/engine/adam.js';
import { blend } from '../../main/engine/fused-kernels.js';
import { dawnAdapter } from '../../main/engine/webgpu/node.js';
import { Rng } from '../../main/engine/rng.js';
import { maxAbs, maxAbsDiff, tf } from '../support/helpers.js';

const adapter = await dawnAdapter();
const skip = 'reason' in adapter ? `no WebGPU adapter here (${adapter.reason})` : false;

type Shape4 = [number, number, number, number];
interface Case {
  name: string;
  x: Shape4;
  k: number;
  out: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { name: "D's first layer (28 px, 1 channel)", x: [4, 28, 28, 1], k: 5, out: 16, stride: 2, pad: 'same' },
  { name: "D's second layer", x: [4, 14, 14, 16], k: 5, out: 32, stride: 2, pad: 'same' },
  { name: 'RGB 32 px, 3 channels', x: [2, 32, 32, 3], k: 5, out: 8, stride: 2, pad: 'same' },
  { name: 'odd sizes, valid padding', x: [3, 11, 9, 5], k: 3, out: 7, stride: 1, pad: 'valid' },
  { name: 'odd sizes, stride 2 same', x: [2, 9, 7, 3], k: 4, out: 5, stride: 2, pad: 'same' },
  { name: 'K and C over one 32-tile', x: [2, 8, 8, 40], k: 1, out: 70, stride: 1, pad: 'same' },
];

function data(c: Case) {
  const rng = Rng.fromSeed(c.x.reduce((a, b) => a * 31 + b, c.k * 7 + c.stride));
  const wShape: Shape4 = [c.k, c.k, c.x[3], c.out];
  const outShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, c.stride, c.pad).shape) as Shape4;
  return { x: rng.normal(c.x.reduce((a, b) => a * b)), w: rng.normal(wShape.reduce((a, b) => a * b)), dy: rng.normal(outShape.reduce((a, b) => a * b)), wShape, outShape };
}

/** The three kernels a convolution's training uses, on the current backend. */
async function kernels(c: Case) {
  const d = data(c);
  const out = tf.tidy(() => {
    const x = tf.tensor4d(d.x, c.x);
    const w = tf.tensor4d(d.w, d.wShape);
    const dy = tf.tensor4d(d.dy, d.outShape);
    return {
      // The kernels as gradients call them (the ops are not public).
      filterGrad: tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: d.wShape }) as tf.Tensor,
      inputGrad: tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { inputShape: c.x, strides: c.stride, pad: c.pad, dataFormat: 'NHWC' }) as tf.Tensor,
      // A transposed convolution is the input gradient read forward: the generator's layers.
      transposed: tf.conv2dTranspose(dy, w, c.x, c.stride, c.pad),
    };
  });
  const read = async (t: tf.Tensor) => ((await t.data()) as Float32Array).slice();
  const result = { filterGrad: await read(out.filterGrad), inputGrad: await read(out.inputGrad), transposed: await read(out.transposed) };
  tf.dispose([out.filterGrad, out.inputGrad, out.transposed]);
  return result;
}

describe('WebGPU kernels', { skip }, () => {
  const reference = new Map<string, Awaited<ReturnType<typeof kernels>>>();
  before(async () => {
    await useBackend('cpu');
    for (const c of CASES) reference.set(c.name, await kernels(c));
    await useBackend('webgpu');
  });
  after(() => tf.removeBackend('webgpu'));

  for (const c of CASES) {
    test(`${c.name}: ${c.x.join('×')}, ${c.k}×${c.k}→${c.out}, stride ${c.stride} ${c.pad}`, async () => {
      assert.equal(tf.getBackend(), 'webgpu');
      const got = await kernels(c);
      const want = reference.get(c.name)!;
      for (const k of ['filterGrad', 'inputGrad', 'transposed'] as const) {
        const scale = Math.max(1, maxAbs(want[k]));
        const err = maxAbsDiff(got[k], want[k]) / scale;
        assert.ok(err < 1e-5, `${k} differs from the cpu backend by ${err.toExponential(2)} (relative)`);
      }
    });
  }

  test('the filter gradient splits a long batch across workgroups and sums the parts', async () => {
    // D's first layer at batch 64: m = 64·14·14 = 12,544 rows, one 32×32 tile of dW: many splits.
    const split = filterGradSplits(64 * 14 * 14, 25, 64);
    assert.ok(split.splits > 1 && split.chunk % 16 === 0 && split.splits * split.chunk >= 64 * 14 * 14, JSON.stringify(split));
    const c: Case = { name: 'many splits', x: [16, 28, 28, 1], k: 5, out: 8, stride: 2, pad: 'same' };
    assert.ok(filterGradSplits(16 * 14 * 14, 25, 8).splits > 1);
    const got = await kernels(c);
    await useBackend('cpu');
    const want = await kernels(c);
    await useBackend('webgpu');
    assert.ok(maxAbsDiff(got.filterGrad, want.filterGrad) / maxAbs(want.filterGrad) < 1e-5);
  });

  test('fused Adam follows the op-by-op Adam of the cpu backend over steps, on odd shapes and one past a one-dimensional launch, at three launches a variable', async () => {
    // 65,535 workgroups of 64 is the most a one-dimensional launch reaches; the last shape needs a second row.
    const shapes = [[5, 5, 3, 7], [13], [65535 * 64 + 37]];
    assert.equal(flatDispatch(65535 * 64 + 37)[1], 2);
    const run = async () => {
      const rng = Rng.fromSeed(11);
      const vars = new Map(shapes.map((s, i) => [`w${i}`, tf.tidy(() => tf.variable(tf.tensor(rng.normal(s.reduce((a, b) => a * b)), s)))]));
      const adam = new Adam('t', vars, { lr: 0.01, beta1: 0.5, beta2: 0.999 });
      let launches = 0;
      for (let step = 0; step < 3; step++) {
        const grads = Object.fromEntries([...vars.values()].map((x) => [x.name, tf.tensor(rng.normal(x.size), x.shape)]));
        if (tf.getBackend() === 'webgpu') launches = (await countGpuCosts(async () => adam.apply(grads, 0.7))).dispatches;
        else adam.apply(grads, 0.7);
        tf.dispose(Object.values(grads));
      }
      const out = await Promise.all([...vars.values(), ...adam.stateTensors().values()].map(async (t) => (await t.data()) as Float32Array));
      tf.dispose([...vars.values()]);
      adam.dispose();
      return { out, launches };
    };
    const before = tf.memory().numTensors;
    const got = await run();
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
    assert.equal(got.launches, 3 * shapes.length);
    await useBackend('cpu');
    const want = await run();
    await useBackend('webgpu');
    want.out.forEach((w, i) => {
      const err = maxAbsDiff(got.out[i], w) / Math.max(1, maxAbs(w));
      assert.ok(err < 1e-5, `tensor ${i} differs from the cpu backend by ${err.toExponential(2)}`);
    });
  });

  test('the fused weight average is average·decay + source·(1 − decay), in one launch', async () => {
    const rng = Rng.fromSeed(5);
    const n = 1031;
    const a = rng.normal(n);
    const s = rng.normal(n);
    const decay = 0.97;
    let out: Float32Array | undefined;
    const costs = await countGpuCosts(async () => {
      const inputs = { average: tf.tensor(a, [n]), source: tf.tensor(s, [n]) };
      const t = blend(inputs.average, inputs.source, decay);
      out = (await t.data()) as Float32Array;
      tf.dispose([t, inputs.average, inputs.source]);
    });
    assert.equal(costs.dispatches, 1);
    const want = Float32Array.from(a, (x, i) => x * decay + s[i] * (1 - decay));
    assert.ok(maxAbsDiff(out!, want) < 1e-6, `differs by ${maxAbsDiff(out!, want)}`);
  });

  test('no tensors and no device memory are left behind', async () => {
    const c = CASES[1];
    await kernels(c);
    const before = tf.memory() as { numTensors: number; numBytesInGPU?: number };
    await kernels(c);
    const after = tf.memory() as { numTensors: number; numBytesInGPU?: number };
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numBytesInGPU, before.numBytesInGPU);
  });
});
