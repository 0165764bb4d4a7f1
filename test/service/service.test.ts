import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { StudioService } from '../../main/service/studio-service.js';
import type { CommandName, StudioEvents } from '../../main/service/contract.js';
import { tempDir } from '../support/helpers.js';
import { ok, until } from '../support/service.js';

const TINY = { dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, backend: 'wasm', steps: 4, checkpointEvery: 2 };

function service(): StudioService {
  const s = new StudioService(tempDir(), { previewEvery: 2 });
  after(() => s.close());
  return s;
}

/** Everything a refused command could have changed. */
function snapshot(s: StudioService, home: string) {
  const tables = ['runs', 'run_tags', 'metrics', 'checkpoints', 'samples', 'datasets'].map((t) => s.store.db.prepare(`SELECT * FROM ${t}`).all());
  return JSON.stringify({ tables, files: readdirSync(home, { recursive: true }).filter((f) => !String(f).startsWith('studio.db')).sort() });
}

test('malformed commands are refused with clear errors and change nothing', async () => {
  const s = service();
  const run = await ok(s, 'runs.create', { config: TINY, start: false });
  const before = snapshot(s, s.home);
  const cases: [string, unknown, string, RegExp][] = [
    ['runs.rename', { id: run.id, name: 42 }, 'INVALID_INPUT', /name: Expected string, received number/],
    ['runs.rename', { id: run.id }, 'INVALID_INPUT', /name: Required/],
    ['runs.rename', { id: run.id, name: 'x'.repeat(100_000) }, 'INVALID_INPUT', /longer than 100 characters/],
    ['runs.rename', { id: run.id, name: '../../x' }, 'INVALID_INPUT', /may not contain/],
    ['runs.rename', { id: run.id, name: 'ok', extra: true }, 'INVALID_INPUT', /Unrecognized key/],
    ['runs.tag', { id: run.id, add: ['a/b'] }, 'INVALID_INPUT', /may not contain/],
    ['runs.show', { id: '../../etc/passwd' }, 'INVALID_INPUT', /is not a run id/],
    ['runs.show', { id: '20000101-000000-abcd' }, 'NOT_FOUND', /no run 20000101-000000-abcd/],
    ['runs.delete', { id: '20000101-000000-abcd' }, 'NOT_FOUND', /no run/],
    ['runs.create', { config: { ...TINY, steps: -5 } }, 'INVALID_INPUT', /config\.steps: Number must be greater than 0/],
    ['runs.create', { config: { ...TINY, dataset: '../../x' } }, 'NOT_FOUND', /unknown dataset "..\/..\/x"/],
    ['runs.create', null, 'INVALID_INPUT', /config: Required/],
    ['datasets.show', { name: 'nope' }, 'NOT_FOUND', /no dataset "nope"/],
    ['datasets.delete', { name: 'builtin:mnist' }, 'CONFLICT', /built in and cannot be deleted/],
    ['metrics.series', { id: run.id, metric: 'evil; DROP TABLE runs' }, 'INVALID_INPUT', /metric: is not a metric name/],
    ['metrics.series', { id: run.id, metric: 'no_such_metric' }, 'INVALID_INPUT', /no metric "no_such_metric": there are \d+, d_loss, g_loss/],
    ['samples.generate', { id: run.id, count: 10_000 }, 'INVALID_INPUT', /count: Number must be less than or equal to 256/],
    ['checkpoints.delete', { id: run.id, step: 3 }, 'NOT_FOUND', /no checkpoint at step 3/],
    ['runs.pause', { id: run.id }, 'CONFLICT', /is not training/],
    ['no.such.command', {}, 'INVALID_INPUT', /unknown command/],
  ];
  for (const [name, input, code, message] of cases) {
    const r = await s.call(name as CommandName, input);
    assert.equal(r.ok, false, `${name} ${JSON.stringify(input).slice(0, 80)} was accepted`);
    if (!r.ok) {
      assert.equal(r.error.code, code, `${name}: ${r.error.message}`);
      assert.match(r.error.message, message);
      assert.ok(r.error.message.length < 300, 'the message echoes the whole input');
    }
  }
  assert.equal(snapshot(s, s.home), before);
});

test('runs queue and train one at a time, announcing progress, samples and status', async () => {
  const s = service();
  const statuses: string[] = [];
  s.on('run.status', (e) => statuses.push(`${e.id.slice(-4)}:${e.status}`));
  let progress = 0;
  s.on('run.progress', () => progress++);
  const samples: number[] = [];
  s.on('run.sample', (e) => samples.push(e.step));
  const a = await ok(s, 'runs.create', { name: 'first', config: TINY });
  const b = await ok(s, 'runs.create', { name: 'second', config: { ...TINY, loss: 'lsgan' } });
  assert.equal((await ok(s, 'runs.show', { id: b.id })).status, 'queued');
  await until(s, 'run.status', (e) => e.id === b.id && e.status === 'completed');
  const order = statuses.filter((x) => !x.endsWith('queued'));
  assert.deepEqual(order, [`${a.id.slice(-4)}:running`, `${a.id.slice(-4)}:completed`, `${b.id.slice(-4)}:running`, `${b.id.slice(-4)}:completed`]);
  assert.equal(progress, 8);
  assert.ok(samples.includes(2) && samples.includes(4));

  const shown = await ok(s, 'runs.show', { id: a.id });
  assert.equal(shown.step, 4);
  assert.deepEqual(shown.checkpoints.map((c) => c.step), [2, 4]);
  assert.equal(shown.lastMetrics?.step, 4);
  const series = await ok(s, 'metrics.series', { id: a.id, metric: 'd_loss' });
  assert.deepEqual(series.map((p) => p.step), [1, 2, 3, 4]);
  const cmp = await ok(s, 'runs.compare', { ids: [a.id, b.id] });
  assert.deepEqual(cmp.differingSettings, ['loss']);
  const gen = await ok(s, 'samples.generate', { id: a.id, count: 3, seed: 5 });
  assert.equal(gen.images.length, 3);
  assert.equal(Buffer.from(gen.images[0], 'base64').subarray(1, 4).toString(), 'PNG');
  // The same latents give the same images.
  const again = await ok(s, 'samples.generate', { id: a.id, latents: gen.latents.slice(0, 1) });
  assert.equal(again.images[0], gen.images[0]);
  const noClass = await s.call('samples.generate', { id: a.id, classLabel: 3 });
  assert.ok(!noClass.ok && noClass.error.code === 'INVALID_INPUT' && /not class-conditional/.test(noClass.error.message));
});

test('checkpoints are measured by the judges beside training: announced, stored, and read as a status', async () => {
  const s = service();
  const evaluations: StudioEvents['run.evaluation'][] = [];
  s.on('run.evaluation', (e) => evaluations.push(e));
  const finished = new Promise<void>((resolve) => s.on('run.finished', () => resolve()));
  const run = await ok(s, 'runs.create', { config: TINY });
  await finished;
  // The last checkpoint's evaluation is waited for; an earlier one may be skipped if the judge fell behind.
  const last = evaluations.at(-1)!;
  assert.equal(last.id, run.id);
  assert.equal(last.evaluation.step, 4);
  assert.equal(last.evaluation.judge, 'shipped');
  assert.equal(last.evaluation.numClasses, 10);
  for (const v of [last.evaluation.fid, last.evaluation.kid, last.evaluation.diversity]) assert.ok(Number.isFinite(v));
  assert.ok(last.evaluation.fid > 0 && last.evaluation.diversity >= 0);
  assert.ok(last.evaluation.classesCovered! >= 1 && last.evaluation.classesCovered! <= 10);
  assert.ok(last.evaluation.nearDuplicates >= 0 && last.evaluation.nearDuplicates <= 1);

  const shown = await ok(s, 'runs.show', { id: run.id });
  assert.equal(shown.lastEvaluation?.step, 4);
  assert.equal(shown.lastEvaluation?.fid, last.evaluation.fid);
  assert.equal(shown.lastEvaluation?.classesCovered, last.evaluation.classesCovered);
  // The class mix: the judge's digit names, counts of the 1,000 samples and of the real reference, kept with the evaluation.
  const balance = last.evaluation.classes!;
  assert.deepEqual(balance.names, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(balance.generated.reduce((a, b) => a + b, 0), 1000);
  assert.equal(balance.generated.filter((c) => c >= 10).length, last.evaluation.classesCovered, 'covered: at least a tenth of the fair share');
  assert.ok(balance.real.every((c) => c > 50), 'real digits are near evenly mixed');
  assert.ok(balance.realConfident > 0.9 && balance.confident < balance.realConfident, 'four steps of training draw fewer clear digits than real ones');
  assert.deepEqual(shown.lastEvaluation?.classes, balance);
  // The memorisation pictures stay in the run's folder: not in the event, read by runs.memorisation.
  assert.equal(last.evaluation.nearest, undefined);
  const pictures = await ok(s, 'runs.memorisation', { id: run.id });
  assert.equal(pictures?.step, 4);
  assert.deepEqual(pictures?.steps.at(-1), 4);
  assert.deepEqual(pictures?.pairs.map((p) => p.kind), ['typical', 'novel']);
  assert.ok(pictures!.pairs[0].featureDistance <= pictures!.pairs[1].featureDistance);
  for (const p of pictures!.pairs) for (const b of [p.sample, p.byFeatures, p.byPixels]) assert.equal(Buffer.from(b, 'base64').subarray(1, 4).toString(), 'PNG');
  const missing = await s.call('runs.memorisation', { id: run.id, step: 3 });
  assert.ok(!missing.ok && missing.error.code === 'NOT_FOUND' && /no memorisation pictures at step 3/.test(missing.error.message));
  assert.ok(shown.trainingStatus.label.length > 0);
  // Four steps is too early to judge, even though an untrained generator draws one blur for every latent.
  assert.equal(shown.trainingStatus.state, 'warming-up');
  const fid = await ok(s, 'metrics.series', { id: run.id, metric: 'fid' });
  assert.deepEqual(fid.at(-1), { step: 4, value: last.evaluation.fid });
  // D's accuracy is a per-step series beside the losses.
  const acc = await ok(s, 'metrics.series', { id: run.id, metric: 'd_acc_real' });
  assert.deepEqual(acc.map((p) => p.step), [1, 2, 3, 4]);
  assert.ok(acc.every((p) => p.value >= 0 && p.value <= 1));
  assert.deepEqual((await ok(s, 'metrics.series', { id: run.id, metric: 'd_loss' })).map((p) => p.step), [1, 2, 3, 4], 'an evaluation row must not hide a step');
});

test('rename, tag, note, filter, fork with changed settings, delete', async () => {
  const s = service();
  const a = await ok(s, 'runs.create', { config: TINY });
  await until(s, 'run.status', (e) => e.id === a.id && e.status === 'completed');
  await ok(s, 'runs.rename', { id: a.id, name: 'baseline' });
  await ok(s, 'runs.tag', { id: a.id, add: ['mnist', 'keep'] });
  await ok(s, 'runs.note', { id: a.id, notes: 'D wins early' });
  const fork = await ok(s, 'runs.fork', { id: a.id, changes: { lrG: 1e-4, steps: 6 }, start: true });
  await until(s, 'run.status', (e) => e.id === fork.id && e.status === 'completed');
  const child = await ok(s, 'runs.show', { id: fork.id });
  assert.equal(child.parentId, a.id);
  assert.equal(child.parentKind, 'fork');
  assert.equal(child.config.lrG, 1e-4);
  // It continued from the parent's weights at step 4 rather than starting over.
  assert.equal(child.step, 6);
  assert.deepEqual((await ok(s, 'metrics.series', { id: fork.id, metric: 'g_loss' })).map((p) => p.step), [1, 2, 3, 4, 5, 6]);
  // Spectral normalisation changes D's weights: such a fork starts over rather than load ones without it.
  const sn = await ok(s, 'runs.fork', { id: a.id, changes: { spectralNorm: true } });
  assert.equal(sn.step, 0);
  assert.deepEqual((await ok(s, 'runs.show', { id: sn.id })).checkpoints, []);
  await ok(s, 'runs.delete', { id: sn.id });
  assert.deepEqual((await ok(s, 'runs.list', { tag: 'keep' })).map((r) => r.id), [a.id]);
  assert.deepEqual((await ok(s, 'runs.list', { text: 'wins' })).map((r) => r.name), ['baseline']);
  await ok(s, 'runs.delete', { id: a.id });
  assert.deepEqual((await ok(s, 'runs.list', {})).map((r) => r.id), [fork.id]);
  // The fork keeps its history when its parent goes.
  assert.equal((await ok(s, 'runs.show', { id: fork.id })).parentId, null);
});

test('pause, resume and stop through the service; a stopped run resumes for more steps', async () => {
  const s = service();
  const run = await ok(s, 'runs.create', { config: { ...TINY, steps: 100_000, checkpointEvery: 100_000 } });
  await until(s, 'run.progress', (e) => e.id === run.id && e.metrics.step >= 3);
  await ok(s, 'runs.pause', { id: run.id });
  await until(s, 'run.status', (e) => e.id === run.id && e.status === 'paused');
  const paused = await ok(s, 'runs.show', { id: run.id });
  assert.equal(paused.status, 'paused');
  // Pausing saved a checkpoint at the step it paused on.
  assert.equal(paused.checkpoints.at(-1)?.step, paused.step);
  const conflict = await s.call('runs.start', { id: run.id });
  assert.ok(!conflict.ok && conflict.error.code === 'CONFLICT');
  await ok(s, 'runs.resume', { id: run.id });
  await until(s, 'run.progress', (e) => e.id === run.id && e.metrics.step >= paused.step + 2);
  const finished = until(s, 'run.finished', (e) => e.id === run.id);
  const stopped = await ok(s, 'runs.stop', { id: run.id });
  assert.equal(stopped.status, 'stopped');
  assert.equal((await finished).summary?.status, 'stopped');
  await ok(s, 'runs.resume', { id: run.id, steps: 2 });
  const done = await until(s, 'run.finished', (e) => e.id === run.id);
  assert.equal(done.summary?.status, 'completed');
  assert.equal(done.summary?.steps, stopped.step + 2);
});

test('datasets through the service: import with progress events, gallery pages by class, cover, cancel, delete', async () => {
  const { solid, write, RED, BLUE } = await import('../support/image-corpus.js');
  const { join } = await import('node:path');
  const s = service();
  const src = tempDir('gan-src');
  for (let i = 0; i < 30; i++) {
    write(join(src, `red/${i}.png`), await solid(20 + i, 24, [200, i * 4, 20]).png().toBuffer());
    write(join(src, `blue/${i}.jpg`), await solid(24, 20 + i, [20, i * 4, 200]).jpeg().toBuffer());
  }
  const progress: StudioEvents['dataset.import.progress'][] = [];
  s.on('dataset.import.progress', (p) => progress.push(p));
  const finished = until(s, 'dataset.import.finished', (e) => e.name === 'rb');
  const relative = await s.call('datasets.import', { paths: ['relative/folder'], name: 'rb' });
  assert.ok(!relative.ok && /must be an absolute path/.test(relative.error.message));
  const report = await ok(s, 'datasets.import', { paths: [src], name: 'rb', size: 32 });
  assert.equal(report.imported, 60);
  assert.equal((await finished).report?.imported, 60);
  assert.ok(progress.some((p) => p.phase === 'importing') && progress.at(-1)!.imported === 60, JSON.stringify(progress.at(-1)));

  const shown = await ok(s, 'datasets.show', { name: 'rb' });
  assert.deepEqual([shown.imageCount, shown.size, shown.channels, shown.classes, shown.classCounts], [60, 32, 3, ['blue', 'red'], [30, 30]]);
  const cover = await sharp(Buffer.from(shown.cover!, 'base64')).metadata();
  assert.equal(cover.width, 8 * 32 + 9 * 2);
  const page = await ok(s, 'datasets.images', { name: 'rb', label: 1, offset: 5, limit: 10 });
  assert.equal(page.total, 30);
  assert.deepEqual(page.images.map((i) => i.label), Array(10).fill(1));
  assert.equal(page.images[0].file, 'red/13.png'); // name order: 0, 1, 10, 11, …
  const { data } = await sharp(Buffer.from(page.images[0].png, 'base64')).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data[0] > 150 && data[2] < 60, `a red image is ${[...data.subarray(0, 3)]}`);
  const mnist = await ok(s, 'datasets.images', { name: 'builtin:mnist', label: 7, limit: 3 });
  assert.ok(mnist.total > 900 && mnist.images.every((i) => i.label === 7));

  // Class-conditional training needs classes; an unlabelled dataset says so up front.
  write(join(src, 'flat/one.png'), await solid(30, 30, RED).png().toBuffer());
  write(join(src, 'flat/two.png'), await solid(30, 30, BLUE).png().toBuffer());
  await ok(s, 'datasets.import', { paths: [join(src, 'flat')], name: 'flat', size: 28 });
  const refused = await s.call('runs.create', { config: { ...TINY, dataset: 'flat', model: 'cdcgan' }, start: false });
  assert.ok(!refused.ok && refused.error.code === 'INVALID_INPUT' && /has no classes/.test(refused.error.message));
  const run = await ok(s, 'runs.create', { config: { ...TINY, dataset: 'rb', model: 'cdcgan' }, start: false });
  const inUse = await s.call('datasets.delete', { name: 'rb' });
  assert.ok(!inUse.ok && inUse.error.code === 'CONFLICT');
  await ok(s, 'runs.delete', { id: run.id });
  const dirs = () => readdirSync(join(s.home, 'datasets'));
  assert.equal(dirs().length, 2);
  await ok(s, 'datasets.delete', { name: 'rb' });
  assert.equal(dirs().length, 1);
  assert.deepEqual((await ok(s, 'datasets.list', {})).map((d) => d.name), ['builtin:mnist', 'flat']);

  // Cancelling: the import stops, nothing is published, no temporary folder stays.
  const many = tempDir('gan-src');
  const png = await solid(200, 200, RED).png().toBuffer();
  for (let i = 0; i < 400; i++) write(join(many, `${i}.png`), Buffer.concat([png, Buffer.from(String(i))]));
  const started = until(s, 'dataset.import.progress', (p) => p.name === 'big' && p.phase === 'importing');
  const pending = s.call('datasets.import', { paths: [many], name: 'big' });
  await started;
  await ok(s, 'datasets.cancelImport', { name: 'big' });
  const cancelled = await pending;
  assert.ok(!cancelled.ok && cancelled.error.code === 'CANCELLED', JSON.stringify(cancelled));
  assert.deepEqual(dirs().length, 1);
  assert.deepEqual((await ok(s, 'datasets.list', {})).map((d) => d.name), ['builtin:mnist', 'flat']);
});

test('the explorer through the service: any checkpoint, truncation, PCA directions, a GIF walk, favourites, exports', async () => {
  const { readdirSync: ls, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const s = service();
  const run = await ok(s, 'runs.create', { config: { ...TINY, model: 'cdcgan' } });
  await until(s, 'run.status', (e) => e.id === run.id && e.status === 'completed');
  const zDim = TINY.zDim;

  // An older checkpoint draws differently from the newest for the same latent.
  const z = [Array.from({ length: zDim }, (_, i) => Math.sin(i))];
  const newest = await ok(s, 'samples.generate', { id: run.id, latents: z, classLabel: 2 });
  const older = await ok(s, 'samples.generate', { id: run.id, step: 2, latents: z, classLabel: 2 });
  assert.deepEqual([newest.step, older.step], [4, 2]);
  assert.notEqual(newest.images[0], older.images[0]);
  const missing = await s.call('samples.generate', { id: run.id, step: 3 });
  assert.ok(!missing.ok && /no checkpoint at step 3; it has 2, 4/.test(missing.error.message));
  // Truncation 0 pulls every latent onto the mean: one image, whatever the seed.
  const flat = await ok(s, 'samples.generate', { id: run.id, count: 3, seed: 9, classLabel: 1, truncation: 0 });
  assert.ok(flat.images.every((im) => im === flat.images[0]));
  assert.ok(flat.latents.flat().every((v) => v === 0));
  const wrong = await s.call('samples.generate', { id: run.id, latents: [[1, 2, 3]] });
  assert.ok(!wrong.ok && /each latent needs 16 numbers/.test(wrong.error.message));

  const dirs = await ok(s, 'latent.directions', { id: run.id, k: 3, samples: 64 });
  assert.equal(dirs.directions.length, 3);
  for (const d of dirs.directions) assert.ok(d.length === zDim && Math.abs(Math.hypot(...d) - 1) < 1e-4);
  assert.ok(dirs.explained[0] >= dirs.explained[1] && dirs.explained[1] >= dirs.explained[2] && dirs.explained[0] > 0);

  const keyframes = [1, 2, 3].map((seed) => Array.from({ length: zDim }, (_, i) => Math.cos(seed * i)));
  const walk = await ok(s, 'latent.walk', { id: run.id, keyframes, frames: 7, scale: 2, classLabel: 5 });
  const gif = await sharp(Buffer.from(walk.gif, 'base64'), { pages: -1 }).metadata();
  assert.deepEqual([gif.format, gif.pages, gif.width], ['gif', 7, 56]);

  const fav = await ok(s, 'favorites.save', { id: run.id, name: 'a round one', latent: z[0], classLabel: 2 });
  await ok(s, 'favorites.save', { id: run.id, name: 'another', latent: keyframes[0] });
  const short = await s.call('favorites.save', { id: run.id, name: 'bad', latent: [1] });
  assert.ok(!short.ok && /has 16 numbers/.test(short.error.message));
  assert.deepEqual((await ok(s, 'favorites.list', { id: run.id })).map((f) => f.name), ['a round one', 'another']);
  assert.deepEqual((await ok(s, 'favorites.list', { id: run.id }))[0].latent, z[0]);
  await ok(s, 'favorites.delete', { id: run.id, favoriteId: fav.id });
  assert.deepEqual((await ok(s, 'favorites.list', { id: run.id })).map((f) => f.name), ['another']);

  const images = await ok(s, 'export.images', { id: run.id, count: 2, perClass: true });
  assert.equal(images.count, 20);
  assert.deepEqual(ls(images.dir).sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.ok(images.dir.startsWith(join(s.home, 'exports')));
  const model = await ok(s, 'export.model', { id: run.id });
  assert.deepEqual(ls(model.dir).sort(), ['model.json', 'weights.bin']);
  assert.ok(existsSync(join(model.dir, 'model.json')));

  // A walk by seeds walks the latents samples.generate draws for those seeds.
  const [l3, l8] = await Promise.all([3, 8].map(async (seed) => (await ok(s, 'samples.generate', { id: run.id, count: 1, seed })).latents[0]));
  const bySeeds = await ok(s, 'latent.walk', { id: run.id, seeds: [3, 8], frames: 4, spherical: false, scale: 1 });
  const byLatents = await ok(s, 'latent.walk', { id: run.id, keyframes: [l3, l8], frames: 4, spherical: false, scale: 1 });
  assert.equal(bySeeds.gif, byLatents.gif);
  const both = await s.call('latent.walk', { id: run.id, seeds: [3, 8], keyframes: [l3, l8] });
  assert.ok(!both.ok && /as latents or as seeds, not both/.test(both.error.message));
});

test('only the command line’s own service writes where it is told (out), with a grid and progress; a page’s is refused and nothing is written', async () => {
  const { readdirSync: ls, existsSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const s = service();
  const run = await ok(s, 'runs.create', { config: { ...TINY, model: 'cdcgan', steps: 2 } });
  await until(s, 'run.status', (e) => e.id === run.id && e.status === 'completed');
  const out = join(tempDir(), 'picked');
  const refused = await s.call('export.images', { id: run.id, count: 3, out });
  assert.ok(!refused.ok && refused.error.code === 'INVALID_INPUT' && /only the command line names the folder/.test(refused.error.message));
  const refusedModel = await s.call('export.model', { id: run.id, out });
  assert.ok(!refusedModel.ok && /only the command line/.test(refusedModel.error.message));
  assert.equal(existsSync(out), false);
  const relative = await s.call('export.images', { id: run.id, count: 3, out: 'picked' });
  assert.ok(!relative.ok && /must be an absolute path/.test(relative.error.message));

  const cli = new StudioService(s.home, { localFiles: true, savedRemote: false });
  after(() => cli.close());
  const seen: StudioEvents['export.progress'][] = [];
  cli.on('export.progress', (p) => seen.push(p));
  const r = await ok(cli, 'export.images', { id: run.id, count: 3, classLabel: 3, grid: true, out, ticket: 't1' });
  assert.equal(r.dir, out);
  assert.equal(r.grid, join(out, 'grid.png'));
  assert.deepEqual(ls(out).sort(), ['0001.png', '0002.png', '0003.png', 'grid.png']);
  assert.deepEqual(seen.map((p) => [p.ticket, p.done, p.total]), [['t1', 3, 3]]);
  // The images written are the ones the explorer draws for the same seed and class.
  const drawn = await ok(s, 'samples.generate', { id: run.id, count: 3, seed: 1, classLabel: 3 });
  assert.deepEqual([1, 2, 3].map((i) => readFileSync(join(out, `000${i}.png`)).toString('base64')), drawn.images);
  const both = await cli.call('export.images', { id: run.id, count: 3, perClass: true, classLabel: 1, out });
  assert.ok(!both.ok && /not both/.test(both.error.message));
});
