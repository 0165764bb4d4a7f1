/**
 * The WebGPU step engine of the desktop app: a dedicated worker of the
 * hidden engine page, where Chromium's WebGPU works (Dawn's Node bindings do
 * not, under Electron's memory cage). Each port it is given speaks
 * engine-protocol.ts with the training loop, which keeps the run's files and
 * database rows on the Node side; this runs the one step loop and trainer
 * every host shares.
 */
import type { BackendStatus } from '../../../main/engine/backends';
import type { BackendChoice } from '../../../main/engine/config';
import { webPort } from '../../../main/training/engine-protocol';
import { serveStepEngine } from '../../../main/training/engine-server';
import { tf } from '../../../main/engine/tf';
import { adapterLabel, findAdapter, registerWebGpuBackend, type GpuLike } from '../../../main/engine/webgpu/adapter';
import { StudioError } from '../../../main/errors';

const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
let found: ReturnType<typeof findAdapter> | null = null;

async function probe(): Promise<BackendStatus> {
  if (!gpu) return { name: 'webgpu', available: false, detail: 'WebGPU (Chromium)', reason: 'this Electron build has WebGPU switched off on this system' };
  found ??= findAdapter(gpu);
  const f = await found;
  if (!f) return { name: 'webgpu', available: false, detail: 'WebGPU (Chromium)', reason: 'Chromium offers no WebGPU adapter here (its GPU blocklist, or no driver)' };
  return { name: 'webgpu', available: true, detail: `WebGPU on ${adapterLabel(f.description)} (Chromium)`, adapter: f.description };
}

async function setup(choice: BackendChoice): Promise<BackendStatus> {
  const status = await probe();
  if (!status.available) throw new StudioError(`backend "webgpu" is not available: ${status.reason}`);
  if (status.adapter?.software && choice !== 'webgpu') throw new StudioError('the only WebGPU adapter is a software one; choose webgpu to train on it anyway');
  if (tf.getBackend() !== 'webgpu') {
    await registerWebGpuBackend((await found!)!.adapter);
    if (!(await tf.setBackend('webgpu'))) throw new StudioError('the WebGPU backend failed to start');
  }
  return status;
}

self.addEventListener('message', (e: MessageEvent) => {
  if ((e.data as { type?: unknown } | null)?.type !== 'port' || e.ports.length !== 1) return;
  serveStepEngine(webPort(e.ports[0]), { probe, setup });
});
// Every import above evaluated: the page may hand over ports now (page.ts).
self.postMessage({ type: 'ready' });
