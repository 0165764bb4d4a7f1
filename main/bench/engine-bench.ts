import { useBackend, type BackendName, type BackendStatus } from '../engine/backends.js';
import { median } from '../core/median.js';
import type { GpuCosts } from '../engine/webgpu/costs.js';
import { tf } from '../engine/tf.js';
import { Trainer } from '../families/gan/trainer.js';
import { referenceConfig, workloadData, type Workload } from './workload.js';

export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
  /** Runs other kernels inside; its time includes theirs. */
  composite: boolean;
}

export interface EngineRun {
  backend: BackendStatus;
  /** ms of each timed step, in order. */
  times: number[];
  kernels: KernelTime[];
  /** webgpu: what one step costs the GPU (launches, submissions, buffers, uploads, read-backs). */
  gpu?: GpuCosts;
}

/** Kernels the studio builds out of other kernels on this backend. */
const COMPOSITE = new Set(['Conv2DBackpropInput', 'Conv2DBackpropFilter']);
// (On WebGPU both are single programs of their own; kernel times there need the adapter's timestamp queries.)

/** A trainer on a workload, ready to time. */
export async function prepareEngine(name: BackendName, workload: Workload = 'reference', batch = 64): Promise<{ backend: BackendStatus; trainer: Trainer }> {
  const backend = await useBackend(name);
  const trainer = Trainer.create(referenceConfig(name, workload, batch), workloadData(workload));
  return { backend, trainer };
}

export async function timeSteps(trainer: Trainer, steps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await trainer.trainStep()).ms);
  return out;
}

/** Per-kernel time of one step, as the backend's profiler reports it. */
export async function kernelBreakdown(trainer: Trainer, backend: BackendName): Promise<KernelTime[]> {
  // Without timestamp queries WebGPU reports every kernel as 0 ms (and says so on the console).
  if (backend === 'webgpu' && !(tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery) return [];
  const info = await tf.profile(async () => {
    await trainer.trainStep();
  });
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0, composite: backend === 'wasm' && COMPOSITE.has(k.name) };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    byName.set(k.name, e);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

export { median };
