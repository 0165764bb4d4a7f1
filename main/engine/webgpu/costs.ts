/**
 * What a training step costs a GPU, whatever the adapter: compute
 * dispatches (kernel launches) by program, command submissions, GPU buffers
 * created (and their bytes) rather than reused from TensorFlow.js's pool,
 * bytes uploaded, and read-backs that wait for the GPU. Counted by wrapping
 * the WebGPU backend's own methods for the length of one call, so the counts
 * are exact on SwiftShader and on a real GPU alike, and cost nothing
 * otherwise.
 */
import { tf } from '../tf.js';

export interface GpuCosts {
  dispatches: number;
  /** Dispatches by program (the backend's program class: MatMulPackedProgram, BinaryOpProgram, …). */
  byProgram: Record<string, number>;
  submits: number;
  /** Buffers the pool had none free of (size and usage): new GPU allocations that stay in the pool. */
  buffersCreated: number;
  bytesCreated: number;
  /** Tensors uploaded from the CPU (each through a staging buffer made and destroyed for it), and their bytes. */
  uploads: number;
  bytesUploaded: number;
  uniformWrites: number;
  /** Reads that map a buffer and wait for the GPU (data(), dataSync()). */
  readbacks: number;
}

interface Program {
  constructor: { name: string };
}
interface BufferManagerLike {
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): unknown;
  freeBuffers: Map<string, unknown[]>;
}
interface WebGpuBackendLike {
  runWebGPUProgram(program: Program, ...rest: unknown[]): unknown;
  submitQueue(): void;
  getBufferData(buffer: unknown): Promise<unknown>;
  uploadToGPU(dataId: object): void;
  tensorMap: { get(dataId: object): { resource: unknown; values: unknown; shape: number[]; dtype: string } | undefined };
  bufferManager: BufferManagerLike;
  queue: { writeBuffer(...args: unknown[]): void };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 4 };

/** Runs fn on the active WebGPU backend and counts what it made the GPU do; refuses another backend. */
export async function countGpuCosts(fn: () => Promise<unknown>): Promise<GpuCosts> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`GPU costs are counted on the webgpu backend, not ${tf.getBackend()}`);
  const b = tf.backend() as unknown as WebGpuBackendLike;
  const costs: GpuCosts = { dispatches: 0, byProgram: {}, submits: 0, buffersCreated: 0, bytesCreated: 0, uploads: 0, bytesUploaded: 0, uniformWrites: 0, readbacks: 0 };
  const bm = b.bufferManager;
  const originals = { run: b.runWebGPUProgram, submit: b.submitQueue, read: b.getBufferData, upload: b.uploadToGPU, acquire: bm.acquireBuffer, write: b.queue.writeBuffer };
  b.runWebGPUProgram = function (program, ...rest) {
    costs.dispatches++;
    const name = program.constructor.name;
    costs.byProgram[name] = (costs.byProgram[name] ?? 0) + 1;
    return originals.run.call(this, program, ...rest);
  };
  b.submitQueue = function () {
    costs.submits++;
    return originals.submit.call(this);
  };
  b.getBufferData = function (buffer) {
    costs.readbacks++;
    return originals.read.call(this, buffer);
  };
  b.uploadToGPU = function (dataId) {
    const t = this.tensorMap.get(dataId);
    if (t && t.resource == null && t.values != null) {
      costs.uploads++;
      costs.bytesUploaded += (BYTES[t.dtype] ?? 4) * t.shape.reduce((a, c) => a * c, 1);
    }
    return originals.upload.call(this, dataId);
  };
  bm.acquireBuffer = function (size, usage, mappedAtCreation, reuse = true) {
    // The pool keys free buffers by size and usage; an empty list means a new GPU buffer (staging ones, never pooled, count as uploads).
    const free = this.freeBuffers.get(`${size}_${usage}`);
    if (reuse && (!free || free.length === 0)) {
      costs.buffersCreated++;
      costs.bytesCreated += size;
    }
    return originals.acquire.call(this, size, usage, mappedAtCreation, reuse);
  };
  const queue = b.queue;
  queue.writeBuffer = function (...args: unknown[]) {
    costs.uniformWrites++;
    return originals.write.apply(queue, args);
  };
  try {
    await fn();
  } finally {
    b.runWebGPUProgram = originals.run;
    b.submitQueue = originals.submit;
    b.getBufferData = originals.read;
    b.uploadToGPU = originals.upload;
    bm.acquireBuffer = originals.acquire;
    queue.writeBuffer = originals.write;
  }
  return costs;
}

/** One line for people: "per step: 771 launches (MatMulPackedProgram 120, …), 13 submissions, 0 new buffers, 1 read-back". */
export function describeGpuCosts(c: GpuCosts): string {
  const top = Object.entries(c.byProgram)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([k, n]) => `${k.replace(/Program$/, '')} ${n}`)
    .join(', ');
  return (
    `per step: ${c.dispatches} launches (${top}), ${c.submits} submissions, ${c.buffersCreated} new buffers (${(c.bytesCreated / 2 ** 20).toFixed(1)} MiB), ` +
    `${c.uploads} uploads (${(c.bytesUploaded / 1024).toFixed(0)} KiB), ${c.uniformWrites} uniform writes, ${c.readbacks} read-back${c.readbacks === 1 ? '' : 's'}`
  );
}
