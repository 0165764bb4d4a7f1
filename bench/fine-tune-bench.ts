/**
 * npm run bench:fine-tune [-- --steps N --json]: does starting from an
 * earlier run pay on a small dataset? A DCGAN (quality preset) trained on
 * the digits 0–4 of builtin:mnist is the parent; the target is 100 images
 * of the digit 7 it never saw. Trained from scratch for N steps, and
 * fine-tuned from the parent for N/4 steps (without and with FreezeD on
 * D's first block), each judged (FID against the 100 sevens) at every
 * checkpoint. Prints the FID curves and the steps scratch needs to reach
 * what fine-tuning reaches in N/4.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadMnist } from '../main/datasets/mnist.js';
import { StudioService } from '../main/service/studio-service.js';
import type { Evaluation } from '../main/evaluation/evaluation.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = flag('steps', 400);
const json = args.includes('--json');
const TARGET = 100;

async function writeDigits(dir: string, keep: (label: number) => boolean, limit: number): Promise<void> {
  const m = loadMnist();
  mkdirSync(dir, { recursive: true });
  let n = 0;
  for (let i = 0; i < m.count && n < limit; i++) {
    if (!keep(m.labels![i])) continue;
    const png = await sharp(Buffer.from(m.pixels.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
    writeFileSync(join(dir, `${i}.png`), png);
    n++;
  }
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'gan-finetune-bench-'));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const home = join(work, 'home');
  const s = new StudioService(home);
  const call = async <T>(name: string, input: object): Promise<T> => {
    const r = await s.call(name as never, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  const curves = new Map<string, { step: number; fid: number }[]>();
  s.on('run.evaluation', (e: { id: string; evaluation: Evaluation }) => curves.get(e.id)?.push({ step: e.evaluation.step, fid: e.evaluation.fid }));
  const train = async (label: string, input: object): Promise<{ step: number; fid: number }[]> => {
    const t0 = performance.now();
    const r = await call<{ id: string }>('runs.create', { ...input, start: false });
    const curve: { step: number; fid: number }[] = [];
    curves.set(r.id, curve);
    const finished = new Promise<void>((resolve) => s.on('run.finished', (e: { id: string }) => e.id === r.id && resolve()));
    await call('runs.start', { id: r.id });
    await finished;
    // Evaluations arrive after their checkpoints: wait for the last one.
    const last = (input as { config: { steps: number } }).config.steps;
    while (!curve.some((c) => c.step === last)) await new Promise((ok) => setTimeout(ok, 200));
    curve.sort((a, b) => a.step - b.step);
    if (!json) console.error(`${label}: ${((performance.now() - t0) / 1000).toFixed(0)} s, FID ${curve.map((c) => `${c.step}:${c.fid.toFixed(1)}`).join(' ')}`);
    return curve;
  };
  const src = join(work, 'src');
  await writeDigits(join(src, 'low'), (l) => l <= 4, 1e9);
  await writeDigits(join(src, 'sevens'), (l) => l === 7, TARGET);
  await call('datasets.import', { paths: [join(src, 'low')], name: 'digits0to4', size: 28 });
  await call('datasets.import', { paths: [join(src, 'sevens')], name: 'sevens', size: 28 });

  const base = { backend: 'wasm', seed: 2 };
  const parent = await call<{ id: string }>('runs.create', { config: { ...base, dataset: 'digits0to4', steps: N, checkpointEvery: N, seed: 1 }, start: false });
  const parentDone = new Promise<void>((resolve) => s.on('run.finished', (e: { id: string }) => e.id === parent.id && resolve()));
  await call('runs.start', { id: parent.id });
  await parentDone;
  const scratch = await train('from scratch', { config: { ...base, dataset: 'sevens', steps: N, checkpointEvery: N / 8 } });
  const tuned = await train('fine-tuned', { config: { ...base, dataset: 'sevens', steps: N / 4, checkpointEvery: N / 16 }, from: parent.id });
  const frozen = await train('fine-tuned, FreezeD 1', { config: { ...base, dataset: 'sevens', steps: N / 4, checkpointEvery: N / 16, freezeD: 1 }, from: parent.id });
  await s.close();

  const reached = tuned.at(-1)!.fid;
  const scratchNeeds = scratch.find((c) => c.fid <= reached)?.step ?? null;
  const report = {
    steps: N,
    target_images: TARGET,
    scratch,
    fine_tuned: tuned,
    fine_tuned_freeze_d1: frozen,
    fine_tuned_fid_at_quarter: reached,
    scratch_fid_at_quarter: scratch.find((c) => c.step === N / 4)?.fid ?? null,
    scratch_fid_at_end: scratch.at(-1)!.fid,
    scratch_steps_to_reach_fine_tuned: scratchNeeds,
  };
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(`fine-tuned, ${N / 4} steps: FID ${reached.toFixed(1)} (FreezeD 1: ${frozen.at(-1)!.fid.toFixed(1)})`);
    console.log(`from scratch: FID ${report.scratch_fid_at_quarter?.toFixed(1)} at ${N / 4} steps, ${report.scratch_fid_at_end.toFixed(1)} at ${N}`);
    console.log(scratchNeeds === null ? `from scratch never reached it in ${N} steps` : `from scratch needed ${scratchNeeds} steps to reach it`);
  }
}

void main();
