/**
 * The desktop app's hidden engine page: the main process hands it ports
 * (through the engine preload, as window messages), and it passes each to a
 * dedicated worker that trains on Chromium's WebGPU. Nothing is shown.
 */
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gan-studio-engine' });

window.addEventListener('message', (e) => {
  // Only what this page's own preload posts: it runs in the same window.
  if (e.source !== window || (e.data as { type?: unknown } | null)?.type !== 'gan-studio-engine-port' || e.ports.length !== 1) return;
  worker.postMessage({ type: 'port' }, [e.ports[0]]);
});
worker.addEventListener('error', (e) => console.error(`GAN Studio engine worker: ${e.message}`));
