/**
 * Augmentation studies: the protocol (test images never reach a GAN's or a
 * classifier's training set; a seed draws the same K images, GAN latents and
 * classifier every time), the report's figures against values worked out by
 * hand, and the service end to end — GAN runs trained on the subset and
 * found again by a second study, cells saved as they finish, a study that
 * survives the service closing mid-way, refusals of bad input.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../../main/datasets/mnist.js';
import { applySubset, studySplit, subsetIndices } from '../../main/datasets/subset.js';
import { runCell } from '../../main/studies/cell.js';
import { figure, studyCsv, studyReport } from '../../main/studies/report.js';
import { flipsAllowed } from '../../main/studies/settings.js';
import { Trainer } from '../../main/families/gan/trainer.js';
import type { StudyCell } from '../../main/studies/cell.js';
import { StudioService } from '../../main/service/studio-service.js';
import { onBackend, tempDir, tinyConfig } from '../support/helpers.js';
import { ok, until } from '../support/service.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
const mnist = loadMnist();

before(() => onBackend('wasm'));

test('the test images are a fixed fifth of each class that no subset ever draws; a seed draws the same K per class, nested in its larger K', () => {
  const split = studySplit(mnist.labels, 10);
  const test = new Set(split.test);
  const counts = new Array<number>(10).fill(0);
  for (const k of split.test) counts[mnist.labels![k]]++;
  split.pool.forEach((pool, c) => {
    assert.equal(counts[c], Math.round((pool.length + counts[c]) * 0.2), `class ${c}: a fifth held out`);
    assert.ok(pool.every((k) => !test.has(k) && mnist.labels![k] === c));
  });
  assert.equal(split.test.length + split.pool.reduce((a, p) => a + p.length, 0), mnist.count, 'every image is tested on or in the pool');
  const ten = subsetIndices(split, { perClass: 10, seed: 1 });
  const fifty = subsetIndices(split, { perClass: 50, seed: 1 });
  const otherSeed = subsetIndices(split, { perClass: 10, seed: 2 });
  const all = subsetIndices(split, { perClass: 'all', seed: 7 });
  for (const s of [ten, fifty, otherSeed, all]) assert.ok(s.every((k) => !test.has(k)), 'no test image in a subset');
  assert.equal(ten.length, 100);
  assert.deepEqual(Array.from({ length: 10 }, (_, c) => ten.filter((k) => mnist.labels![k] === c).length), new Array(10).fill(10));
  assert.ok(ten.every((k) => fifty.includes(k)), "a seed's 10 per class are among its 50");
  assert.deepEqual(subsetIndices(studySplit(mnist.labels, 10), { perClass: 10, seed: 1 }), ten, 'the same seed, the same images');
  assert.ok(otherSeed.some((k) => !ten.includes(k)), 'another seed draws other images');
  assert.equal(all.length, mnist.count - split.test.length);

  // What a run with a subset trains on: exactly those images, none of the test set.
  const data = applySubset(mnist, { perClass: 10, seed: 1 });
  assert.equal(data.count, 100);
  const per = 28 * 28;
  const key = (pixels: Uint8Array, i: number) => Buffer.from(pixels.subarray(i * per, (i + 1) * per)).toString('base64');
  const testImages = new Set(Array.from(split.test, (k) => key(mnist.pixels, k)));
  const subsetImages = new Set(Array.from(ten, (k) => key(mnist.pixels, k)));
  for (let i = 0; i < data.count; i++) {
    assert.ok(subsetImages.has(key(data.pixels, i)), `image ${i} comes from the subset`);
    assert.ok(!testImages.has(key(data.pixels, i)), `image ${i} is not a test image`);
  }
  assert.throws(() => applySubset({ ...mnist, labels: null }, { perClass: 10, seed: 1 }), /no class labels/);
});

test('the same seed reproduces a cell to the last digit; another seed gives another cell', async () => {
  const g = Trainer.create(tinyConfig({ model: 'cdcgan', backend: 'wasm' }), mnist);
  try {
    const settings = { classifier: 'small' as const, steps: 12, batch: 16, lr: 2e-3, flips: false, multipliers: [0, 1] };
    const progress: number[] = [];
    const a = await runCell(mnist, { perClass: 5, seed: 3 }, g, settings, (p) => progress.push(p.done / p.total));
    const b = await runCell(mnist, { perClass: 5, seed: 3 }, g, settings);
    const c = await runCell(mnist, { perClass: 5, seed: 4 }, g, settings);
    assert.deepEqual(a.map((x) => [x.arm, x.multiplier, x.realCount, x.syntheticCount]), [['real', 0, 50, 0], ['synthetic', 1, 50, 50], ['classic', 0, 50, 0]]);
    assert.deepEqual(b.map((x) => [x.accuracy, x.perClass]), a.map((x) => [x.accuracy, x.perClass]));
    assert.notDeepEqual(c.map((x) => x.accuracy), a.map((x) => x.accuracy));
    assert.ok(a.every((x) => x.accuracy > 0.1 && x.accuracy <= 1), 'every arm learns something from 50 images');
    assert.equal(progress.at(-1), 1);
    // The three arms differ by their data alone; with no training the synthetic arm still differs from real alone.
    assert.notEqual(a[0].accuracy, a[1].accuracy);
  } finally {
    g.dispose();
  }
});

const cell = (perClassKey: string, seed: number, arm: StudyCell['arm'], multiplier: number, accuracy: number, perClass = [accuracy, accuracy]): StudyCell => ({
  perClassKey,
  seed,
  arm,
  multiplier,
  accuracy,
  perClass,
  realCount: perClassKey === 'all' ? 300 : 2 * Number(perClassKey),
  syntheticCount: 0,
  runId: null,
  ms: 1000,
});

test("the report: means and spreads over seeds, each M's gain seed by seed, the best M, per-class changes, the verdict in words, and CSV", () => {
  const cells = [
    cell('10', 1, 'real', 0, 0.6, [0.5, 0.7]),
    cell('10', 2, 'real', 0, 0.7, [0.6, 0.8]),
    cell('10', 1, 'synthetic', 1, 0.65, [0.6, 0.7]),
    cell('10', 2, 'synthetic', 1, 0.74, [0.7, 0.78]),
    cell('10', 1, 'synthetic', 4, 0.5),
    cell('10', 2, 'synthetic', 4, 0.55),
    cell('10', 1, 'classic', 0, 0.7),
    cell('10', 2, 'classic', 0, 0.72),
    cell('all', 1, 'real', 0, 0.9),
    cell('all', 2, 'real', 0, 0.92),
    cell('all', 1, 'synthetic', 1, 0.85),
    cell('all', 2, 'synthetic', 1, 0.9),
    cell('all', 1, 'classic', 0, 0.91),
    cell('all', 2, 'classic', 0, 0.93),
  ];
  const f = figure([0.6, 0.7]);
  assert.ok(Math.abs(f.mean - 0.65) < 1e-12 && Math.abs(f.sd - Math.sqrt(0.005)) < 1e-12, 'sample standard deviation of 0.6 and 0.7 is √0.005');
  const r = studyReport(cells, ['a', 'b']);
  assert.deepEqual(r.rows.map((x) => x.perClassKey), ['10', 'all']);
  const [k10, kAll] = r.rows;
  assert.ok(Math.abs(k10.real!.mean - 0.65) < 1e-12);
  const m1 = k10.synthetic.find((s) => s.multiplier === 1)!;
  assert.ok(Math.abs(m1.gain!.mean - 0.045) < 1e-12 && Math.abs(m1.gain!.min - 0.04) < 1e-12, 'gains 0.05 and 0.04 seed by seed');
  assert.equal(k10.bestMultiplier, 1);
  assert.equal(k10.verdict, 'helped');
  assert.ok(Math.abs(k10.perClass[0].change - (0.65 - 0.55)) < 1e-12 && Math.abs(k10.perClass[1].change - (0.74 - 0.75)) < 1e-12);
  assert.equal(kAll.bestMultiplier, 0, 'real alone beats every synthetic mix');
  assert.equal(kAll.verdict, 'hurt');
  assert.equal(kAll.realPerClass, 150);
  assert.match(r.sentence, /Synthetic data helped at K = 10 \(\+4\.5 points at best, M = 1K/);
  assert.match(r.sentence, /Synthetic data hurt here at all images \(−3\.5 points at best/);
  // Classic: 71 % at K = 10 against the best mix's 69.5 %, 92 % at all against 87.5 %.
  assert.match(r.sentence, /Classic augmentation did at least as well as the best synthetic mix at every K\.$/);
  const csv = studyCsv(cells, ['a', 'b']).trim().split('\n');
  assert.equal(csv.length, cells.length + 1);
  assert.equal(csv[0], 'per_class,seed,arm,synthetic_multiplier,real_images,synthetic_images,accuracy,gan_run,seconds,accuracy_a,accuracy_b');
  assert.equal(csv[1], '10,1,real,0,20,0,0.6,,1,0.5,0.7');
  assert.equal(flipsAllowed('auto', ['0', '1']), false);
  assert.equal(flipsAllowed('auto', ['Sandal', 'Bag']), true);
});

test('through the service: GAN runs trained on the subset and found again, cells saved as they finish, a study that survives a restart, bad input refused', async () => {
  const home = tempDir('gan-augment');
  let service = new StudioService(home);
  try {
    const bad = await service.call('augment.start', { dataset: 'builtin:mnist', perClass: ['many'] });
    assert.equal(!bad.ok && bad.error.code, 'INVALID_INPUT');
    const unknown = await service.call('augment.start', { dataset: 'nope' });
    assert.equal(!unknown.ok && unknown.error.code, 'NOT_FOUND');

    const settings = { dataset: 'builtin:mnist', perClass: [4], synthetic: [0, 2], seeds: 2, steps: 8, batch: 16, classifier: 'small', ganSteps: 3 };
    const first = await ok(service, 'augment.start', settings);
    const done = await until(service, 'augment.status', (e) => e.id === first.id && e.status !== 'running');
    assert.equal(done.status, 'completed', done.error ?? '');
    const d = await ok(service, 'augment.show', { id: first.id });
    assert.deepEqual(d.gans.map((g) => [g.key, g.trained, g.status]), [['4/1', true, 'completed'], ['4/2', true, 'completed']]);
    for (const g of d.gans) {
      const run = await ok(service, 'runs.show', { id: g.runId });
      assert.deepEqual(run.config.subset, { perClass: 4, seed: Number(g.key.split('/')[1]) });
      assert.equal(run.config.model, 'cdcgan');
      assert.ok(run.tags.includes('augment-study'));
    }
    assert.equal(d.cells.length, 2 * 3, 'two seeds × (real, +2K, classic)');
    assert.ok(d.cells.every((c) => c.realCount === 40 && c.syntheticCount === (c.arm === 'synthetic' ? 80 : 0)));
    assert.deepEqual(new Set(d.cells.map((c) => c.runId)), new Set(d.gans.map((g) => g.runId)), "each seed's cells name its GAN");
    assert.equal(d.report.rows.length, 1);
    assert.ok(d.report.sentence.length > 20);

    // A second study over the same subsets trains nothing new.
    const runsBefore = (await ok(service, 'runs.list', {})).length;
    const second = await ok(service, 'augment.start', { ...settings, seeds: 1, trainGans: false });
    assert.deepEqual(Object.values(second.runs).map((r) => [r.runId, r.trained]), [[d.gans[0].runId, false]]);
    await until(service, 'augment.status', (e) => e.id === second.id && e.status !== 'running');
    assert.equal((await ok(service, 'runs.list', {})).length, runsBefore);

    // Closed after its first cell: interrupted, and resumed without measuring that cell again.
    const third = await ok(service, 'augment.start', { dataset: 'builtin:mnist', perClass: [3, 5, 7], synthetic: [0], seeds: 1, steps: 40, batch: 16, classifier: 'small' });
    await until(service, 'augment.progress', (e) => e.id === third.id && e.cellsDone >= 1);
    await service.close();
    service = new StudioService(home);
    const lost = await ok(service, 'augment.show', { id: third.id });
    assert.equal(lost.status, 'interrupted');
    assert.ok(lost.cellsDone >= 1 && lost.cellsDone < 3, `${lost.cellsDone} cells saved`);
    const kept = lost.cells.filter((c) => c.perClassKey === '3');
    await ok(service, 'augment.resume', { id: third.id });
    const end = await until(service, 'augment.status', (e) => e.id === third.id && e.status !== 'running');
    assert.equal(end.status, 'completed', end.error ?? '');
    const resumed = await ok(service, 'augment.show', { id: third.id });
    assert.equal(resumed.cellsDone, 3);
    assert.deepEqual(resumed.cells.filter((c) => c.perClassKey === '3'), kept, 'the saved cell was not measured again');
    assert.equal(resumed.gans.length, 0, 'a study without synthetic arms needs no GAN');

    const csv = await ok(service, 'augment.csv', { id: third.id });
    assert.equal(csv.csv.trim().split('\n').length, 1 + 3 * 2);
    await ok(service, 'augment.delete', { id: third.id });
    assert.equal((await service.call('augment.show', { id: third.id })).ok, false);
  } finally {
    await service.close();
  }
});

test('gan-studio augment-study: a progress-free JSON report, its CSV, the list, and a clear error for a malformed list', () => {
  const home = tempDir('gan-augment-cli');
  const csv = join(home, 'study.csv');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'augment-study', ...args], { env: { ...process.env, GAN_STUDIO_HOME: home }, encoding: 'utf8', timeout: 300_000 });
  const r = run(['--dataset', 'builtin:mnist', '--per-class', '5,8', '--synthetic', '0', '--seeds', '2', '--steps', '10', '--classifier', 'small', '--csv', csv, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { status: string; report: { rows: { perClassKey: string; real: { n: number; mean: number } }[] }; cells: unknown[] };
  assert.equal(out.status, 'completed');
  assert.deepEqual(out.report.rows.map((x) => [x.perClassKey, x.real.n]), [['5', 2], ['8', 2]]);
  assert.equal(out.cells.length, 2 * 2 * 2, 'two K × two seeds × (real, classic)');
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1 + 8);
  assert.match(lines[0], /^per_class,seed,arm,/);
  const list = run(['--list']);
  assert.match(list.stdout, /completed\s+4\/4 cells\s+builtin:mnist/);
  const badList = run(['--dataset', 'builtin:mnist', '--per-class', '5,many']);
  assert.equal(badList.status, 1);
  assert.match(badList.stderr, /--per-class takes numbers separated by commas \(or 'all'\), got "5,many"/);
});
