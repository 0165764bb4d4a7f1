/**
 * Runs tfjs-backend-wasm's threaded build under Node.
 *
 * The package ships a pthreads + SIMD build but switches it off in Node
 * (tensorflow/tfjs#3830): its Emscripten loader hands worker_threads a blob:
 * URL, which Node cannot start, and its pthread script reads that URL from
 * disk. The shim below starts such workers from a small bootstrap that
 * receives the script's source by message instead. XNNPACK then spreads every
 * convolution and matrix product over the cores.
 */
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';
import { resolveObjectURL } from 'node:buffer';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * Runs in each pthread worker. Messages are handled strictly in order, and
 * the loader script, which arrives as a Blob, is evaluated before the
 * message that needs it is passed on.
 */
const BOOTSTRAP = `
const { parentPort } = require('node:worker_threads');
// The loader was bundled by rollup, which renamed its Node imports.
Object.assign(globalThis, {
  require$$0: require('node:fs'), require$$1: require('node:path'),
  require$$3: require('node:perf_hooks'), require$$4: require('node:os'), commonjsGlobal: globalThis,
});
const PRELOADED = 'gan-studio:preloaded';
let chain = Promise.resolve();
parentPort.on('message', (m) => { chain = chain.then(() => handle(m)).catch((e) => { throw e; }); });
async function handle(m) {
  if (m && m.ganStudioWorkerSource !== undefined) {
    // The pthread script subscribes to messages itself; this bootstrap keeps that job.
    const on = parentPort.on;
    parentPort.on = function (event, fn) { return event === 'message' ? this : on.call(this, event, fn); };
    (0, eval)(m.ganStudioWorkerSource);
    parentPort.on = on;
    const importScripts = globalThis.importScripts;
    globalThis.importScripts = (f) => (f === PRELOADED ? undefined : importScripts(f));
    return;
  }
  if (m && m.cmd === 'load' && m.urlOrBlob && typeof m.urlOrBlob !== 'string') {
    (0, eval)(await m.urlOrBlob.text());
    m.urlOrBlob = PRELOADED;
  }
  globalThis.onmessage({ data: m });
}
`;

class BlobURLWorker extends NodeWorker {
  private pooled = false;

  constructor(url: string | URL, options?: WorkerOptions) {
    if (typeof url === 'string' && url.startsWith('blob:')) {
      super(BOOTSTRAP, { ...options, eval: true });
      const blob = resolveObjectURL(url);
      if (!blob) throw new Error(`wasm threads: worker script ${url} is gone`);
      void blob.text().then((source) => this.postMessage({ ganStudioWorkerSource: source }));
      this.pooled = true;
      this.unref();
    } else {
      super(url, options);
    }
  }

  /**
   * Pool threads must not keep a finished process alive; they only ever work
   * while the thread that owns them waits for them, synchronously.
   */
  override ref(): void {
    if (!this.pooled) super.ref();
  }

  override postMessage(message: unknown, transfer?: readonly (ArrayBuffer | import('node:worker_threads').MessagePort)[]): void {
    const m = message as { urlOrBlob?: unknown } | null;
    // A blob: URL made on this thread means nothing on another: send the Blob itself.
    if (m && typeof m.urlOrBlob === 'string' && m.urlOrBlob.startsWith('blob:')) {
      message = { ...m, urlOrBlob: resolveObjectURL(m.urlOrBlob) };
    }
    super.postMessage(message, transfer as never);
  }
}

export function defaultThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.GAN_STUDIO_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 64);
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

let prepared = 0;

/**
 * Prepares the threaded build; call before the wasm backend first starts.
 * Returns the thread count asked for (1 leaves the single-threaded build).
 */
export function prepareWasmThreads(threads: number): number {
  if (prepared) return prepared;
  prepared = threads;
  if (threads <= 1) return 1;
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    // The loader assigns Node's Worker here; it gets the shim instead.
    get: () => BlobURLWorker,
    set: () => {},
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  return threads;
}

/**
 * The backend caps its pool at half the logical cores it is told of (it
 * assumes two hyper-threads per core), which on a 2-core laptop means one
 * thread. It is told of enough cores while it starts.
 */
export async function withCoreCount<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const cpus = os.cpus;
  const real = cpus();
  if (threads > 1 && real.length < 2 * threads) {
    os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => real[i % Math.max(1, real.length)]);
  }
  try {
    return await start();
  } finally {
    os.cpus = cpus;
  }
}

/** Returns to the single-threaded build after the threaded one failed to start. */
export function disableWasmThreads(): void {
  delete (globalThis as { Worker?: unknown }).Worker;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  prepared = 1;
}
