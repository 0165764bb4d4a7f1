/**
 * What ADA costs a step: the DCGAN quality preset at 28 px on MNIST, batch
 * 64, on the wasm backend, with D's images as they are, through DiffAugment,
 * and through ADA at p = 0.5 (the controller held there). Steps taken in
 * turns, one of each per round, so the machine's drift falls on all alike.
 * `npm run bench:ada [-- --json] [-- --rounds N]`.
 */
import { useBackend } from '../main/engine/backends.js';
import { resolveConfig } from '../main/families/run-config.js';
import { Trainer } from '../main/families/gan/trainer.js';
import { loadMnist } from '../main/datasets/mnist.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('rounds', 15);
await useBackend('wasm');
const data = loadMnist();
const make = async (augment: 'off' | 'on' | 'ada') => {
  const config = resolveConfig({ dataset: 'builtin:mnist', preset: 'quality', augment, backend: 'wasm', batch: 64 });
  const t = Trainer.create(config, data);
  if (augment !== 'ada') return t;
  // Held at p = 0.5 from a checkpoint whose controller says so; the bench steps too few times for it to move far.
  await t.trainStep();
  const c = await t.toCheckpoint();
  t.dispose();
  c.tensors.set('augment/ada', { shape: [4], data: Float32Array.of(0.5, 0, 0, 0) });
  return Trainer.create(config, data, c);
};
const cases = { off: await make('off'), diffaugment: await make('on'), 'ada p=0.5': await make('ada') };
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const t of Object.values(cases)) for (let i = 0; i < 3; i++) await t.trainStep();
for (let r = 0; r < rounds; r++) {
  for (const [name, t] of Object.entries(cases)) times[name].push((await t.trainStep()).ms);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rows = Object.entries(times).map(([name, v]) => ({ case: name, median_ms: Math.round(median(v)), ratio_to_off: Math.round((median(v) / median(times.off)) * 100) / 100 }));
if (process.argv.includes('--json')) console.log(JSON.stringify({ rounds, batch: 64, backend: 'wasm', rows }));
else for (const r of rows) console.log(`${r.case.padEnd(12)} median ${r.median_ms} ms/step  (${r.ratio_to_off}× no augmentation)`);
for (const t of Object.values(cases)) t.dispose();
