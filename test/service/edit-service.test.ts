/**
 * Editing real images through the service and the command line: a digit
 * projected with live progress and a reconstruction, a projection cancelled,
 * the run's encoder trained once and then used, attribute directions with
 * their measured effect, an edit's readings, a marked direction, and the
 * refusals — a corrupt image, latents of the wrong length, a class for an
 * unconditional run, another run's latent file — with nothing lost.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { StudioService } from '../../main/service/studio-service.js';
import { ok, until } from '../support/service.js';
import { tempDir } from '../support/helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
const home = tempDir('gan-edit');
let service: StudioService;
let id: string;

function digitPng(digit: number, k: number): Promise<Buffer> {
  const { data } = createRequire(import.meta.url)(`mnist/src/digits/${digit}.json`) as { data: number[] };
  return sharp(Buffer.from(data.slice(k * 784, (k + 1) * 784).map((v) => Math.round(v * 255))), { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stderr: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

before(async () => {
  service = new StudioService(home);
  // bce pinned: the edit assertions below were set on the generator this recipe trains in 40 steps.
  const run = await ok(service, 'runs.create', { name: 'digits', config: { dataset: 'builtin:mnist', width: 8, zDim: 16, batch: 16, steps: 40, checkpointEvery: 40, backend: 'wasm', loss: 'bce' } });
  id = run.id;
  await until(service, 'run.status', (e) => e.id === id && e.status === 'completed');
});
after(() => service.close());

test('a digit projected with live progress, its reconstruction close to it; a cancelled projection; a corrupt image refused', async () => {
  const image = (await digitPng(3, 4)).toString('base64');
  const events: { done: number; total: number; distance: number | null; png: string | null }[] = [];
  const off = service.on('project.progress', (e) => e.ticket === 'p1' && events.push(e));
  const r = await ok(service, 'images.project', { id, image, name: 'three.png', steps: 40, starts: 3, ticket: 'p1' });
  off();
  assert.equal(events.length, 40);
  assert.deepEqual([events[0].done, events[39].done, events[39].total], [1, 40, 40]);
  assert.equal(events.filter((e) => e.png).length, 4, 'a reconstruction every 10 steps');
  assert.ok(events.every((e, i) => i === 0 || e.distance! <= events[i - 1].distance!), 'the best distance only falls');
  assert.equal(r.latent.length, 16);
  assert.equal(r.classLabel, null);
  assert.equal(r.encoder, false);
  assert.equal(r.history.length, 40);
  assert.ok(r.psnr > 10 && r.judgeDistance !== null && r.judgeDistance > 0, `PSNR ${r.psnr}, judge distance ${r.judgeDistance}`);
  for (const png of [r.png, r.target]) {
    const m = await sharp(Buffer.from(png, 'base64')).metadata();
    assert.deepEqual([m.width, m.height, m.channels], [28, 28, 1]);
  }
  // The target is the digit as the model sees it: the same pixels.
  const target = await sharp(Buffer.from(r.target, 'base64')).raw().toBuffer();
  assert.deepEqual([...target], [...(await sharp(Buffer.from(image, 'base64')).raw().toBuffer())]);

  // Cancelled after a few steps: a CANCELLED error, and the worker free for the next request.
  const cancelled = service.call('images.project', { id, image, steps: 5000, starts: 2, ticket: 'p2' });
  await until(service, 'project.progress', (e) => e.ticket === 'p2' && e.done >= 3);
  assert.deepEqual(await ok(service, 'images.cancel', { ticket: 'p2' }), { ticket: 'p2' });
  const c = await cancelled;
  assert.ok(!c.ok && c.error.code === 'CANCELLED', JSON.stringify(c));
  const bad = await service.call('images.project', { id, image: Buffer.from('not an image at all').toString('base64'), name: 'notes.png' });
  assert.ok(!bad.ok && bad.error.code === 'INVALID_INPUT' && /notes\.png cannot be read as an image/.test(bad.error.message), JSON.stringify(bad));
  const again = await ok(service, 'images.project', { id, image, steps: 5, starts: 1 });
  assert.equal(again.history.length, 5);
});

test('the run’s encoder: trained once with progress, kept per checkpoint, used by the next projection, deleted with its checkpoint', async () => {
  const progress: number[] = [];
  const off = service.on('encoder.progress', (e) => e.ticket === 'e1' && progress.push(e.done));
  const trained = await ok(service, 'latent.encoder', { id, steps: 100, ticket: 'e1' });
  off();
  assert.deepEqual(progress, [25, 50, 75, 100]);
  assert.equal(trained.cached, false);
  assert.ok(trained.loss !== null && trained.loss > 0 && trained.seconds > 0);
  const path = service.store.encoderPath(id, 40);
  assert.ok(existsSync(path));
  const again = await ok(service, 'latent.encoder', { id, steps: 100 });
  assert.deepEqual([again.cached, again.step], [true, 40]);
  const used = await ok(service, 'images.project', { id, image: (await digitPng(5, 1)).toString('base64'), steps: 10, starts: 2 });
  assert.equal(used.encoder, true);
  const without = await ok(service, 'images.project', { id, image: (await digitPng(5, 1)).toString('base64'), steps: 10, starts: 2, encoder: false });
  assert.equal(without.encoder, false);
  // A damaged encoder file: projection goes on without its guess, and training makes a sound one again.
  writeFileSync(path, 'not an encoder');
  const damaged = await ok(service, 'images.project', { id, image: (await digitPng(5, 1)).toString('base64'), steps: 5, starts: 1 });
  assert.equal(damaged.encoder, false);
  const redone = await ok(service, 'latent.encoder', { id, steps: 25 });
  assert.equal(redone.cached, false);
  assert.equal((await ok(service, 'images.project', { id, image: (await digitPng(5, 1)).toString('base64'), steps: 5, starts: 1 })).encoder, true);
});

test('attribute directions with their measured effect; an edit moves the image and its readings; a marked direction; refusals', async () => {
  const { attributes, step } = await ok(service, 'latent.attributes', { id, samples: 300 });
  assert.equal(step, 40);
  const thick = attributes.find((a) => a.name === 'thickness')!;
  assert.ok(thick && thick.kind === 'pixel' && thick.direction.length === 16);
  assert.ok(Math.abs(Math.hypot(...thick.direction) - 1) < 1e-5);
  assert.ok(thick.after > thick.before, `thick: ${thick.before} → ${thick.after}`);
  assert.ok(thick.kept >= 0 && thick.kept <= 1 && 'slant' in thick.keptBy);
  const keep = await ok(service, 'latent.attributes', { id, samples: 300, keep: ['thickness'] });
  const slant = keep.attributes.find((a) => a.name === 'slant')!;
  assert.deepEqual(slant.orthogonalTo, ['thickness']);

  const latent = Array.from({ length: 16 }, (_, i) => Math.sin(i));
  const thresholds = Object.fromEntries(attributes.map((a) => [a.name, a.threshold]));
  const plain = await ok(service, 'images.edit', { id, latent, thresholds });
  const moved = await ok(service, 'images.edit', { id, latent, thresholds, moves: [{ direction: thick.direction, amount: 3 }] });
  assert.notEqual(moved.png, plain.png);
  assert.ok(moved.readings.thickness > plain.readings.thickness, `thickness ${plain.readings.thickness} → ${moved.readings.thickness}`);
  assert.ok(Math.abs(moved.latent[0] - (latent[0] + 3 * thick.direction[0])) < 1e-5);
  assert.deepEqual(Object.keys(plain.readings).sort(), [...'0123456789'.split(''), 'slant', 'thickness'].sort(), 'the judge’s digits and the pixel measures');

  const positive = [latent, latent.map((x) => x + 0.5)];
  const negative = [latent.map((x) => -x), latent.map((x) => -x - 0.5)];
  const fit = await ok(service, 'latent.fit', { id, positive, negative });
  assert.equal(fit.direction.length, 16);
  assert.equal(fit.accuracy, 1);

  const refusals: [string, unknown, RegExp][] = [
    ['latent.fit', { id, positive: [[1, 2]], negative }, /a marked latent of run .* has 16 numbers, got 2/],
    ['latent.fit', { id, positive: [], negative }, /mark at least one example with the attribute/],
    ['images.edit', { id, latent, classLabel: 2 }, /not class-conditional/],
    ['images.edit', { id, latent, moves: [{ direction: [1], amount: 1 }] }, /a direction of run .* has 16 numbers, got 1/],
  ];
  for (const [name, input, message] of refusals) {
    const r = await service.call(name as 'latent.fit', input);
    assert.ok(!r.ok && r.error.code === 'INVALID_INPUT' && message.test(r.error.message), `${name}: ${JSON.stringify(r)}`);
  }
});

test('gan-studio project and edit: a reconstruction and its latent, then an edit along thickness from the image or the latent file', async () => {
  // The service's home is shared with the CLI; it needs no service running.
  const dir = tempDir('gan-edit-cli');
  const seven = join(dir, 'seven.png');
  writeFileSync(seven, await digitPng(7, 2));
  const p = cli(['project', '--run', id, seven, '--out', join(dir, 'out'), '--steps', '30', '--starts', '2', '--json']);
  assert.equal(p.code, 0, p.stderr);
  const line = p.lines[0];
  assert.equal(line.type, 'projected');
  assert.equal(line.encoder, true, 'the encoder kept with the run is used');
  const saved = JSON.parse(readFileSync(line.latentFile as string, 'utf8'));
  assert.equal(saved.run, id);
  assert.equal(saved.latent.length, 16);
  assert.deepEqual(((await sharp(line.output as string).metadata()).width), 28);

  const e = cli(['edit', '--run', id, line.latentFile as string, '--direction', 'thickness', '--amount', '3', '--out', join(dir, 'thick.png'), '--json']);
  assert.equal(e.code, 0, e.stderr);
  const edited = e.lines[0] as { before: Record<string, number>; after: Record<string, number>; output: string };
  assert.ok(edited.after.thickness > edited.before.thickness, JSON.stringify(edited));
  assert.equal((await sharp(edited.output).metadata()).width, 28);
  const fromImage = cli(['edit', '--run', id, seven, '--direction', 'pc1', '--amount', '-2', '--steps', '20', '--out', join(dir, 'pc1.png'), '--json']);
  assert.equal(fromImage.code, 0, fromImage.stderr);
  assert.ok(existsSync(join(dir, 'pc1.png')));

  const unknown = cli(['edit', '--run', id, line.latentFile as string, '--direction', 'curliness', '--out', join(dir, 'x.png')]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /has no direction "curliness"; it has .*thickness, slant, pc1…pc6/);
  const foreign = join(dir, 'foreign.json');
  writeFileSync(foreign, JSON.stringify({ ...saved, run: '20200101-000000-abcd' }));
  const refused = cli(['edit', '--run', id, foreign, '--direction', 'thickness', '--out', join(dir, 'y.png')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /holds a latent of run 20200101-000000-abcd, not of run/);
  assert.ok(!existsSync(join(dir, 'x.png')) && !existsSync(join(dir, 'y.png')), 'nothing written on a refusal');

  // Deleting the checkpoint deletes what was made from it.
  await ok(service, 'checkpoints.delete', { id, step: 40 });
  assert.ok(!existsSync(service.store.encoderPath(id, 40)));
});
