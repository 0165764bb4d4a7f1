/** `gan-studio bench`: a workload's step on each backend (the reference one, or 64×64 RGB), and optionally PyTorch beside it. */
import os from 'node:os';
import { probeBackends, requireBackend, type BackendName } from '../engine/backends.js';
import { StudioError } from '../errors.js';
import { kernelBreakdown, median, prepareEngine, timeSteps, type EngineRun } from '../bench/engine-bench.js';
import { findTorchPython, TorchPeer } from '../bench/peer.js';
import { countGpuCosts, describeGpuCosts } from '../engine/webgpu/costs.js';
import { referenceConfig, stepFlops, workloadData, WORKLOADS, type Workload } from '../bench/workload.js';
import { specFor } from '../families/gan/trainer.js';
import { int, parseOptions } from './options.js';

const OPTIONS = {
  json: { type: 'boolean' },
  peer: { type: 'boolean' },
  steps: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  workload: { type: 'string' },
  batch: { type: 'string' },
} as const;

const BACKENDS: readonly BackendName[] = ['webgpu', 'tensorflow', 'wasm', 'cpu'];

function summarize(times: number[], batch: number, flops: number) {
  const ms = median(times);
  return { median_ms: round(ms), images_per_s: round((batch * 1000) / ms), gflops: round(flops / ms / 1e6), steps: times.length, times_ms: times.map(round) };
}

const round = (x: number) => Math.round(x * 10) / 10;

export async function benchCommand(args: string[]): Promise<number> {
  const o = parseOptions('bench', args, OPTIONS);
  const steps = int('steps', o.steps) ?? 12;
  const warmup = int('warmup', o.warmup, 0) ?? 2;
  const rounds = Math.min(int('rounds', o.rounds) ?? 4, steps);
  const threads = int('threads', o.threads) ?? os.availableParallelism();
  const workload = (o.workload ?? 'reference') as Workload;
  if (!(WORKLOADS as readonly string[]).includes(workload)) throw new StudioError(`--workload must be one of ${WORKLOADS.join(', ')}, got "${o.workload}"`);
  const batch = int('batch', o.batch) ?? 64;
  const say = (line: string) => !o.json && console.log(line);

  const statuses = await probeBackends();
  let chosen: BackendName[];
  const skipped: Record<string, string> = {};
  if (o.backend) {
    if (!(BACKENDS as readonly string[]).includes(o.backend)) throw new StudioError(`--backend must be one of ${BACKENDS.join(', ')}, got "${o.backend}"`);
    chosen = [(await requireBackend(o.backend as BackendName)).name];
  } else {
    chosen = statuses.filter((s) => s.available && s.name !== 'cpu' && !s.adapter?.software).map((s) => s.name);
    for (const s of statuses) {
      if (!s.available) skipped[s.name] = s.reason ?? 'not available';
      // Seconds per step at this size; it is there to test on, not to race.
      else if (s.adapter?.software) skipped[s.name] = `${s.detail} is a software adapter; time it with --backend webgpu (and a small --batch)`;
    }
    // The plain-JavaScript backend needs minutes for one step of this workload.
    skipped.cpu = 'plain JavaScript takes minutes per step here; time it with --backend cpu';
  }

  const config = referenceConfig('auto', workload, batch);
  const spec = specFor(config, workloadData(workload));
  const flops = stepFlops(spec, config.batch);
  const networks = `DCGAN tutorial networks ${spec.size}×${spec.size}×${spec.channels}`;
  say(`${workload} step: ${networks}, batch ${config.batch}, BCE, Adam, one D and one G step (${(flops / 1e9).toFixed(1)} GFLOP)`);
  if (o.peer && workload !== 'reference') throw new StudioError('--peer times the reference workload only');

  let peer: Awaited<ReturnType<typeof TorchPeer.start>> | null = null;
  let peerSkipped: string | null = null;
  if (o.peer) {
    const found = findTorchPython();
    if ('missing' in found) {
      peerSkipped = found.missing;
      say(`PyTorch peer skipped: ${peerSkipped}`);
    } else {
      peer = await TorchPeer.start(found.python, threads);
    }
  }

  const engines: (EngineRun & { summary: ReturnType<typeof summarize> })[] = [];
  const peerTimes: number[] = [];
  try {
    for (const name of chosen) {
      const { backend, trainer } = await prepareEngine(name, workload, batch);
      try {
        await timeSteps(trainer, warmup);
        if (peer && peerTimes.length === 0) await peer.peer.train(warmup);
        const times: number[] = [];
        // With a peer, the two take turns so that both meet the same machine state.
        const per = peer ? Math.ceil(steps / rounds) : steps;
        while (times.length < steps) {
          times.push(...(await timeSteps(trainer, Math.min(per, steps - times.length))));
          if (peer && name === 'wasm') peerTimes.push(...(await peer.peer.train(per)));
        }
        const kernels = await kernelBreakdown(trainer, name);
        const summary = summarize(times, config.batch, flops);
        // Counted on a step of its own: the profile above splits passes to time them.
        const gpu = name === 'webgpu' ? await countGpuCosts(() => trainer.trainStep()) : undefined;
        engines.push({ backend, times, kernels, summary, ...(gpu ? { gpu } : {}) });
        say(`${name.padEnd(10)} ${backend.detail}: median ${summary.median_ms} ms/step, ${summary.images_per_s} images/s, ${summary.gflops} GFLOP/s (${steps} steps after ${warmup} warm-up)`);
        if (gpu) say(`    ${describeGpuCosts(gpu)}`);
        const total = kernels.filter((k) => !k.composite).reduce((a, k) => a + k.ms, 0);
        if (total > 0) {
          for (const k of kernels.slice(0, 12)) {
            say(`    ${k.kernel.padEnd(24)} ${k.ms.toFixed(1).padStart(8)} ms  ${String(k.calls).padStart(4)} calls${k.composite ? '  (built from the kernels below it)' : `  ${((100 * k.ms) / total).toFixed(0).padStart(3)}%`}`);
          }
        } else {
          say(`    no per-kernel times: this ${name === 'webgpu' ? 'adapter has no timestamp queries' : 'backend does not time its kernels'}`);
        }
      } finally {
        trainer.dispose();
      }
    }
  } finally {
    peer?.peer.close();
  }
  for (const [name, why] of Object.entries(skipped)) say(`${name.padEnd(10)} skipped: ${why}`);

  let ratio: number | null = null;
  const embedded = engines.find((e) => e.backend.name === 'wasm');
  const peerSummary = peerTimes.length ? summarize(peerTimes, config.batch, flops) : null;
  if (peer && peerSummary) {
    say(`pytorch    PyTorch ${peer.version}, ${peer.threads} threads: median ${peerSummary.median_ms} ms/step, ${peerSummary.images_per_s} images/s, ${peerSummary.gflops} GFLOP/s`);
    if (embedded) {
      ratio = Math.round((peerSummary.median_ms / embedded.summary.median_ms) * 100) / 100;
      say(`ratio PyTorch/ours (wasm): ${ratio} (above 1: the embedded engine is faster)`);
    }
  }
  if (o.json) {
    console.log(
      JSON.stringify({
        workload: { name: workload, networks: `dcgan-tutorial-${spec.size}x${spec.size}x${spec.channels}`, batch: config.batch, loss: 'bce', gflop_per_step: round(flops / 1e9) },
        engines: engines.map((e) => ({
          backend: e.backend.name,
          detail: e.backend.detail,
          ...(e.backend.adapter ? { adapter: e.backend.adapter } : {}),
          ...e.summary,
          kernels: e.kernels.map((k) => ({ ...k, ms: round(k.ms) })),
          ...(e.gpu ? { gpu: e.gpu } : {}),
        })),
        skipped,
        peer: peer && peerSummary ? { engine: 'pytorch', version: peer.version, threads: peer.threads, ...peerSummary } : peerSkipped ? { skipped: peerSkipped } : null,
        ratio,
      }),
    );
  }
  return 0;
}
