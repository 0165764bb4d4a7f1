/**
 * WebGPU in Node: Dawn's bindings (the optional `webgpu` package), for the
 * CLI's and browser mode's worker threads. Not in the desktop app: Electron's
 * V8 memory cage refuses the buffers Dawn maps (dawn-gpu/node-webgpu#5), so
 * there the engine runs in a browser worker on Chromium's own WebGPU.
 */
import { existsSync } from 'node:fs';
import { isMainThread, Worker } from 'node:worker_threads';
import { messageOf } from '../../errors.js';
import { adapterLabel, findAdapter, type AdapterDescription, type AdapterLike, type GpuLike } from './adapter.js';

export interface WebGpuProbe {
  available: boolean;
  adapter?: AdapterDescription;
  reason?: string;
}

/** What to do about a missing GPU, per system. */
export function gpuAdvice(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'win32':
      return 'update the graphics driver (WebGPU uses Direct3D 12)';
    case 'darwin':
      return 'WebGPU uses Metal, which every supported Mac has; check that the webgpu package installed';
    default:
      return 'install the Vulkan loader and your GPU vendor’s Vulkan driver (Debian/Ubuntu: libvulkan1 with mesa-vulkan-drivers, or NVIDIA’s driver)';
  }
}

/**
 * Software Vulkan drivers that browsers ship beside themselves: added to what
 * the Vulkan loader finds (never instead of it), so that `--backend webgpu`
 * has an adapter to test on a machine without a GPU. They are labelled
 * software and never chosen by `auto`.
 */
const SOFTWARE_VULKAN_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json', '/opt/google/chrome/vk_swiftshader_icd.json'];

/**
 * Must run on the main thread before any thread creates a Dawn instance: the
 * Vulkan loader reads the process environment, which only the main thread's
 * process.env writes through to.
 */
export function offerSoftwareVulkan(env: NodeJS.ProcessEnv = process.env): void {
  if (process.platform !== 'linux' || !isMainThread) return;
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || env.VK_ADD_DRIVER_FILES) return;
  const found = SOFTWARE_VULKAN_ICDS.find((p) => existsSync(p));
  if (found) env.VK_ADD_DRIVER_FILES = found;
}

let dawn: Promise<GpuLike> | null = null;

/** This thread's Dawn instance, made once; navigator.gpu and WebGPU's global constants are set for TensorFlow.js. */
export function dawnGpu(): Promise<GpuLike> {
  dawn ??= (async () => {
    if (process.versions.electron) {
      throw new Error('inside the desktop app WebGPU runs in its browser engine, not through Dawn');
    }
    offerSoftwareVulkan();
    let mod: { create(flags: string[]): unknown; globals: object };
    try {
      mod = (await import('webgpu')) as unknown as typeof mod;
    } catch (err) {
      throw new Error(`the webgpu package (Dawn) is not installed or does not load here: ${messageOf(err).split('\n')[0]}`);
    }
    Object.assign(globalThis, mod.globals);
    const gpu = mod.create([]) as GpuLike;
    const g = globalThis as { navigator?: object };
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    else g.navigator = { gpu };
    return gpu;
  })();
  return dawn;
}

/** The adapter Dawn offers in this thread, or why there is none. */
export async function dawnAdapter(): Promise<{ adapter: AdapterLike; description: AdapterDescription } | { reason: string }> {
  let gpu: GpuLike;
  try {
    gpu = await dawnGpu();
  } catch (err) {
    return { reason: messageOf(err) };
  }
  const found = await findAdapter(gpu).catch(() => null);
  return found ?? { reason: `no WebGPU adapter: ${gpuAdvice()}` };
}

/** Probes in this thread: it may keep the instance (a training worker that will use it). */
async function probeHere(): Promise<WebGpuProbe> {
  const found = await dawnAdapter();
  if ('reason' in found) return { available: false, reason: found.reason };
  return { available: true, adapter: found.description };
}

const PROBE_WORKER = `
  const { parentPort, workerData } = require('node:worker_threads');
  import(workerData.module).then((m) => m.probeThisThread()).then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ available: false, reason: String(e && e.message || e) }));
`;

let probed: Promise<WebGpuProbe> | null = null;

/**
 * Whether WebGPU has an adapter here, and which. The main thread asks a
 * short-lived worker, so that it never holds a Dawn instance itself (one
 * keeps a process from exiting, and a crash in it would take the studio down).
 */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= isMainThread ? probeInWorker() : probeHere();
  return probed;
}

function probeInWorker(): Promise<WebGpuProbe> {
  return new Promise((resolve) => {
    const w = new Worker(PROBE_WORKER, { eval: true, workerData: { module: import.meta.url }, stdout: true, stderr: true });
    const done = (r: WebGpuProbe) => {
      resolve(r);
      void w.terminate();
    };
    w.on('message', done);
    w.on('error', (err) => done({ available: false, reason: `probing WebGPU failed: ${messageOf(err)}` }));
    w.on('exit', (code) => done({ available: false, reason: `probing WebGPU ended the probe (exit ${code})` }));
  });
}

/** Called by the probe worker. */
export function probeThisThread(): Promise<WebGpuProbe> {
  return probeHere();
}

export { adapterLabel };
