/**
 * The desktop app's hidden engine page: the main process hands it ports
 * (through the engine preload, as window messages), and it passes each to a
 * dedicated worker that trains on Chromium's WebGPU. Nothing is shown.
 */
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gan-studio-engine' });

// Ports wait here until the worker says it loaded: one that cannot load (a script error) would
// never answer them, so the page answers for it, in engine-protocol.ts's terms, and the run fails
// with the reason instead of waiting forever.
let state: 'loading' | 'ready' | { failed: string } = 'loading';
const waiting: MessagePort[] = [];

function handOver(port: MessagePort): void {
  if (state === 'ready') worker.postMessage({ type: 'port' }, [port]);
  else if (state === 'loading') waiting.push(port);
  else port.postMessage({ type: 'error', message: `the GPU engine could not start: ${state.failed}` });
}

window.addEventListener('message', (e) => {
  // Only what this page's own preload posts: it runs in the same window.
  if (e.source !== window || (e.data as { type?: unknown } | null)?.type !== 'gan-studio-engine-port' || e.ports.length !== 1) return;
  handOver(e.ports[0]);
});
worker.addEventListener('message', (e) => {
  if ((e.data as { type?: unknown } | null)?.type !== 'ready' || state !== 'loading') return;
  state = 'ready';
  for (const port of waiting.splice(0)) handOver(port);
});
worker.addEventListener('error', (e) => {
  console.error(`GAN Studio engine worker: ${e.message}`);
  if (state !== 'loading') return;
  state = { failed: e.message || 'its script failed to load' };
  for (const port of waiting.splice(0)) handOver(port);
});
