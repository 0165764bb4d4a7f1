/**
 * Super-resolution from the command line: train --task superres (both phases,
 * measured on held-out images), upscale images of other sizes and kinds, and
 * the refusals — a GAN run to upscale, a super-resolution run to sample,
 * an unreadable image — with nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { tempDir } from '../support/helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));

function cli(args: string[], home: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('train --task superres, then upscale: both phases recorded, held-out figures against bicubic, PNGs at the scale', { timeout: 300_000 }, async () => {
  const home = tempDir('gan-sr-cli');
  const small = ['--scale', '2', '--crop', '28', '--blocks', '2', '--feats', '8', '--d-width', '8', '--batch', '4'];
  const t = cli(['train', '--task', 'superres', '--steps', '12', '--psnr-steps', '4', '--checkpoint-every', '4', '--backend', 'wasm', ...small, '--json'], home);
  assert.equal(t.code, 0, t.stderr);
  const steps = t.lines.filter((l) => l.type === 'step');
  assert.equal(steps.length, 12);
  assert.ok(steps.slice(0, 4).every((s) => typeof s.content_loss === 'number' && s.d_loss === null), 'the PSNR phase has L1 alone');
  assert.ok(steps.slice(4).every((s) => typeof s.d_loss === 'number' && typeof s.g_loss === 'number'), 'the adversarial phase has D');
  const evaluations = t.lines.filter((l) => l.type === 'evaluation');
  // Beside training, a checkpoint that arrives while the judge is busy waits for the next; the last is always measured.
  assert.ok(evaluations.length >= 2 && evaluations.every((e) => [4, 8, 12].includes(e.step as number)) && evaluations.at(-1)!.step === 12, JSON.stringify(evaluations.map((e) => e.step)));
  for (const e of evaluations) {
    assert.ok(typeof e.psnr === 'number' && typeof e.psnr_bicubic === 'number' && typeof e.ssim === 'number', JSON.stringify(e));
    assert.equal(e.held_out_images, 24);
  }
  const run = t.lines.at(-1)!.run as string;

  // Either phase exports: the end of the PSNR phase outlives the pruning of older checkpoints.
  const models = tempDir('gan-sr-models');
  for (const [step, phase] of [[4, 'psnr'], [undefined, 'adversarial']] as const) {
    const dir = join(models, phase);
    const e = cli(['export', '--run', run, '--format', 'tfjs', '--out', dir, ...(step ? ['--step', String(step)] : []), '--json'], home);
    assert.equal(e.code, 0, e.stderr);
    assert.equal(e.lines[0].step, step ?? 12);
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata;
    assert.deepEqual([meta.task, meta.phase, meta.scale, meta.run], ['superres', phase, 2, run]);
  }
  const noImages = cli(['export', '--run', run, '--format', 'images', '--out', join(models, 'images')], home);
  assert.equal(noImages.code, 1);
  assert.match(noImages.stderr, /super-resolution run: it upscales images/);
  assert.equal(existsSync(join(models, 'images')), false);

  const inputs = tempDir('gan-sr-in');
  await sharp({ create: { width: 37, height: 23, channels: 3, background: { r: 10, g: 200, b: 30 } } }).jpeg().toFile(join(inputs, 'photo.jpg'));
  await sharp({ create: { width: 9, height: 9, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.25 } } }).png().toFile(join(inputs, 'icon.png'));
  const out = join(tempDir('gan-sr-out'), 'up');
  const u = cli(['upscale', '--run', run, join(inputs, 'photo.jpg'), join(inputs, 'icon.png'), '--out', out, '--tile', '16', '--json'], home);
  assert.equal(u.code, 0, u.stderr);
  assert.deepEqual(u.lines.map((l) => [l.width, l.height]), [[74, 46], [18, 18]]);
  // Checking an image reads it and says the sizes without running the model.
  const { StudioService } = await import('../../main/service/studio-service.js');
  const service = new StudioService(home);
  try {
    const checked = await service.call('images.upscale', { id: run, image: readFileSync(join(inputs, 'photo.jpg')).toString('base64'), check: true });
    assert.ok(checked.ok, JSON.stringify(checked));
    assert.deepEqual([checked.value.png, checked.value.width, checked.value.height, checked.value.inputWidth], ['', 74, 46, 37]);
  } finally {
    await service.close();
  }
  const photo = await sharp(join(out, 'photo.png')).metadata();
  assert.deepEqual([photo.width, photo.height], [74, 46]);
  assert.equal((await sharp(join(out, 'icon.png')).metadata()).hasAlpha, true);

  // Refusals, each with nothing written.
  const gan = cli(['train', '--steps', '2', '--batch', '4', '--width', '8', '--z-dim', '8', '--backend', 'wasm', '--json'], home);
  const ganRun = gan.lines.at(-1)!.run as string;
  const none = join(tempDir('gan-sr-none'), 'out');
  const wrong = cli(['upscale', '--run', ganRun, join(inputs, 'photo.jpg'), '--out', none], home);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /GAN run: it generates images from noise.*, not a super-resolution run/);
  writeFileSync(join(inputs, 'notes.txt'), 'not an image');
  const bad = cli(['upscale', '--run', run, join(inputs, 'photo.jpg'), join(inputs, 'notes.txt'), '--out', none], home);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /notes\.txt is not an image/);
  assert.equal(existsSync(none), false, 'no output folder for a refused upscale');
  const sample = cli(['sample', '--run', run, '--out', none], home);
  assert.equal(sample.code, 1);
  assert.match(sample.stderr, /super-resolution run: it upscales images/);
});
