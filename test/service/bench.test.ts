import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stepFlops } from '../../main/bench/workload.js';

test('the reference step counts the multiply-adds of the tutorial networks', () => {
  const spec = { size: 28 as const, channels: 1 as const, zDim: 100, width: 64, numClasses: 0, dropout: 0.3 };
  // Per image: G = dense 100·6272 + convT 7²·25·128·64 + convT 14²·25·64·1; D = conv 14²·25·1·64 + conv 7²·25·64·128 + dense 6272.
  const g = [100 * 6272, 49 * 25 * 128 * 64, 196 * 25 * 64];
  const d = [196 * 25 * 64, 49 * 25 * 64 * 128, 6272];
  const G = g.reduce((a, b) => a + b);
  const D = d.reduce((a, b) => a + b);
  // G fwd; D fwd ×2 (real+fake), D weight grads ×2, D input grads ×2 but the first; D fwd, D input grads; G weight grads, G input grads but the first.
  const macs = G + 2 * D + 2 * D + 2 * (D - d[0]) + D + D + G + (G - g[0]);
  assert.equal(stepFlops(spec, 64), 2 * 64 * macs);
  assert.ok(Math.abs(stepFlops(spec, 64) / 1e9 - 14.66) < 0.01);
});

test('bench --json times the reference step and explains a missing PyTorch', () => {
  const bin = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
  const r = spawnSync(process.execPath, [bin, 'bench', '--backend', 'wasm', '--steps', '2', '--warmup', '0', '--peer', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, GAN_STUDIO_PYTHON: '/nonexistent/python3' },
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(out.workload.batch, 64);
  const [wasm] = out.engines;
  assert.equal(wasm.backend, 'wasm');
  assert.equal(wasm.times_ms.length, 2);
  assert.ok(wasm.median_ms > 0 && wasm.images_per_s > 0 && wasm.gflops > 0);
  assert.ok(Math.abs(wasm.images_per_s - (64 * 1000) / wasm.median_ms) < 1);
  const kernels = wasm.kernels.map((k: { kernel: string }) => k.kernel);
  for (const k of ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) assert.ok(kernels.includes(k), `no ${k} in ${kernels}`);
  assert.match(out.peer.skipped, /PyTorch is not installed for \/nonexistent\/python3/);
  assert.equal(out.ratio, null);
});

/** `gan-studio bench … --json`, its summary object. */
function bench(args: string[]) {
  const bin = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
  const r = spawnSync(process.execPath, [bin, 'bench', ...args, '--json'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

test('bench --workload rgb64 times the 64×64 RGB networks', () => {
  const out = bench(['--backend', 'wasm', '--workload', 'rgb64', '--batch', '4', '--steps', '1', '--warmup', '0']);
  assert.deepEqual([out.workload.name, out.workload.networks, out.workload.batch], ['rgb64', 'dcgan-tutorial-64x64x3', 4]);
  const spec = { size: 64 as const, channels: 3 as const, zDim: 100, width: 64, numClasses: 0, dropout: 0.3 };
  assert.equal(out.workload.gflop_per_step, Math.round(stepFlops(spec, 4) / 1e8) / 10);
  assert.ok(out.engines[0].median_ms > 0);
});

test('bench --backend webgpu names the adapter it timed', async (t) => {
  const { dawnAdapter } = await import('../../main/engine/webgpu/node.js');
  const adapter = await dawnAdapter();
  if ('reason' in adapter) return t.skip(`no WebGPU adapter here (${adapter.reason})`);
  const out = bench(['--backend', 'webgpu', '--batch', '2', '--steps', '1', '--warmup', '0']);
  const [gpu] = out.engines;
  assert.equal(gpu.backend, 'webgpu');
  assert.deepEqual(gpu.adapter, adapter.description);
  assert.match(gpu.detail, /^WebGPU on /);
  assert.ok(gpu.median_ms > 0);
});

test('npm run bench:gpu: refuses a software adapter unless told, then reports each cell with the GPU\'s own time and what a step costs it', async (t) => {
  const { dawnAdapter } = await import('../../main/engine/webgpu/node.js');
  const adapter = await dawnAdapter();
  if ('reason' in adapter) return t.skip(`no WebGPU adapter here (${adapter.reason})`);
  const script = fileURLToPath(new URL('../../bench/gpu-bench.js', import.meta.url));
  const out = join(mkdtempSync(join(tmpdir(), 'gan-gpu-bench-')), 'report.json');
  const run = (args: string[]) => spawnSync(process.execPath, [script, '--out', out, ...args], { encoding: 'utf8', timeout: 300_000 });
  const bad = run(['--allow-software', '--batches', '64,many']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--batches takes whole numbers, got "64,many"/);
  if (adapter.description.software) {
    const refused = run([]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /only WebGPU adapter here is a software one \(software: .*\).*--allow-software/);
    assert.ok(!existsSync(out), 'no report for a refused run');
  }
  const r = run(['--allow-software', '--workloads', 'reference', '--batches', '2', '--steps', '1', '--warmup', '1']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(report.adapter, adapter.description);
  assert.equal(report.cells.length, 1);
  const [c] = report.cells;
  assert.deepEqual([c.workload, c.batch, c.error], ['reference', 2, undefined]);
  assert.ok(Math.abs(c.images_per_s - (2 * 1000) / c.median_ms) < 0.1);
  // Issue 36's goal for the reference step, and what keeps it there: 378 launches before Adam and the averages were fused.
  assert.ok(c.costs.dispatches <= 250, `${c.costs.dispatches} launches a reference step (at most 250)`);
  assert.equal(c.costs.readbacks, 1);
  if (report.timestamp_queries) {
    // The kernels' own time fits in the step that ran them.
    assert.ok(c.gpu_ms_per_step > 0 && c.gpu_ms_per_step <= c.median_ms * 1.5, `GPU ${c.gpu_ms_per_step} ms of a ${c.median_ms} ms step`);
    assert.ok(c.top_kernels.some((k: { kernel: string }) => k.kernel === 'Conv2DBackpropInput'));
  } else assert.equal(c.gpu_ms_per_step, null);
  assert.equal(report.goals.reference_met, c.images_per_s >= 2000);
  assert.equal(report.goals.rgb64_met, null, 'no rgb64 cell, no verdict');
  assert.match(r.stdout, new RegExp(`reference batch {3}2: median ${c.median_ms} ms/step, ${c.images_per_s} images/s, .*${c.costs.dispatches} launches`));
  assert.ok(r.stdout.includes(`report: ${out}`));
});
