import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { tempDir } from '../support/helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));

function cli(args: string[], home: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tfjsNodeInstalled(): boolean {
  const require = createRequire(import.meta.url);
  for (const pkg of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      /* absent, as on a machine where its libtensorflow cannot download */
    }
  }
  return false;
}

test('--help works and lists the commands', () => {
  const r = cli(['--help'], tempDir());
  assert.equal(r.code, 0);
  for (const cmd of ['train', 'resume', 'sample', 'runs', 'backends']) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
  const t = cli(['train', '--help'], tempDir());
  assert.equal(t.code, 0);
  assert.match(t.stdout, /--loss bce\|hinge\|lsgan\|wgan-gp/);
});

const BAD: [string, string[], RegExp][] = [
  ['an unknown dataset', ['train', '--dataset', 'nope'], /unknown dataset "nope"; available: builtin:mnist/],
  ['a negative step count', ['train', '--steps', '-5'], /--steps must be a whole number ≥ 1, got "-5"/],
  ['a learning rate that is not a number', ['train', '--lr-g', 'fast'], /--lr-g must be a number/],
  ['an out-of-range learning rate', ['train', '--lr-d', '5'], /--lr-d: Number must be less than or equal to 1/],
  ['an unknown loss', ['train', '--loss', 'magic'], /--loss: Invalid enum value/],
  ['an unknown option', ['train', '--bogus'], /unknown option '--bogus'/],
  ['a missing run', ['resume', '--run', 'nope'], /no run "nope"/],
  ['sampling a missing run', ['sample', '--run', 'nope', '--out', 'x'], /no run "nope"/],
  ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
  ['an unknown backend', ['train', '--backend', 'tpu'], /--backend must be one of auto, webgpu, tensorflow, wasm, cpu/],
  ['a place in the queue without --remote', ['train', '--priority', 'high'], /--priority goes with --remote/],
  ['a sweep with nothing to vary', ['sweep'], /give what to vary, e\.g\. --vary loss=bce,hinge/],
  ['a sweep over an unknown axis', ['sweep', '--vary', 'width=8,16'], /AXIS one of preset, loss, lr, seed; got "width=8,16"/],
  ['a sweep over an unknown loss', ['sweep', '--vary', 'loss=bce,magic'], /vary\.loss\.1: Invalid enum value/],
  ['a sweep of one variant', ['sweep', '--vary', 'seed=3'], /at least two variants/],
  ['the queue without a Redis', ['queue'], /the remote queue is on a Redis: --redis/],
  ['training on a worker without a Redis', ['train', '--remote', '--steps', '4'], /no Redis is set for remote training; set one in Settings \(or start the studio with --redis/],
];

for (const [what, args, message] of BAD) {
  test(`${what} gets a one-line error and exit code 1`, () => {
    const home = tempDir();
    const r = cli(args, home);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^gan-studio: /);
    assert.match(lines[0], message);
    // Nothing was created for a refused request.
    assert.deepEqual(JSON.parse(cli(['runs', 'list', '--json'], home).stdout), []);
  });
}

test('an unavailable backend asked for by name says what is missing and what to install', (t) => {
  if (tfjsNodeInstalled()) {
    t.skip('@tensorflow/tfjs-node is installed here, so the tensorflow backend is available');
    return;
  }
  const r = cli(['train', '--backend', 'tensorflow'], tempDir());
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /backend "tensorflow" is not available: @tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed — install @tensorflow\/tfjs-node/);
});

test('train --json, then resume and sample: JSON lines, a summary, PNGs of the model resolution and a grid', async () => {
  const home = tempDir();
  const tiny = ['--width', '8', '--batch', '8', '--z-dim', '16', '--backend', 'wasm', '--json'];
  const r = cli(['train', '--dataset', 'builtin:mnist', '--steps', '3', ...tiny], home);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.filter((l) => l.type === 'step').map((l) => l.step), [1, 2, 3]);
  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'summary');
  for (const key of ['run', 'steps', 'seconds', 'images_per_s', 'backend', 'd_loss', 'g_loss', 'd_real', 'd_fake']) assert.ok(key in summary, `summary lacks ${key}`);
  assert.equal(summary.steps, 3);
  assert.equal(summary.backend, 'wasm');
  const run = summary.run as string;

  const more = cli(['resume', '--run', run, '--steps', '2', '--json'], home);
  assert.equal(more.code, 0, more.stderr);
  const s2 = JSON.parse(more.stdout.trim().split('\n').at(-1)!);
  assert.equal(s2.steps, 5);

  const out = join(tempDir(), 'samples');
  const s = cli(['sample', '--run', run, '--count', '5', '--seed', '3', '--out', out], home);
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['0001.png', '0002.png', '0003.png', '0004.png', '0005.png', 'grid.png']);
  const one = await sharp(join(out, '0001.png')).metadata();
  assert.deepEqual([one.width, one.height, one.channels], [28, 28, 1]);
  const grid = await sharp(join(out, 'grid.png')).metadata();
  assert.ok(grid.width! > 28 * 2 && grid.height! > 28, `grid ${grid.width}×${grid.height}`);

  const listed = JSON.parse(cli(['runs', 'list', '--json'], home).stdout) as { run: string; status: string; step: number }[];
  assert.deepEqual(listed.map((l) => [l.run, l.status, l.step]), [[run, 'completed', 5]]);
  const shown = JSON.parse(cli(['runs', 'show', run.slice(0, 17), '--json'], home).stdout);
  assert.equal(shown.run, run);
  assert.deepEqual(shown.checkpoints, [3, 5]);
  assert.equal(shown.last_metrics.step, 5);

  // Deleting asks for confirmation where nobody can answer, then removes rows and files.
  const refused = cli(['runs', 'delete', run], home);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /add --yes to confirm/);
  assert.equal(cli(['runs', 'delete', run, '--yes'], home).code, 0);
  assert.deepEqual(JSON.parse(cli(['runs', 'list', '--json'], home).stdout), []);
  assert.deepEqual(readdirSync(join(home, 'runs')), []);
});

test('import a folder, list and show it, train on it class-conditionally and sample at its size and channels, then delete it', async () => {
  const { solid, write } = await import('../support/image-corpus.js');
  const home = tempDir();
  const src = tempDir('gan-src');
  for (let i = 0; i < 8; i++) {
    write(join(src, `warm/${i}.jpg`), await solid(50, 40 + i, [220, 100 + i * 10, 30]).jpeg().toBuffer());
    write(join(src, `cold/${i}.webp`), await solid(40 + i, 50, [30, 100 + i * 10, 220]).webp().toBuffer());
  }
  write(join(src, 'cold/broken.jpg'), 'not a jpeg');
  const imp = cli(['import', src, '--name', 'temps', '--size', '32', '--channels', '3', '--fit', 'pad', '--json'], home);
  assert.equal(imp.code, 0, imp.stderr);
  const report = JSON.parse(imp.stdout);
  assert.equal(report.imported, 16);
  assert.deepEqual(report.skippedByReason, { 'not-image': 1 });
  assert.deepEqual(report.classes.map((c: { name: string }) => c.name), ['cold', 'warm']);

  const human = cli(['import', src, '--name', 'temps'], home);
  assert.equal(human.code, 1);
  assert.match(human.stderr, /a dataset named "temps" already exists/);
  const bad = cli(['import', src, '--name', 'x', '--size', '48'], home);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /size/);

  const listed = JSON.parse(cli(['datasets', 'list', '--json'], home).stdout) as { name: string; imageCount: number }[];
  assert.deepEqual(listed.map((d) => [d.name, d.imageCount]), [['builtin:mnist', 10000], ['temps', 16]]);
  const shown = cli(['datasets', 'show', 'temps'], home);
  assert.match(shown.stdout, /classes: cold \(8\), warm \(8\)/);
  assert.match(shown.stdout, /cold\/broken\.jpg: the content is not/);

  const r = cli(['train', '--dataset', 'temps', '--model', 'cdcgan', '--steps', '2', '--width', '8', '--batch', '8', '--z-dim', '16', '--backend', 'wasm', '--json'], home);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!).run as string;
  const out = join(tempDir(), 'samples');
  assert.equal(cli(['sample', '--run', run, '--count', '2', '--class', '1', '--out', out], home).code, 0);
  const one = await sharp(join(out, '0001.png')).metadata();
  assert.deepEqual([one.width, one.height, one.channels], [32, 32, 3]);

  assert.match(cli(['datasets', 'delete', 'temps', '--yes'], home).stderr, /used by 1 run/);
  assert.equal(cli(['runs', 'delete', run, '--yes'], home).code, 0);
  assert.equal(cli(['datasets', 'delete', 'temps'], home).code, 1, 'deleted without confirmation');
  assert.equal(cli(['datasets', 'delete', 'temps', '--yes'], home).code, 0);
  assert.deepEqual(readdirSync(join(home, 'datasets')), []);
});

test('interpolate writes a GIF walk through keyframe seeds; export writes images per class and a tfjs model', async () => {
  const home = tempDir();
  const r = cli(['train', '--model', 'cdcgan', '--steps', '2', '--width', '8', '--batch', '8', '--z-dim', '16', '--backend', 'wasm', '--json'], home);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!).run as string;
  const out = tempDir();

  const walkFile = join(out, 'walk.gif');
  const w = cli(['interpolate', '--run', run, '--keyframes', '1,7,42', '--frames', '7', '--slerp', '--scale', '3', '--class', '4', '--out', walkFile, '--json'], home);
  assert.equal(w.code, 0, w.stderr);
  assert.deepEqual(JSON.parse(w.stdout).keyframes, [1, 7, 42]);
  const gif = await sharp(walkFile, { pages: -1 }).metadata();
  assert.deepEqual([gif.format, gif.width, gif.pageHeight, gif.pages], ['gif', 84, 84, 7]);
  // First and last frames are the first and last keyframes: different seeds, different images.
  const frame = (page: number) => sharp(walkFile, { page }).raw().toBuffer();
  assert.notDeepEqual(await frame(0), await frame(6));
  assert.match(cli(['interpolate', '--run', run, '--keyframes', '1', '--out', walkFile], home).stderr, /two or more seeds/);

  const imgs = join(out, 'imgs');
  const e = cli(['export', '--run', run, '--format', 'images', '--count', '3', '--per-class', '--out', imgs, '--json'], home);
  assert.equal(e.code, 0, e.stderr);
  assert.deepEqual(readdirSync(imgs).sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(readdirSync(join(imgs, '7')).sort(), ['0001.png', '0002.png', '0003.png']);

  const model = join(out, 'model');
  assert.equal(cli(['export', '--run', run, '--format', 'tfjs', '--out', model], home).code, 0);
  assert.deepEqual(readdirSync(model).sort(), ['model.json', 'weights.bin']);
  assert.match(cli(['export', '--run', run, '--format', 'onnx', '--out', model], home).stderr, /--format must be images or tfjs/);
});
