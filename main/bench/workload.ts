/**
 * The workloads of `gan-studio bench`. The reference: the TensorFlow DCGAN
 * tutorial networks for 28×28×1 at batch 64, one D step and one G step with
 * BCE and Adam — the studio's defaults on builtin:mnist. rgb64: the same
 * recipe for 64×64 colour images (four stages each side), what a real
 * imported dataset costs.
 */
import { resolveConfig, type TrainConfig } from '../families/run-config.js';
import { layout, type NetSpec } from '../engine/networks.js';
import { Rng } from '../engine/rng.js';
import { loadMnist } from '../datasets/mnist.js';
import type { Dataset } from '../core/dataset.js';

export const WORKLOADS = ['reference', 'rgb64'] as const;
export type Workload = (typeof WORKLOADS)[number];

export function referenceConfig(backend: TrainConfig['backend'] = 'auto', workload: Workload = 'reference', batch = 64): TrainConfig {
  // No EMA: the tutorial step has none, and PyTorch's peer neither.
  const dataset = workload === 'reference' ? 'builtin:mnist' : 'bench:rgb64';
  return resolveConfig({ dataset, preset: 'tutorial', model: 'dcgan', loss: 'bce', batch, width: 64, zDim: 100, emaDecay: 0, backend });
}

/** The images a workload trains on: real digits, or 2,000 random 64×64 RGB images (a step's cost does not depend on what they show). */
export function workloadData(workload: Workload): Dataset {
  if (workload === 'reference') return loadMnist();
  const count = 2000;
  const pixels = new Uint8Array(count * 64 * 64 * 3);
  const rng = Rng.fromSeed(64);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256);
  return { name: 'bench:rgb64', size: 64, channels: 3, count, pixels, labels: null, classNames: [] };
}

const K = 25; // 5×5 kernels

/** Multiply-adds of one forward pass per image: [dense, upsampling convs…] and [convs…, dense]. */
function layerMacs(spec: NetSpec) {
  const { base, stages } = layout(spec.size);
  const gw = Array.from({ length: stages }, (_, i) => spec.width * 2 ** (stages - 1 - i));
  const gOut = [...gw.slice(1), spec.channels];
  const g = [spec.zDim * base * base * gw[0]];
  for (let i = 0; i < stages; i++) g.push((base * 2 ** i) ** 2 * K * gw[i] * gOut[i]);
  const dw = Array.from({ length: stages }, (_, i) => spec.width * 2 ** i);
  const d: number[] = [];
  for (let i = 0; i < stages; i++) d.push((spec.size / 2 ** (i + 1)) ** 2 * K * (i === 0 ? spec.channels : dw[i - 1]) * dw[i]);
  d.push((spec.size / 2 ** stages) ** 2 * dw[stages - 1]);
  return { g, d };
}

/**
 * Floating-point operations of one training step as the engine performs it:
 * G forward once; D forward on 2n and its weight and input gradients (none
 * for the images); D forward on n and input gradients for G; G's weight and
 * input gradients (none for the noise).
 */
export function stepFlops(spec: NetSpec, batch: number): number {
  const { g, d } = layerMacs(spec);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const G = sum(g);
  const D = sum(d);
  const macs = G + 2 * D + 2 * D + 2 * (D - d[0]) + D + D + G + (G - g[0]);
  return 2 * macs * batch;
}
