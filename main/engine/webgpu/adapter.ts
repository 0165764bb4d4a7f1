/**
 * The studio's WebGPU backend, whatever provides WebGPU: Dawn's Node bindings
 * in the CLI and browser mode (node.ts), Chromium in the desktop app's engine
 * worker. It chooses the adapter (a software one only when asked for), asks
 * the device for the limits training needs, and registers TensorFlow.js's
 * WebGPU backend with the studio's kernels on top.
 */
import { tf } from '../tf.js';
import { registerWebGpuKernels } from './kernels.js';

/** The parts of WebGPU's GPU, GPUAdapter and GPUAdapterInfo the studio reads. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power'; forceFallbackAdapter?: boolean }): Promise<AdapterLike | null>;
}
export interface AdapterLike {
  readonly info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<unknown>;
}

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation of WebGPU (SwiftShader, lavapipe, WARP): correct, but slower than the CPU engines. */
  software: boolean;
}

/** Software rasterisers by the names their drivers give; WebGPU's fallback flag catches the rest. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

export function describeAdapter(adapter: AdapterLike): AdapterDescription {
  const { vendor, architecture, device, description } = adapter.info;
  const fallback = adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  return { vendor, architecture, device, description, software: fallback || SOFTWARE.test([vendor, architecture, device, description].join(' ')) };
}

/** "NVIDIA ampere (NVIDIA GeForce RTX 3080)", "software: google swiftshader (SwiftShader driver 5.0.0)". */
export function adapterLabel(a: AdapterDescription): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown GPU';
  const detail = a.description || a.device;
  return `${a.software ? 'software: ' : ''}${name}${detail ? ` (${detail})` : ''}`;
}

/** The adapter WebGPU offers first for heavy work, described; null when there is none. */
export async function findAdapter(gpu: GpuLike): Promise<{ adapter: AdapterLike; description: AdapterDescription } | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return adapter ? { adapter, description: describeAdapter(adapter) } : null;
}

/** Limits raised to what the adapter allows: the default 128 MiB storage binding is too small for 64 px batches. */
const LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

/**
 * Registers (or replaces) TensorFlow.js's 'webgpu' backend on this adapter.
 * The package's own factory picks an adapter itself and asks for a feature in
 * a form strict implementations refuse (issue of tfjs 4.22); this one asks
 * for limits only.
 */
export async function registerWebGpuBackend(adapter: AdapterLike): Promise<void> {
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS) if (typeof adapter.limits[name] === 'number') requiredLimits[name] = adapter.limits[name];
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  // Timestamps let `gan-studio bench` time each kernel; nothing else needs a feature.
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  tf.registerBackend('webgpu', async () => {
    const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
    return new WebGPUBackend(device as ConstructorParameters<typeof WebGPUBackend>[0], adapter.info as ConstructorParameters<typeof WebGPUBackend>[1]);
  });
  // Every op on the device: the package sends small tensors to the CPU, a round trip per op in training.
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  registerWebGpuKernels();
}
