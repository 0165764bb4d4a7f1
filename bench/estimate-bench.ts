/**
 * npm run bench:estimate [-- --steps N --json]: how close New run's speed
 * estimate comes to the run it describes. For each setting, runs.estimate
 * (2 warm-up steps, 5 timed) and then a run of N steps (one checkpoint, at
 * the end, so that no evaluation shares the CPU with its steps); the run's
 * seconds a step are the median of its stored step times past the first two.
 * Prints the ratio estimate / run, and the whole run's wall time beside the
 * estimate's total.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { median } from '../main/core/median.js';
import { StudioService } from '../main/service/studio-service.js';
import type { TimeEstimate } from '../main/service/contract.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = flag('steps', 40);
const json = args.includes('--json');

/** Colour pictures at 64 px for FastGAN (speed does not depend on what they show). */
async function writeDiscs(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const hue = (i * 41) % 255;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="rgb(${240 - (i % 60) * 4},${200 + (i % 50)},230)"/><circle cx="${20 + (i % 24)}" cy="32" r="${10 + (i % 5) * 2}" fill="rgb(${hue},${255 - hue},80)"/></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(join(dir, `disc-${i}.png`));
  }
}

const SETTINGS: { label: string; config: Record<string, unknown> }[] = [
  { label: 'DCGAN, builtin:mnist, the defaults', config: { dataset: 'builtin:mnist' } },
  { label: 'DCGAN, builtin:mnist, width 16, batch 16', config: { dataset: 'builtin:mnist', width: 16, batch: 16 } },
  { label: 'FastGAN, 64 px colour, the defaults', config: { task: 'fastgan', dataset: 'discs' } },
];

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'gan-estimate-bench-'));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const s = new StudioService(join(work, 'home'), { previewEvery: 1_000_000 });
  const call = async <T>(name: string, input: object): Promise<T> => {
    const r = await s.call(name as never, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  await writeDiscs(join(work, 'discs'), 200);
  await call('datasets.import', { paths: [join(work, 'discs')], name: 'discs', size: 64 });
  const rows = [];
  for (const { label, config } of SETTINGS) {
    const c = { ...config, backend: 'wasm', steps: N, checkpointEvery: N };
    const e = await call<TimeEstimate>('runs.estimate', { config: c });
    const t0 = performance.now();
    const run = await call<{ id: string }>('runs.create', { config: c, start: false });
    const finished = new Promise<void>((resolve) => s.on('run.finished', (x: { id: string }) => x.id === run.id && resolve()));
    await call('runs.start', { id: run.id });
    await finished;
    const wall = (performance.now() - t0) / 1000;
    const ms = (await call<{ value: number }[]>('metrics.series', { id: run.id, metric: 'ms' })).map((p) => p.value);
    const measured = median(ms.slice(2)) / 1000;
    const row = { label, estimated: e.speed!.secondsPerStep, measured, ratio: e.speed!.secondsPerStep / measured, totalEstimated: e.totalSeconds!, runWall: wall };
    rows.push(row);
    if (!json) console.error(`${label}: estimated ${row.estimated.toFixed(3)} s a step, the run ${measured.toFixed(3)} (×${row.ratio.toFixed(2)}); ${N} steps ≈ ${row.totalEstimated.toFixed(0)} s, the run took ${wall.toFixed(0)} s`);
  }
  if (json) console.log(JSON.stringify({ steps: N, rows }));
  await s.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
