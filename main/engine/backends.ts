/**
 * Finds and selects the tensor backend: TensorFlow (CUDA, then CPU) when its
 * optional package is installed and loads, else the embedded WebAssembly
 * engine, else plain JavaScript. Every "no" comes with a reason a person can act on.
 */
import { tf } from './tf.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import { defaultThreadCount, disableWasmThreads, prepareWasmThreads, withCoreCount } from './wasm-threads.js';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { StudioError, messageOf } from '../errors.js';
import type { BackendChoice } from './config.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** What runs it, e.g. "@tensorflow/tfjs-node-gpu (CUDA)". */
  detail: string;
  /** Why it is not available. */
  reason?: string;
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

async function activate(name: BackendName): Promise<boolean> {
  if (name === 'wasm') return startWasm().catch(() => false);
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

export async function probeBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [await probeTensorflow()];
  out.push({ name: 'wasm', available: tf.findBackendFactory('wasm') != null, detail: 'WebAssembly (XNNPACK, SIMD)' });
  out.push({ name: 'cpu', available: true, detail: 'plain JavaScript (slow, deterministic)' });
  return out;
}

/** The status of a backend asked for by name; refuses one that cannot run here, saying why. */
export async function requireBackend(name: BackendName): Promise<BackendStatus> {
  const status = (await probeBackends()).find((s) => s.name === name)!;
  if (!status.available) throw new StudioError(`backend "${name}" is not available: ${status.reason}`);
  return status;
}

/** Selects the backend for this process; 'auto' takes the fastest that works. */
export async function useBackend(choice: BackendChoice): Promise<BackendStatus> {
  const order: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const statuses = choice === 'auto' ? await probeBackends() : [await requireBackend(choice)];
  for (const name of order) {
    const status = statuses.find((s) => s.name === name)!;
    if (!status.available) continue;
    if (await activate(name)) {
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
