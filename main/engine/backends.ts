/**
 * Finds and selects the tensor backend: a GPU through WebGPU (a hardware
 * adapter; a software one only when asked for by name), TensorFlow (CUDA,
 * then CPU) when its optional package is installed and loads, else the
 * embedded WebAssembly engine, else plain JavaScript. Every "no" comes with a
 * reason a person can act on.
 */
import { tf } from './tf.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import { defaultThreadCount, disableWasmThreads, prepareWasmThreads, withCoreCount } from './wasm-threads.js';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { StudioError, messageOf } from '../errors.js';
import type { BackendChoice } from './config.js';
import { adapterLabel, registerWebGpuBackend, type AdapterDescription } from './webgpu/adapter.js';
import { dawnAdapter, gpuAdvice, offerSoftwareVulkan, probeWebGpu } from './webgpu/node.js';

// Before any thread makes a Dawn instance (see node.ts).
offerSoftwareVulkan();

export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** What runs it, e.g. "@tensorflow/tfjs-node-gpu (CUDA)". */
  detail: string;
  /** Why it is not available. */
  reason?: string;
  /** webgpu: the adapter it runs on. */
  adapter?: AdapterDescription;
}

const TF_PACKAGES = [
  { pkg: '@tensorflow/tfjs-node-gpu', label: 'CUDA' },
  { pkg: '@tensorflow/tfjs-node', label: 'CPU' },
] as const;

let tensorflowProbe: Promise<BackendStatus> | null = null;

function explainLoadFailure(pkg: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const msg = messageOf(err).split('\n')[0];
  if ((e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && msg.includes(pkg)) {
    return `${pkg} is not installed`;
  }
  if (/libcu|cudnn|cuda/i.test(msg)) return `${pkg}: CUDA 11.2 and cuDNN 8.1 not found (${msg})`;
  if (/libtensorflow|tfjs_binding/i.test(msg)) return `${pkg}: its libtensorflow did not install (${msg}); reinstall it with network access`;
  return `${pkg} failed to load: ${msg}`;
}

function probeTensorflow(): Promise<BackendStatus> {
  tensorflowProbe ??= (async () => {
    const reasons: string[] = [];
    for (const { pkg, label } of TF_PACKAGES) {
      try {
        await import(pkg);
        if (tf.findBackend('tensorflow')) return { name: 'tensorflow', available: true, detail: `${pkg} (${label})` };
        reasons.push(`${pkg} loaded but registered no backend (a different @tensorflow/tfjs version?)`);
      } catch (err) {
        reasons.push(explainLoadFailure(pkg, err));
      }
    }
    return {
      name: 'tensorflow',
      available: false,
      detail: 'TensorFlow native',
      reason: `${reasons.join('; ')} — install @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA) to use it`,
    };
  })();
  return tensorflowProbe;
}

async function startWasm(): Promise<boolean> {
  registerWasmTrainingKernels();
  const threads = prepareWasmThreads(defaultThreadCount());
  const ok = await withCoreCount(threads, () => tf.setBackend('wasm')).catch(() => false);
  if (ok || threads <= 1) return ok;
  // The threaded build did not start here: the single-threaded one still trains.
  disableWasmThreads();
  return tf.setBackend('wasm');
}

async function probeWebGpuStatus(): Promise<BackendStatus> {
  const p = await probeWebGpu();
  if (!p.available || !p.adapter) return { name: 'webgpu', available: false, detail: 'WebGPU (Dawn)', reason: p.reason ?? `no adapter: ${gpuAdvice()}` };
  return { name: 'webgpu', available: true, detail: `WebGPU on ${adapterLabel(p.adapter)}`, adapter: p.adapter };
}

/** The adapter of the WebGPU backend this thread registered, while that backend stands. */
let registeredAdapter: AdapterDescription | null = null;

/** WebGPU in this thread on Dawn's adapter; a software adapter only when the run asked for webgpu by name. */
async function startWebGpu(allowSoftware: boolean): Promise<boolean> {
  // Coming back to the backend made before keeps its device, and with it every compiled pipeline (seconds each on a software adapter).
  if (registeredAdapter && tf.findBackendFactory('webgpu')) {
    if (registeredAdapter.software && !allowSoftware) return false;
    return tf.setBackend('webgpu');
  }
  const found = await dawnAdapter();
  if ('reason' in found) return false;
  if (found.description.software && !allowSoftware) return false;
  await registerWebGpuBackend(found.adapter);
  registeredAdapter = found.description;
  return tf.setBackend('webgpu');
}

async function activate(name: BackendName, explicit: boolean): Promise<boolean> {
  if (name === 'wasm') return startWasm().catch(() => false);
  if (name === 'webgpu') return startWebGpu(explicit).catch(() => false);
  try {
    const ok = await tf.setBackend(name);
    if (ok && name === 'cpu') {
      // Its first-use banner advertises tfjs-node; the studio explains backends itself.
      (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
    }
    return ok;
  } catch {
    return false;
  }
}

const AUTO_ORDER: BackendName[] = ['webgpu', 'tensorflow', 'wasm', 'cpu'];

const PROBES: Record<BackendName, () => Promise<BackendStatus>> = {
  webgpu: probeWebGpuStatus,
  tensorflow: probeTensorflow,
  wasm: async () => ({ name: 'wasm', available: tf.findBackendFactory('wasm') != null, detail: 'WebAssembly (XNNPACK, SIMD)' }),
  cpu: async () => ({ name: 'cpu', available: true, detail: 'plain JavaScript (slow, deterministic)' }),
};

export async function probeBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of AUTO_ORDER) out.push(await PROBES[name]());
  return out;
}

/** The CPU engines only: no GPU is probed (a Dawn instance costs a thread time and memory it would not use). */
async function probeCpuBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of AUTO_ORDER) if (name !== 'webgpu') out.push(await PROBES[name]());
  return out;
}

/** The status of a backend asked for by name; refuses one that cannot run here, saying why. */
export async function requireBackend(name: BackendName): Promise<BackendStatus> {
  const status = await PROBES[name]();
  if (!status.available) throw new StudioError(`backend "${name}" is not available: ${status.reason}`);
  return status;
}

/** What `auto` would take, in order: a software WebGPU adapter is never among them (it is slower than the CPU engines). */
export function autoCandidates(statuses: BackendStatus[], gpu = true): BackendStatus[] {
  return AUTO_ORDER.map((name) => statuses.find((s) => s.name === name))
    .filter((s): s is BackendStatus => !!s)
    .filter((s) => s.available && !s.adapter?.software && (gpu || s.name !== 'webgpu'));
}

/**
 * Selects the backend for this thread; 'auto' takes the fastest that works.
 * `gpu: false` keeps 'auto' on the CPU engines, for work too small for a GPU
 * or code that reads tensors synchronously (the 2D playground).
 */
export async function useBackend(choice: BackendChoice, opts: { gpu?: boolean } = {}): Promise<BackendStatus> {
  const gpu = opts.gpu ?? true;
  const candidates = choice === 'auto' ? autoCandidates(gpu ? await probeBackends() : await probeCpuBackends(), gpu) : [await requireBackend(choice)];
  for (const status of candidates) {
    const name = status.name;
    if (await activate(name, choice !== 'auto')) {
      if (name === 'wasm') {
        const n = getThreadsCount();
        return { ...status, detail: `${status.detail}, ${n} thread${n === 1 ? '' : 's'}` };
      }
      return status;
    }
    if (choice !== 'auto') throw new StudioError(`backend "${name}" failed to start`);
  }
  throw new StudioError('no tensor backend could start');
}
