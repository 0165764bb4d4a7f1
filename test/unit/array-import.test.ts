/**
 * Imports of the formats datasets ship in: IDX (Fashion-MNIST's real files
 * from Debian's dataset-fashion-mnist, read back against an independent
 * parse), NumPy arrays written by NumPy itself (test/fixtures/arrays,
 * made by make_arrays.py), CIFAR batches and label CSVs — and the malformed
 * ones, each refused with what is wrong and nothing saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { openDatabase, type Db } from '../../main/db/database.js';
import { importDataset } from '../../main/datasets/import/importer.js';
import { ImportOptionsSchema, type ImportOptionsInput } from '../../main/datasets/import/options.js';
import { loadDataset } from '../../main/datasets/index.js';
import { listDatasets } from '../../main/datasets/store.js';
import { databasePath } from '../../main/db/database.js';
import { tempDir } from '../support/helpers.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const FIXTURES = new URL('../../../test/fixtures/arrays/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as { rgb: number[][]; labels: number[]; grey: number[][] };

function studio(): { home: string; db: Db } {
  const home = join(tempDir('gan-arrays'), 'home');
  return { home, db: openDatabase(databasePath(home)) };
}

function runImport(s: { home: string; db: Db }, opts: Partial<ImportOptionsInput> & { paths: string[] }) {
  return importDataset(s.db, s.home, ImportOptionsSchema.parse({ name: 'set', size: 28, ...opts }), { cancelled: false }, () => {});
}

const imageOf = (d: ReturnType<typeof loadDataset>, i: number) => Array.from(d.pixels.subarray(i * d.size * d.size * d.channels, (i + 1) * d.size * d.size * d.channels));
const classOf = (d: ReturnType<typeof loadDataset>, i: number) => d.classNames[d.labels![i]];

/** A refused import: the message matches, and no dataset or folder was left behind. */
async function refused(s: { home: string; db: Db }, paths: string[], message: RegExp, opts: Partial<ImportOptionsInput> = {}) {
  const before = listDatasets(s.db).map((d) => d.name);
  const folders = existsSync(join(s.home, 'datasets')) ? readdirSync(join(s.home, 'datasets')) : [];
  await assert.rejects(runImport(s, { paths, name: 'bad', ...opts }), (err: Error) => {
    assert.match(err.message, message);
    assert.match(err.message, /nothing was imported/);
    return true;
  });
  assert.deepEqual(listDatasets(s.db).map((d) => d.name), before);
  assert.deepEqual(existsSync(join(s.home, 'datasets')) ? readdirSync(join(s.home, 'datasets')) : [], folders);
}

test("Fashion-MNIST's IDX files: gzipped or not, images and labels exactly as an independent parse reads them, classes.txt names the classes", async (t) => {
  if (!existsSync(join(FASHION, 't10k-images-idx3-ubyte.gz'))) {
    // .ci/run installs it; elsewhere (macOS, Windows) the test has no real IDX file to read.
    if (process.env.CI) assert.fail(`${FASHION} is missing: .ci/run installs dataset-fashion-mnist`);
    return t.skip(`${FASHION} is not here (Debian's dataset-fashion-mnist)`);
  }
  const rawImages = gunzipSync(readFileSync(join(FASHION, 't10k-images-idx3-ubyte.gz')));
  const rawLabels = gunzipSync(readFileSync(join(FASHION, 't10k-labels-idx1-ubyte.gz')));
  assert.equal(rawImages.readUInt32BE(0), 0x803);
  const s = studio();
  const gz = tempDir('gan-idx');
  for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(FASHION, f), join(gz, f));
  const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  writeFileSync(join(gz, 'classes.txt'), names.join('\n'));
  const report = await runImport(s, { paths: [gz], name: 'fashion-test' });
  assert.equal(report.imported + report.duplicates, 10_000);
  assert.equal(report.channels, 1);
  assert.deepEqual(report.skipped, []);
  assert.deepEqual(new Set(report.classes.map((c) => c.name)), new Set(names));
  assert.ok(report.notes.some((n) => /10,000 images of 28×28, labelled from t10k-labels-idx1-ubyte\.gz/.test(n)), report.notes.join('\n'));
  const d = loadDataset(s.db, s.home, 'fashion-test');
  // Exact copies are dropped (none in the test set); every kept image is the IDX file's, in order, with its label.
  assert.equal(d.count, 10_000);
  for (const i of [0, 1, 4321, 9999]) {
    assert.deepEqual(imageOf(d, i), Array.from(rawImages.subarray(16 + i * 784, 16 + (i + 1) * 784)), `image ${i}`);
    assert.equal(classOf(d, i), names[rawLabels[8 + i]], `label ${i}`);
  }
  for (const c of report.classes) assert.equal(c.count, 1000);

  // The same files unpacked import to the same pixels; at 32 px they are resized like any image.
  const plain = tempDir('gan-idx');
  writeFileSync(join(plain, 't10k-images-idx3-ubyte'), rawImages);
  writeFileSync(join(plain, 't10k-labels-idx1-ubyte'), rawLabels);
  await runImport(s, { paths: [plain], name: 'unpacked' });
  assert.deepEqual(loadDataset(s.db, s.home, 'unpacked').pixels, d.pixels);
  assert.deepEqual(loadDataset(s.db, s.home, 'unpacked').classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const first = rawImages.subarray(16, 16 + 784);
  const want = await sharp(first, { raw: { width: 28, height: 28, channels: 1 } }).resize(32, 32, { fit: 'cover' }).toColourspace('b-w').raw().toBuffer();
  await runImport(s, { paths: [join(plain, 't10k-images-idx3-ubyte')], name: 'at32', size: 32 });
  const at32 = loadDataset(s.db, s.home, 'at32');
  assert.equal(at32.labels, null, 'images without their labels file import unlabelled');
  assert.deepEqual(imageOf(at32, 0), Array.from(want));

  // Malformed: truncated, wrong magic, a gzip named as plain, labels that do not match.
  const bad = tempDir('gan-idx-bad');
  writeFileSync(join(bad, 'train-images-idx3-ubyte'), rawImages.subarray(0, rawImages.length - 1000));
  await refused(s, [bad], /train-images-idx3-ubyte: truncated: the header promises \(10000 × 28 × 28\) values, 7,840,016 bytes, and the file has 7,839,016/);
  writeFileSync(join(bad, 'train-images-idx3-ubyte'), await sharp(first, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
  await refused(s, [bad], /not an IDX file: it starts 89 50 4e 47/);
  writeFileSync(join(bad, 'train-images-idx3-ubyte'), gzipSync(rawImages));
  await refused(s, [bad], /gzip-compressed; name it \.gz/);
  writeFileSync(join(bad, 'train-images-idx3-ubyte'), rawImages);
  const shortLabels = Buffer.from(rawLabels.subarray(0, rawLabels.length - 1));
  shortLabels.writeUInt32BE(9999, 4);
  writeFileSync(join(bad, 'train-labels-idx1-ubyte'), shortLabels);
  await refused(s, [bad], /10,000 images but 9,999 labels in .*train-labels-idx1-ubyte/);
  writeFileSync(join(bad, 'train-labels-idx1-ubyte'), rawLabels);
  writeFileSync(join(bad, 'classes.txt'), 'one\ntwo\n');
  await refused(s, [bad], /labels run to 9, but the class-name file beside it names 2 classes/);
  writeFileSync(join(bad, 'train-images-idx3-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0]));
  await refused(s, [bad], /the header is cut short: 3 dimensions need 16 bytes, the file has 6/);
  s.db.close();
});

test('NumPy arrays written by NumPy: .npz pairs x_train/y_train and images/labels, NHWC or NCHW, bytes or floats, one-hot labels; loose x.npy + y.npy; KMNIST-style one-array files', async () => {
  const s = studio();
  // keras-style.npz: x_train (6, 8, 8, 3) uint8 with y_train, x_test (2, …) with y_test, compressed.
  const r = await runImport(s, { paths: [fixture('keras-style.npz')], name: 'keras', size: 28 });
  assert.equal(r.imported, 8);
  const k = loadDataset(s.db, s.home, 'keras');
  // Order: x_train then x_test, as NumPy saved them; labels follow their images.
  const order = [0, 1, 2, 3, 4, 5, 6, 7];
  assert.deepEqual(order.map((i) => classOf(k, i)), expected.labels.map(String));
  // At the arrays' own size the pixels are NumPy's exactly.
  const exact = await runImport(s, { paths: [fixture('planes-onehot.npz')], name: 'planes', size: 28 });
  assert.equal(exact.imported, 8);
  assert.deepEqual(
    loadDataset(s.db, s.home, 'planes').labels && order.map((i) => classOf(loadDataset(s.db, s.home, 'planes'), i)),
    expected.labels.map(String),
  );
  // 8×8 images fitted to 28 px: the float planes (÷255, channels first) and the bytes give the same pixels.
  assert.deepEqual(loadDataset(s.db, s.home, 'planes').pixels, k.pixels);
  const want = await sharp(Buffer.from(expected.rgb[0]), { raw: { width: 8, height: 8, channels: 3 } }).resize(28, 28, { fit: 'cover' }).raw().toBuffer();
  assert.deepEqual(imageOf(k, 0), Array.from(want));

  // Loose x.npy ([-1, 1] float64 grey 6×6) with y.npy (big-endian int16) in one folder.
  const loose = tempDir('gan-npy');
  for (const f of ['x.npy', 'y.npy']) copyFileSync(fixture(f), join(loose, f));
  await runImport(s, { paths: [loose], name: 'loose', size: 28 });
  const l = loadDataset(s.db, s.home, 'loose');
  assert.equal(l.channels, 1);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => classOf(l, i)), ['1', '0', '1', '0', '1']);
  const grey = await sharp(Buffer.from(expected.grey[2]), { raw: { width: 6, height: 6, channels: 1 } }).resize(28, 28, { fit: 'cover' }).toColourspace('b-w').raw().toBuffer();
  assert.deepEqual(imageOf(l, 2), Array.from(grey));

  // KMNIST's .npz pair: one array per file, paired by file name.
  const kmnist = tempDir('gan-kmnist');
  for (const f of ['kmnist-test-imgs.npz', 'kmnist-test-labels.npz']) copyFileSync(fixture(f), join(kmnist, f));
  await runImport(s, { paths: [kmnist], name: 'kmnist', size: 28 });
  const km = loadDataset(s.db, s.home, 'kmnist');
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => classOf(km, i)), ['2', '2', '0', '1', '0']);
  assert.deepEqual(imageOf(km, 2), imageOf(l, 2));

  // Malformed: a label array one short, Fortran order, values out of every image range, not .npy at all, an .npz that is not a zip.
  await refused(s, [fixture('short-labels.npz')], /short-labels\.npz: 8 images but 7 labels in short-labels\.npz:y/);
  await refused(s, [fixture('fortran.npy')], /Fortran order; save it with np\.ascontiguousarray/);
  const bad = tempDir('gan-npy-bad');
  const wide = Buffer.from(readFileSync(fixture('x.npy')));
  // Scale the float64 values by 1000: no image range holds them.
  for (let o = wide.length - 5 * 36 * 8; o < wide.length; o += 8) wide.writeDoubleLE(wide.readDoubleLE(o) * 1000, o);
  writeFileSync(join(bad, 'wide.npy'), wide);
  await refused(s, [join(bad, 'wide.npy')], /values run from -968\.6\d* to 968\.6\d*; images must lie in 0–255, 0–1 or −1–1/);
  writeFileSync(join(bad, 'not.npy'), 'just text');
  await refused(s, [join(bad, 'not.npy')], /not a NumPy \.npy file/);
  writeFileSync(join(bad, 'cut.npy'), readFileSync(fixture('x.npy')).subarray(0, 300));
  await refused(s, [join(bad, 'cut.npy')], /truncated: shape \(5, 6, 6\) of <f8 needs 1,440 bytes of values/);
  writeFileSync(join(bad, 'broken.npz'), Buffer.from('PK\x03\x04 not really'));
  await refused(s, [join(bad, 'broken.npz')], /not a readable \.npz \(zip\) archive/);
  s.db.close();
});

/** A CIFAR-10 batch: label byte, then the red, green and blue 32×32 planes, per record. */
function cifarBatch(labels: number[], seed: number): { bytes: Buffer; rgb: Buffer[] } {
  const rgb: Buffer[] = [];
  const records = labels.map((label, i) => {
    const rec = Buffer.alloc(3073);
    rec[0] = label;
    const px = Buffer.alloc(3072);
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) px[p * 3 + c] = (p * (c + 1) + i * 37 + seed * 101) & 255;
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) rec[1 + c * 1024 + p] = px[p * 3 + c];
    rgb.push(px);
    return rec;
  });
  return { bytes: Buffer.concat(records), rgb };
}

test('CIFAR binary batches: channel planes become pixels, batches.meta.txt and fine_label_names.txt name the classes; a cut batch and a label past the classes are refused', async () => {
  const s = studio();
  const dir = tempDir('gan-cifar');
  const a = cifarBatch([3, 0, 9], 1);
  const b = cifarBatch([1, 1], 2);
  writeFileSync(join(dir, 'data_batch_1.bin'), a.bytes);
  writeFileSync(join(dir, 'test_batch.bin'), b.bytes);
  const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
  writeFileSync(join(dir, 'batches.meta.txt'), `${names.join('\n')}\n\n`);
  const r = await runImport(s, { paths: [dir], name: 'cifar', size: 32 });
  assert.equal(r.imported, 5);
  assert.equal(r.channels, 3);
  const d = loadDataset(s.db, s.home, 'cifar');
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => classOf(d, i)), ['cat', 'airplane', 'truck', 'automobile', 'automobile']);
  assert.deepEqual(imageOf(d, 0), Array.from(a.rgb[0]));
  assert.deepEqual(imageOf(d, 4), Array.from(b.rgb[1]));

  // CIFAR-100: coarse and fine label bytes, the fine ones named by fine_label_names.txt.
  const hundred = tempDir('gan-cifar100');
  const recs = a.bytes.subarray(0, 3073 * 2);
  const withCoarse = Buffer.concat([0, 1].map((i) => Buffer.concat([Buffer.from([7]), recs.subarray(i * 3073, (i + 1) * 3073)])));
  withCoarse[1] = 5;
  withCoarse[3074 + 1] = 99;
  writeFileSync(join(hundred, 'train.bin'), withCoarse);
  writeFileSync(join(hundred, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n'));
  writeFileSync(join(hundred, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n'));
  await runImport(s, { paths: [hundred], name: 'cifar100', size: 32 });
  const h = loadDataset(s.db, s.home, 'cifar100');
  assert.deepEqual([classOf(h, 0), classOf(h, 1)], ['fine5', 'fine99']);
  assert.deepEqual(imageOf(h, 1), Array.from(a.rgb[1]));
  // A train.bin that is not whole CIFAR-100 records is just a file that is not an image.
  const photos = tempDir('gan-notcifar');
  writeFileSync(join(photos, 'a.png'), await sharp({ create: { width: 9, height: 9, channels: 3, background: '#336699' } }).png().toBuffer());
  writeFileSync(join(photos, 'train.bin'), Buffer.alloc(100, 1));
  const mixed = await runImport(s, { paths: [photos], name: 'not-cifar', size: 32 });
  assert.equal(mixed.imported, 1);
  assert.match(mixed.skipped.find((k) => k.file === 'train.bin')!.detail, /named like a CIFAR-100 batch, but 100 bytes is not a whole number of 3,074-byte records/);

  const bad = tempDir('gan-cifar-bad');
  writeFileSync(join(bad, 'data_batch_1.bin'), a.bytes.subarray(0, 3073 * 2 + 100));
  await refused(s, [bad], /data_batch_1\.bin: truncated or not a CIFAR-10 batch: 6,246 bytes is not a whole number of 3,073-byte records/);
  const wrong = Buffer.from(a.bytes);
  wrong[3073] = 12;
  writeFileSync(join(bad, 'data_batch_1.bin'), wrong);
  await refused(s, [bad], /record 1 has label 12; CIFAR-10 has 10 classes/);
  s.db.close();
});

test('a label CSV (file, label) labels the images it names; images it leaves out and files it names that are missing are listed; a malformed row is refused with its line', async () => {
  const s = studio();
  const dir = tempDir('gan-csv');
  const solid = (r: number, g: number, b: number) => sharp({ create: { width: 12, height: 12, channels: 3, background: { r, g, b } } }).png().toBuffer();
  writeFileSync(join(dir, 'a.png'), await solid(250, 0, 0));
  writeFileSync(join(dir, 'b.png'), await solid(0, 250, 0));
  writeFileSync(join(dir, 'c.png'), await solid(0, 0, 250));
  writeFileSync(join(dir, 'stray.png'), await solid(9, 9, 9));
  writeFileSync(join(dir, 'labels.csv'), 'filename,label\na.png,warm\n"b.png",cool\nc.png,cool\nmissing.png,warm\n');
  const r = await runImport(s, { paths: [dir], name: 'csv', size: 28 });
  assert.equal(r.imported, 3);
  assert.deepEqual(r.classes, [
    { name: 'cool', count: 2 },
    { name: 'warm', count: 1 },
  ]);
  assert.deepEqual(
    r.skipped.map((k) => [k.file, k.reason]),
    [
      ['missing.png', 'unreadable'],
      ['stray.png', 'no-class'],
    ],
  );
  const d = loadDataset(s.db, s.home, 'csv');
  assert.deepEqual([0, 1, 2].map((i) => classOf(d, i)), ['warm', 'cool', 'cool']);
  // The CSV given on its own finds its images beside it.
  const alone = await runImport(s, { paths: [join(dir, 'labels.csv')], name: 'csv-alone', size: 28 });
  assert.equal(alone.imported, 3);
  // A CSV of something else is not a label file: reported as before, the images import by folder.
  writeFileSync(join(dir, 'labels.csv'), 'x,y,z\n1,2,3\n');
  const other = await runImport(s, { paths: [dir], name: 'csv-other', size: 28 });
  assert.equal(other.imported, 4);
  assert.ok(other.skipped.some((k) => k.file === 'labels.csv' && k.reason === 'not-image'));
  writeFileSync(join(dir, 'labels.csv'), 'file,class\na.png,warm\nb.png,cool,extra\n');
  await refused(s, [dir], /labels\.csv line 3: 3 fields where the header has 2/);
  writeFileSync(join(dir, 'labels.csv'), 'file,class\na.png,warm\na.png,cool\n');
  await refused(s, [dir], /labels\.csv line 3: a\.png is labelled both warm and cool/);
  s.db.close();
});
