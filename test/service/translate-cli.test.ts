/**
 * Translation from the command line: import a colour folder, train pix2pix
 * (edges → image) and CycleGAN (two classes) measured on held-out images,
 * translate images of other sizes both ways, export each generator, and the
 * refusals — a GAN run to translate, a translation run to sample or to
 * export as images — with nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { tempDir } from '../support/helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));

function cli(args: string[], home: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** 24 small pictures in two class folders: coloured discs on plain grounds, and bars. */
async function colourFolder(): Promise<string> {
  const dir = tempDir('gan-tr-images');
  for (const [k, cls] of ['discs', 'bars'].entries()) {
    mkdirSync(join(dir, cls));
    for (let i = 0; i < 12; i++) {
      const hue = (i * 37 + k * 90) % 255;
      const shape = cls === 'discs' ? `<circle cx="${12 + i}" cy="16" r="${6 + (i % 4)}" fill="rgb(${hue},${255 - hue},90)"/>` : `<rect x="4" y="${4 + i}" width="24" height="5" fill="rgb(40,${hue},${255 - hue})"/>`;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="rgb(${250 - i * 5},240,${200 + i})"/>${shape}</svg>`;
      await sharp(Buffer.from(svg)).png().toFile(join(dir, cls, `${cls}-${i}.png`));
    }
  }
  return dir;
}

test('train --task pix2pix and cyclegan, then translate and export: held-out figures, PNGs the input’s size, each generator a model', { timeout: 400_000 }, async () => {
  const home = tempDir('gan-tr-cli');
  const imported = cli(['import', await colourFolder(), '--name', 'shapes', '--size', '32', '--json'], home);
  assert.equal(imported.code, 0, imported.stderr);
  const small = ['--ngf', '4', '--ndf', '4', '--batch', '2', '--backend', 'wasm', '--json'];
  const p = cli(['train', '--task', 'pix2pix', '--dataset', 'shapes', '--source', 'edges', '--steps', '6', '--checkpoint-every', '3', ...small], home);
  assert.equal(p.code, 0, p.stderr);
  const steps = p.lines.filter((l) => l.type === 'step');
  assert.equal(steps.length, 6);
  assert.ok(steps.every((s) => typeof s.content_loss === 'number' && typeof s.d_loss === 'number'));
  const last = p.lines.filter((l) => l.type === 'evaluation').at(-1)!;
  assert.equal(last.step, 6);
  const t = last.translation as Record<string, number>;
  assert.equal(t.images, 2, 'a tenth of 24 images held out');
  assert.ok(t.l1 > 0 && t.l1 < 1 && t.psnr > 0 && t.ssim <= 1 && !('baseline' in t), JSON.stringify(t));
  const pixRun = p.lines.at(-1)!.run as string;

  const inputs = tempDir('gan-tr-in');
  await sharp({ create: { width: 50, height: 37, channels: 3, background: { r: 10, g: 200, b: 30 } } }).composite([{ input: Buffer.from('<svg width="20" height="20"><circle cx="10" cy="10" r="8" fill="black"/></svg>'), left: 10, top: 8 }]).jpeg().toFile(join(inputs, 'photo.jpg'));
  await sharp({ create: { width: 9, height: 12, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.25 } } }).png().toFile(join(inputs, 'icon.png'));
  const out = join(tempDir('gan-tr-out'), 'pix');
  const tr = cli(['translate', '--run', pixRun, join(inputs, 'photo.jpg'), join(inputs, 'icon.png'), '--out', out, '--derive', '--json'], home);
  assert.equal(tr.code, 0, tr.stderr);
  assert.deepEqual(tr.lines.map((l) => [l.width, l.height, l.direction]), [[50, 37, 'AtoB'], [9, 12, 'AtoB']]);
  const photo = await sharp(join(out, 'photo.png')).metadata();
  assert.deepEqual([photo.width, photo.height, photo.channels], [50, 37, 3], 'edges → a colour image');
  assert.equal((await sharp(join(out, 'icon.png')).metadata()).hasAlpha, true, 'transparency kept');
  const oneWay = cli(['translate', '--run', pixRun, join(inputs, 'photo.jpg'), '--out', join(out, 'back'), '--direction', 'BtoA'], home);
  assert.equal(oneWay.code, 1);
  assert.match(oneWay.stderr, /pix2pix model translates one way/);

  const c = cli(['train', '--task', 'cyclegan', '--dataset', 'shapes', '--class-a', 'discs', '--class-b', 'bars', '--blocks', '1', '--pool', '4', '--steps', '4', '--checkpoint-every', '4', ...small], home);
  assert.equal(c.code, 0, c.stderr);
  const ce = c.lines.filter((l) => l.type === 'evaluation').at(-1)!.translation as Record<string, number>;
  for (const k of ['cycleA', 'cycleB', 'shareTarget', 'shareTargetReverse']) assert.ok(ce[k] >= 0 && ce[k] <= 1, `${k} ${ce[k]}`);
  const cycRun = c.lines.at(-1)!.run as string;
  const back = cli(['translate', '--run', cycRun, join(inputs, 'photo.jpg'), '--out', join(out, 'cyc'), '--direction', 'BtoA', '--json'], home);
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual([back.lines[0].width, back.lines[0].height, back.lines[0].direction], [50, 37, 'BtoA']);

  const models = tempDir('gan-tr-models');
  const e = cli(['export', '--run', cycRun, '--format', 'tfjs', '--out', join(models, 'cyc'), '--json'], home);
  assert.equal(e.code, 0, e.stderr);
  for (const d of ['AtoB', 'BtoA']) {
    const meta = JSON.parse(readFileSync(join(models, 'cyc', d, 'model.json'), 'utf8')).userDefinedMetadata;
    assert.deepEqual([meta.task, meta.direction, meta.run], ['cyclegan', d, cycRun]);
    assert.ok(existsSync(join(models, 'cyc', d, 'instance-norm.js')));
  }

  // Refusals, each with nothing written.
  const none = join(tempDir('gan-tr-none'), 'out');
  const noImages = cli(['export', '--run', pixRun, '--format', 'images', '--out', none], home);
  assert.equal(noImages.code, 1);
  assert.match(noImages.stderr, /translation run: it translates images/);
  const sample = cli(['sample', '--run', pixRun, '--out', none], home);
  assert.equal(sample.code, 1);
  assert.match(sample.stderr, /translation run: it translates images/);
  const gan = cli(['train', '--steps', '2', '--batch', '4', '--width', '8', '--z-dim', '8', '--backend', 'wasm', '--json'], home);
  const wrong = cli(['translate', '--run', gan.lines.at(-1)!.run as string, join(inputs, 'photo.jpg'), '--out', none], home);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /not a translation run/);
  const noB = cli(['train', '--task', 'cyclegan', '--dataset', 'shapes', '--steps', '2', '--json'], home);
  assert.equal(noB.code, 1);
  assert.match(noB.stderr, /needs domain B/);
  assert.equal(existsSync(none), false);
});
