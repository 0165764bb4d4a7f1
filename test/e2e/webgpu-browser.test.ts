/**
 * The desktop app's GPU engine, renderer side: the hidden engine page
 * (dist/renderer/engine.html) and its dedicated worker, in headless Chromium
 * on SwiftShader's WebGPU. The test plays the part of the Electron main
 * process: it hands the page a port, and drives a short run over
 * engine-protocol.ts — probe, init, run, acknowledging checkpoints and
 * previews — then checks the run against the same run on the WebAssembly
 * engine in Node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { useBackend } from '../../main/engine/backends.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import type { AdversarialStepMetrics as StepMetrics } from '../../main/engine/step-metrics.js';
import { loadMnist } from '../../main/datasets/mnist.js';
import type { Dataset } from '../../main/core/dataset.js';
import { serveStudio, type StudioServer } from '../../main/server/server.js';
import { StudioService } from '../../main/service/studio-service.js';
import { maxAbs, maxAbsDiff, tempDir, tinyConfig } from '../support/helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}`;

const home = tempDir('gan-engine-page');
let service: StudioService;
let server: StudioServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  service = new StudioService(home);
  server = await serveStudio(service, { port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // SwiftShader's Vulkan under Chromium's WebGPU: a software adapter every machine has.
    args: ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-background-networking', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await service?.close();
});

interface Driven {
  probe: { name: string; available: boolean; detail: string; adapter?: { software: boolean } };
  prepared: { backend: { name: string }; step: number };
  steps: StepMetrics[];
  checkpoints: { step: number; tensors: Record<string, number[]> }[];
  previews: { step: number; count: number; size: number; finite: boolean }[];
  done: { busyMs: number; last: StepMetrics | null };
}

/** In the page, as the Electron main process would: hand over a port, then speak engine-protocol.ts on it. */
const DRIVE = `async ({ config, dataset, plan }) => {
  const { port1: port, port2 } = new MessageChannel();
  window.postMessage({ type: 'gan-studio-engine-port' }, '*', [port2]);
  const init = { config, from: null, dataset: { ...dataset, pixels: Uint8Array.from(dataset.pixels) } };
  return await new Promise((resolve, reject) => {
    const out = { steps: [], checkpoints: [], previews: [] };
    port.onmessage = ({ data: m }) => {
      if (m.type === 'probed') { out.probe = m.status; port.postMessage({ type: 'init', init }); }
      else if (m.type === 'prepared') { out.prepared = m; port.postMessage({ type: 'run', plan }); }
      else if (m.type === 'event') {
        const e = m.event;
        if (e.type === 'step') out.steps.push(e.metrics);
        if (e.type === 'checkpoint') out.checkpoints.push({ step: e.checkpoint.step, tensors: Object.fromEntries([...e.checkpoint.tensors].map(([k, t]) => [k, Array.from(t.data)])) });
        if (e.type === 'preview') out.previews.push({ step: e.step, count: e.batch.count, size: e.batch.size, finite: e.batch.data.every(Number.isFinite) });
        if (m.id !== null) port.postMessage({ type: 'ack', id: m.id });
      }
      else if (m.type === 'done') { out.done = m.result; resolve(out); }
      else if (m.type === 'error') reject(new Error(m.message));
    };
    port.postMessage({ type: 'probe' });
  });
}`;

test('the engine page trains a run on Chromium’s WebGPU, step for step as the WebAssembly engine does', { skip, timeout: 300_000 }, async () => {
  const mnist = loadMnist();
  const count = 64;
  const dataset: Dataset = { ...mnist, name: 'mnist-64', count, pixels: mnist.pixels.slice(0, count * 784), labels: null, classNames: [] };
  const config = tinyConfig({ dataset: 'mnist-64', emaDecay: 0, backend: 'webgpu' });
  const plan = { target: 2, checkpointEvery: 2, previewEvery: 1 };

  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(new URL('engine.html', server.url).href);
  const driven = (await page.evaluate(`(${DRIVE})(${JSON.stringify({ config, dataset: { ...dataset, pixels: Array.from(dataset.pixels) }, plan })})`)) as Driven;
  assert.deepEqual(errors, []);

  assert.equal(driven.probe.available, true, driven.probe.detail);
  assert.equal(driven.probe.adapter?.software, true, 'SwiftShader is labelled a software adapter');
  assert.match(driven.probe.detail, /^WebGPU on software: .*\(Chromium\)$/);
  assert.deepEqual([driven.prepared.backend.name, driven.prepared.step], ['webgpu', 0]);
  assert.deepEqual(
    driven.previews.map((p) => [p.step, p.count, p.size, p.finite]),
    [0, 1, 2].map((s) => [s, 64, 28, true]),
  );
  assert.deepEqual(driven.checkpoints.map((c) => c.step), [2]);
  assert.equal(driven.done.last?.step, 2);

  // The same run on the WebAssembly engine, here.
  await useBackend('wasm');
  const t = Trainer.create({ ...config, backend: 'wasm' }, dataset);
  const wasmSteps = [await t.trainStep(), await t.trainStep()];
  const wasm = await t.toCheckpoint();
  t.dispose();
  driven.steps.forEach((m, i) => {
    for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) {
      assert.ok(Math.abs(m[k] - wasmSteps[i][k]) < 2e-3 * Math.max(1, Math.abs(wasmSteps[i][k])), `step ${i + 1} ${k}: ${m[k]} vs ${wasmSteps[i][k]}`);
    }
  });
  const gpu = driven.checkpoints[0].tensors;
  assert.deepEqual(Object.keys(gpu).sort(), [...wasm.tensors.keys()].sort());
  for (const [name, w] of wasm.tensors) {
    const err = maxAbsDiff(Float32Array.from(gpu[name]), w.data) / Math.max(1, maxAbs(w.data));
    assert.ok(err < 2e-3, `${name} differs by ${err.toExponential(2)}`);
  }
});

test('an engine worker that cannot load answers its port with the reason instead of leaving the run waiting', { skip, timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  // The worker's script, broken as a bad build or a missing Node built-in would leave it.
  await context.route(/\/assets\/worker-[^/]*\.js$/, (route) => route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("the engine bundle is broken");' }));
  const page = await context.newPage();
  await page.goto(new URL('engine.html', server.url).href);
  const answer = await page.evaluate(`new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = ({ data }) => resolve(data);
    window.postMessage({ type: 'gan-studio-engine-port' }, '*', [port2]);
    port1.postMessage({ type: 'probe' });
    setTimeout(() => resolve({ type: 'no answer' }), 20000);
  })`);
  await context.close();
  assert.equal((answer as { type: string }).type, 'error');
  assert.match((answer as { message: string }).message, /^the GPU engine could not start: .*the engine bundle is broken/);
});
