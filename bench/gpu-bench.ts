/**
 * npm run bench:gpu [-- --out F --batches 64,256 --workloads reference,rgb64
 * --steps N --warmup N --allow-software]: the WebGPU engine on this machine's
 * GPU, for a machine that has one. For each workload and batch: the median
 * step (wall clock, every step read back once as training does), images a
 * second, the GPU's own time per step from timestamp queries where the
 * adapter has them (summed over the step's kernels, with the ten longest),
 * what a step costs the GPU (launches, submissions, uploads, read-backs), and
 * for the 64×64 RGB workload the minutes a 20,000-step run would take at that
 * speed. Writes the JSON report to --out (gpu-bench.json) and prints a table.
 * A software adapter is refused unless --allow-software (its figures say
 * nothing about a GPU; the test runs it that way on tiny batches).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { kernelBreakdown, median, prepareEngine, timeSteps } from '../main/bench/engine-bench.js';
import { stepFlops, workloadData, WORKLOADS, referenceConfig, type Workload } from '../main/bench/workload.js';
import { countGpuCosts, type GpuCosts } from '../main/engine/webgpu/costs.js';
import { dawnAdapter } from '../main/engine/webgpu/node.js';
import { adapterLabel, type AdapterDescription } from '../main/engine/webgpu/adapter.js';
import { specFor } from '../main/families/gan/trainer.js';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const list = (name: string, fallback: string) => (value(name) ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);

/** Issue 36's goals on a datacenter GPU. */
const GOAL_REFERENCE_IMAGES_PER_S = 2000;
const GOAL_RGB64_MINUTES = 15;
const RUN_STEPS = 20_000;

export interface GpuBenchCell {
  workload: Workload;
  batch: number;
  gflop_per_step: number;
  median_ms?: number;
  times_ms?: number[];
  images_per_s?: number;
  /** Summed kernel times from timestamp queries; null when the adapter has none. */
  gpu_ms_per_step?: number | null;
  top_kernels?: { kernel: string; ms: number; calls: number }[];
  costs?: GpuCosts;
  /** rgb64 only: a 20,000-step run at this speed. */
  minutes_for_20k_steps?: number;
  /** Why the cell has no figures (out of memory, a lost device). */
  error?: string;
}

export interface GpuBenchReport {
  adapter: AdapterDescription;
  label: string;
  timestamp_queries: boolean;
  steps: number;
  warmup: number;
  cells: GpuBenchCell[];
  goals: { reference_images_per_s: number; rgb64_minutes_for_20k_steps: number; reference_met: boolean | null; rgb64_met: boolean | null };
}

const round = (x: number) => Math.round(x * 10) / 10;

async function cell(workload: Workload, batch: number, steps: number, warmup: number): Promise<GpuBenchCell> {
  const config = referenceConfig('webgpu', workload, batch);
  const gflop = round(stepFlops(specFor(config, workloadData(workload)), batch) / 1e9);
  const base: GpuBenchCell = { workload, batch, gflop_per_step: gflop };
  let trainer: Awaited<ReturnType<typeof prepareEngine>>['trainer'] | null = null;
  try {
    trainer = (await prepareEngine('webgpu', workload, batch)).trainer;
    await timeSteps(trainer, warmup);
    const times = await timeSteps(trainer, steps);
    const kernels = await kernelBreakdown(trainer, 'webgpu');
    const costs = await countGpuCosts(() => trainer!.trainStep());
    const ms = median(times);
    return {
      ...base,
      median_ms: round(ms),
      times_ms: times.map(round),
      images_per_s: round((batch * 1000) / ms),
      gpu_ms_per_step: kernels.length ? round(kernels.reduce((a, k) => a + k.ms, 0)) : null,
      top_kernels: kernels.slice(0, 10).map((k) => ({ kernel: k.kernel, ms: round(k.ms), calls: k.calls })),
      costs,
      ...(workload === 'rgb64' ? { minutes_for_20k_steps: round((ms * RUN_STEPS) / 60_000) } : {}),
    };
  } catch (err) {
    return { ...base, error: err instanceof Error ? err.message : String(err) };
  } finally {
    trainer?.dispose();
  }
}

async function main(): Promise<number> {
  const found = await dawnAdapter();
  if ('reason' in found) {
    console.error(`bench:gpu: ${found.reason}`);
    return 2;
  }
  if (found.description.software && !args.includes('--allow-software')) {
    console.error(`bench:gpu: the only WebGPU adapter here is a software one (${adapterLabel(found.description)}); its figures say nothing about a GPU. Run this where there is one, or pass --allow-software to try the script.`);
    return 2;
  }
  const workloads = list('workloads', WORKLOADS.join(',')) as Workload[];
  const bad = workloads.find((w) => !(WORKLOADS as readonly string[]).includes(w));
  if (bad) {
    console.error(`bench:gpu: --workloads takes ${WORKLOADS.join(', ')}, not "${bad}"`);
    return 2;
  }
  const batches = list('batches', '64,256').map(Number);
  if (batches.some((b) => !Number.isInteger(b) || b < 1)) {
    console.error(`bench:gpu: --batches takes whole numbers, got "${value('batches')}"`);
    return 2;
  }
  const steps = Number(value('steps') ?? 10);
  const warmup = Number(value('warmup') ?? 3);
  const out = resolve(value('out') ?? 'gpu-bench.json');

  const cells: GpuBenchCell[] = [];
  for (const workload of workloads) {
    for (const batch of batches) {
      const c = await cell(workload, batch, steps, warmup);
      cells.push(c);
      const what = `${workload.padEnd(9)} batch ${String(batch).padStart(3)}`;
      if (c.error) console.log(`${what}: ${c.error}`);
      else
        console.log(
          `${what}: median ${c.median_ms} ms/step, ${c.images_per_s} images/s` +
            (c.gpu_ms_per_step != null ? `, GPU ${c.gpu_ms_per_step} ms` : ', no timestamp queries') +
            `, ${c.costs!.dispatches} launches, ${c.costs!.uploads} uploads, ${c.costs!.readbacks} read-back${c.costs!.readbacks === 1 ? '' : 's'}` +
            (c.minutes_for_20k_steps != null ? `; 20,000 steps in ${c.minutes_for_20k_steps} min` : ''),
        );
    }
  }
  const refRates = cells.filter((c) => c.workload === 'reference' && c.images_per_s != null).map((c) => c.images_per_s!);
  const refBest = refRates.length ? Math.max(...refRates) : null;
  // A 20k-step run is trained at batch 64, the workload's own.
  const rgbMinutes = cells.find((c) => c.workload === 'rgb64' && c.batch === 64)?.minutes_for_20k_steps ?? null;
  const report: GpuBenchReport = {
    adapter: found.description,
    label: adapterLabel(found.description),
    timestamp_queries: found.adapter.features.has('timestamp-query'),
    steps,
    warmup,
    cells,
    goals: {
      reference_images_per_s: GOAL_REFERENCE_IMAGES_PER_S,
      rgb64_minutes_for_20k_steps: GOAL_RGB64_MINUTES,
      reference_met: refBest == null ? null : refBest >= GOAL_REFERENCE_IMAGES_PER_S,
      rgb64_met: rgbMinutes == null ? null : rgbMinutes < GOAL_RGB64_MINUTES,
    },
  };
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`on ${report.label}; report: ${out}`);
  return 0;
}

process.exitCode = await main();
