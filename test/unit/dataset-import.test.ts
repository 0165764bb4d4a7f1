import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { openDatabase, type Db } from '../../main/db/database.js';
import { importDataset } from '../../main/datasets/import/importer.js';
import { ImportOptionsSchema, type ImportOptionsInput } from '../../main/datasets/import/options.js';
import { loadDataset } from '../../main/datasets/index.js';
import { listDatasets, sweepDatasetFolders } from '../../main/datasets/store.js';
import { StudioError } from '../../main/errors.js';
import { databasePath } from '../../main/db/database.js';
import { BLUE, bmp, GREEN, pngBombHeader, RED, solid, stripes, write, zip, type Rgb } from '../support/image-corpus.js';
import { tempDir } from '../support/helpers.js';

function studio(): { home: string; db: Db } {
  const home = join(tempDir('gan-import'), 'home');
  const db = openDatabase(databasePath(home));
  return { home, db };
}

function runImport(s: { home: string; db: Db }, opts: Partial<ImportOptionsInput> & { paths: string[] }) {
  return importDataset(s.db, s.home, ImportOptionsSchema.parse({ name: 'set', ...opts }), { cancelled: false }, () => {});
}

/** Pixel (x, y) of image i of a loaded dataset. */
function pixel(d: ReturnType<typeof loadDataset>, i: number, x: number, y: number): number[] {
  const o = ((i * d.size + y) * d.size + x) * d.channels;
  return Array.from(d.pixels.subarray(o, o + d.channels));
}

const near = (got: number[], want: Rgb, tol = 12) => got.every((v, k) => Math.abs(v - want[k]) <= tol);

/** Everything under a folder with sizes and mtimes (names as raw bytes): proof that nothing there was written. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: Buffer) => {
    for (const e of readdirSync(d, { withFileTypes: true, encoding: 'buffer' })) {
      const p = Buffer.concat([d, Buffer.from('/'), e.name]);
      const shown = p.toString('latin1');
      if (e.isSymbolicLink()) out.push(`${shown} -> link`);
      else if (e.isDirectory()) walk(p);
      else out.push(`${shown} ${statSync(p).size} ${statSync(p).mtimeMs}`);
    }
  };
  walk(Buffer.from(dir));
  return out.sort();
}

test('a folder of mixed real-world images: every format, classes from subfolders, duplicates counted, broken files skipped with reasons', async () => {
  const src = tempDir('gan-src');
  const wide = stripes(120, 60, [RED, BLUE]);
  // Class "apples": one of each format, all sizes and aspect ratios.
  write(join(src, 'apples/a.png'), await wide.clone().png().toBuffer());
  write(join(src, 'apples/b.jpg'), await solid(300, 200, RED).jpeg().toBuffer());
  write(join(src, 'apples/c.webp'), await solid(50, 90, RED).webp().toBuffer());
  write(join(src, 'apples/d.tiff'), await solid(64, 64, RED).tiff().toBuffer());
  write(join(src, 'apples/e.bmp'), bmp(33, 17, RED));
  write(join(src, 'apples/f.avif'), await solid(40, 40, RED).avif().toBuffer());
  // Animated GIF: only its first frame (green) is taken.
  const frames = Buffer.concat([await solid(20, 20, GREEN).raw().toBuffer(), await solid(20, 20, BLUE).raw().toBuffer()]);
  write(join(src, 'apples/g.gif'), await sharp(frames, { raw: { width: 20, height: 40, channels: 3, pageHeight: 20 } }).gif().toBuffer());
  // 16-bit PNG and a grayscale JPEG.
  write(join(src, 'apples/h16.png'), await solid(30, 30, RED).png().toColourspace('rgb16').toBuffer());
  write(join(src, 'apples/i-gray.jpg'), await solid(30, 30, [128, 128, 128]).grayscale().jpeg().toBuffer());
  // Class "pears", in a nested folder: still class "pears".
  write(join(src, 'pears/deep/er/p1.png'), await solid(70, 70, GREEN).png().toBuffer());
  write(join(src, 'pears/p2.jpeg'), await solid(70, 30, GREEN).jpeg().toBuffer());
  // A PNG named .jpg: imported, with a note.
  write(join(src, 'pears/misnamed.jpg'), await solid(16, 16, GREEN).png().toBuffer());
  // Duplicates: the same bytes twice, once across classes.
  write(join(src, 'pears/p1-copy.png'), readFileSync(join(src, 'pears/deep/er/p1.png')));
  write(join(src, 'pears/zz-copy-of-apple.png'), readFileSync(join(src, 'apples/a.png')));
  // Broken and hostile files.
  write(join(src, 'apples/empty.png'), Buffer.alloc(0));
  const jpeg = await solid(100, 100, RED).jpeg().toBuffer();
  write(join(src, 'apples/truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  const png = await stripes(100, 100, [RED, GREEN]).png().toBuffer();
  write(join(src, 'apples/truncated.png'), png.subarray(0, Math.floor(png.length * 0.6)));
  write(join(src, 'apples/text.png'), 'this is not a picture');
  write(join(src, 'apples/garbage.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]));
  write(join(src, 'apples/notes.txt'), 'shopping list');
  write(join(src, 'apples/bomb.png'), pngBombHeader(100_000, 100_000));
  write(join(src, 'pears/.DS_Store'), Buffer.alloc(100, 1));
  write(join(src, 'pears/inner.zip'), zip([{ name: 'x.png', data: png }]));
  write(join(src, 'stray.png'), await solid(10, 10, BLUE).png().toBuffer());
  symlinkSync(src, join(src, 'pears/loop'), 'dir');
  symlinkSync(join(src, 'nowhere.png'), join(src, 'pears/broken-link.png'));
  let badName = false;
  try {
    writeFileSync(Buffer.from(`${join(src, 'pears')}/bad-\xff.png`, 'latin1'), png);
    badName = true;
  } catch {
    /* file systems that insist on UTF-8 names (APFS) cannot even hold this case */
  }
  const before = snapshot(src);

  const s = studio();
  const r = await runImport(s, { paths: [src], name: 'fruit', size: 32, channels: 3 });

  assert.deepEqual(snapshot(src), before, 'the source folder was modified');
  assert.deepEqual(r.classes, [
    { name: 'apples', count: 9 },
    { name: 'pears', count: 3 },
  ]);
  assert.equal(r.imported, 12);
  assert.equal(r.duplicates, 2);
  assert.deepEqual(
    r.duplicateFiles.map((d) => [d.file, d.sameAs]),
    [
      ['pears/p1-copy.png', 'pears/deep/er/p1.png'],
      ['pears/zz-copy-of-apple.png', 'apples/a.png'],
    ],
  );
  const reasonOf = Object.fromEntries(r.skipped.map((x) => [x.file, x.reason]));
  assert.deepEqual(reasonOf, {
    'apples/empty.png': 'empty',
    'apples/truncated.jpg': 'corrupt',
    'apples/truncated.png': 'corrupt',
    'apples/text.png': 'not-image',
    'apples/garbage.jpg': 'corrupt',
    'apples/notes.txt': 'not-image',
    'apples/bomb.png': 'too-many-pixels',
    'pears/.DS_Store': 'hidden',
    'pears/inner.zip': 'nested-archive',
    'pears/loop': 'symlink-loop',
    'pears/broken-link.png': 'unreadable',
    'stray.png': 'no-class',
    ...(badName ? { 'pears/bad-\ufffd.png': 'bad-name' } : {}),
  });
  assert.equal(r.skippedByReason.corrupt, 3);
  assert.ok(r.skipped.every((x) => x.detail.length > 0));
  assert.ok(r.notes.some((n) => /misnamed\.jpg.*PNG/.test(n)), r.notes.join('\n'));

  const d = loadDataset(s.db, s.home, 'fruit');
  assert.equal(d.count, 12);
  assert.equal(d.channels, 3);
  assert.deepEqual(d.classNames, ['apples', 'pears']);
  assert.deepEqual(Array.from(d.labels!), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  // Source order, with each image's colours: apples a (red|blue), b..f red, g's first frame green, h16 red, i gray.
  assert.ok(near(pixel(d, 0, 2, 16), RED) && near(pixel(d, 0, 29, 16), BLUE), 'a.png');
  for (const i of [1, 2, 3, 4, 5, 7]) assert.ok(near(pixel(d, i, 16, 16), RED, 20), `image ${i} is ${pixel(d, i, 16, 16)}`);
  assert.ok(near(pixel(d, 6, 16, 16), GREEN), `gif frame 1 is ${pixel(d, 6, 16, 16)}`);
  assert.ok(near(pixel(d, 8, 16, 16), [128, 128, 128]), 'gray jpeg');
  for (const i of [9, 10, 11]) assert.ok(near(pixel(d, i, 16, 16), GREEN, 20), `pear ${i}`);
  const images = s.db.prepare('SELECT file, label FROM dataset_images ORDER BY idx').all() as { file: string; label: number }[];
  assert.equal(images[6].file, 'apples/g.gif');
  assert.equal(images[9].file, 'pears/deep/er/p1.png');
  s.db.close();
});

test('fit: centre crop, pad onto the background, or stretch; EXIF orientation is applied; transparency is flattened', async () => {
  const src = tempDir('gan-src');
  // 300×100: red | green | blue thirds.
  write(join(src, 'wide.png'), await stripes(300, 100, [RED, GREEN, BLUE]).png().toBuffer());
  // Stored left red / right blue, tagged "rotate 90° clockwise to display": shown as top red / bottom blue.
  write(join(src, 'z-rotated.jpg'), await stripes(200, 100, [RED, BLUE]).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer());
  const results: Record<string, ReturnType<typeof loadDataset>> = {};
  for (const fit of ['crop', 'pad', 'stretch'] as const) {
    const s = studio();
    await runImport(s, { paths: [src], name: fit, size: 32, fit, background: '#000000' });
    results[fit] = loadDataset(s.db, s.home, fit);
    s.db.close();
  }
  const { crop, pad, stretch } = results;
  assert.ok(near(pixel(crop, 0, 4, 4), GREEN) && near(pixel(crop, 0, 27, 27), GREEN), 'crop keeps the middle third');
  assert.ok(near(pixel(stretch, 0, 1, 16), RED) && near(pixel(stretch, 0, 16, 16), GREEN) && near(pixel(stretch, 0, 30, 16), BLUE), 'stretch keeps all three');
  assert.ok(near(pixel(pad, 0, 16, 0), [0, 0, 0]) && near(pixel(pad, 0, 16, 31), [0, 0, 0]), 'pad fills above and below');
  assert.ok(near(pixel(pad, 0, 1, 16), RED) && near(pixel(pad, 0, 30, 16), BLUE), 'pad keeps the whole width');
  assert.ok(near(pixel(stretch, 1, 16, 2), RED, 25) && near(pixel(stretch, 1, 16, 29), BLUE, 25), `orientation: top ${pixel(stretch, 1, 16, 2)}, bottom ${pixel(stretch, 1, 16, 29)}`);

  const s = studio();
  const clear = tempDir('gan-src');
  write(join(clear, 'ghost.png'), await stripes(20, 20, [RED], 0).png().toBuffer());
  await runImport(s, { paths: [clear], name: 'alpha', size: 28, background: '#3366cc' });
  assert.ok(near(pixel(loadDataset(s.db, s.home, 'alpha'), 0, 10, 10), [0x33, 0x66, 0xcc]), 'transparent pixels take the background colour');
  s.db.close();
});

test('tiles: the original pixels kept, cut into whole tiles in a centred grid; larger images reduced to the side kept; smaller ones skipped', async () => {
  const src = tempDir('gan-src');
  // 100×70 in 4 vertical stripes of 25 px: tiles of 32 → a 3×2 grid from x = 2, y = 3.
  write(join(src, 'a-photo.png'), await stripes(100, 70, [RED, GREEN, BLUE, RED]).png().toBuffer());
  // 400×80 reduced to 200×40 (max side 200): 6 tiles of 32 in one row.
  write(join(src, 'b-large.png'), await stripes(400, 80, [BLUE, GREEN]).png().toBuffer());
  write(join(src, 'c-tiny.png'), await solid(20, 40, GREEN).png().toBuffer());
  const s = studio();
  const r = await runImport(s, { paths: [src], name: 'tiles', size: 32, fit: 'tiles', maxSide: 200 });
  assert.equal(r.imported, 6 + 6);
  assert.deepEqual(r.skipped.map((x) => [x.file.split('/').pop(), x.reason]), [['c-tiny.png', 'too-small']]);
  const d = loadDataset(s.db, s.home, 'tiles');
  assert.equal(d.count, 12);
  // Original pixels, no resampling: tile 0 spans x 2–33 (red to 24, green from 25), tile 2 spans x 66–97 (blue to 74, red from 75).
  assert.deepEqual(pixel(d, 0, 0, 0), RED);
  assert.deepEqual(pixel(d, 0, 22, 10), RED);
  assert.deepEqual(pixel(d, 0, 23, 10), GREEN);
  assert.deepEqual(pixel(d, 2, 8, 31), BLUE);
  assert.deepEqual(pixel(d, 2, 9, 31), RED);
  assert.ok(near(pixel(d, 6, 16, 16), BLUE) && near(pixel(d, 11, 16, 16), GREEN), 'the large image, reduced, follows');
  const names = s.db.prepare('SELECT file FROM dataset_images ORDER BY idx').all() as { file: string }[];
  assert.deepEqual(names.slice(0, 2).map((n) => n.file.split('/').pop()), ['a-photo.png#1', 'a-photo.png#2']);
  s.db.close();
});

test('paired folders: A/ and B/ matched by name (extension aside), partners kept together, the unmatched and the unreadable listed with their partner', async () => {
  const src = tempDir('gan-pairs');
  for (const [name, a, b] of [
    ['cat', RED, GREEN],
    ['dog', BLUE, RED],
    ['eel', GREEN, GREEN],
  ] as const) {
    write(join(src, 'A', `${name}.png`), await solid(20, 20, a).png().toBuffer());
    write(join(src, 'B', `${name}.jpg`), await solid(20, 20, b).jpeg().toBuffer());
  }
  write(join(src, 'A', 'fox.png'), await solid(20, 20, RED).png().toBuffer());
  write(join(src, 'B', 'gnu.png'), await solid(20, 20, RED).png().toBuffer());
  write(join(src, 'B', 'eel.jpg'), Buffer.from('broken'));
  const s = studio();
  const r = await runImport(s, { paths: [src], name: 'pairs', size: 28, pairs: 'folders' });
  assert.equal(r.pairs, 2);
  assert.deepEqual(r.classes, [{ name: 'A', count: 2 }, { name: 'B', count: 2 }]);
  const why = Object.fromEntries(r.skipped.map((x) => [x.file.replace(/^.*?([AB]\/)/, '$1'), x.reason]));
  assert.deepEqual(why, { 'A/fox.png': 'no-partner', 'B/gnu.png': 'no-partner', 'B/eel.jpg': 'not-image', 'A/eel.png': 'no-partner' });
  const d = loadDataset(s.db, s.home, 'pairs');
  assert.deepEqual(Array.from(d.labels!), [0, 1, 0, 1]);
  assert.ok(near(pixel(d, 0, 5, 5), RED) && near(pixel(d, 1, 5, 5), GREEN), 'cat: A then its B');
  assert.ok(near(pixel(d, 2, 5, 5), BLUE) && near(pixel(d, 3, 5, 5), RED), 'dog: A then its B');
  await assert.rejects(runImport(studio(), { paths: [join(src, 'A')], name: 'flat', pairs: 'folders' }), /needs two folders, A\/ and B\//);
  s.db.close();
});

test('side-by-side pairs: each image split into A (left) and B (right), each half fitted as a whole image', async () => {
  const src = tempDir('gan-sbs');
  write(join(src, 'one.png'), await stripes(80, 40, [RED, BLUE]).png().toBuffer());
  write(join(src, 'two.png'), await stripes(60, 30, [GREEN, RED]).png().toBuffer());
  const s = studio();
  const r = await runImport(s, { paths: [src], name: 'sbs', size: 28, pairs: 'side-by-side' });
  assert.equal(r.pairs, 2);
  const d = loadDataset(s.db, s.home, 'sbs');
  assert.deepEqual(d.classNames, ['A', 'B']);
  assert.deepEqual(Array.from(d.labels!), [0, 1, 0, 1]);
  assert.ok(near(pixel(d, 0, 14, 14), RED) && near(pixel(d, 1, 14, 14), BLUE));
  assert.ok(near(pixel(d, 2, 14, 14), GREEN) && near(pixel(d, 3, 14, 14), RED));
  const names = s.db.prepare('SELECT file FROM dataset_images ORDER BY idx').all() as { file: string }[];
  assert.deepEqual(names.map((n) => n.file.split('/').pop()), ['one.png#A', 'one.png#B', 'two.png#A', 'two.png#B']);
  s.db.close();
});

test('channels: auto keeps an all-grayscale import to one channel; 1 converts colour to gray; 3 widens gray', async () => {
  const src = tempDir('gan-src');
  write(join(src, 'g1.png'), await solid(20, 20, [40, 40, 40]).png().toBuffer());
  write(join(src, 'g2.jpg'), await solid(20, 20, [200, 200, 200]).grayscale().jpeg().toBuffer());
  const s = studio();
  const auto = await runImport(s, { paths: [src], name: 'auto', size: 28 });
  assert.equal(auto.channels, 1);
  const a = loadDataset(s.db, s.home, 'auto');
  assert.equal(a.pixels.length, 2 * 28 * 28);
  assert.ok(Math.abs(pixel(a, 0, 5, 5)[0] - 40) <= 2 && Math.abs(pixel(a, 1, 5, 5)[0] - 200) <= 3);
  const rgb = await runImport(s, { paths: [src], name: 'rgb', size: 28, channels: 3 });
  assert.equal(rgb.channels, 3);
  assert.equal(loadDataset(s.db, s.home, 'rgb').pixels.length, 2 * 28 * 28 * 3);
  write(join(src, 'colour.png'), await solid(20, 20, RED).png().toBuffer());
  assert.equal((await runImport(s, { paths: [src], name: 'mixed', size: 28 })).channels, 3);
  const gray = await runImport(s, { paths: [src], name: 'gray', size: 28, channels: 1 });
  assert.equal(gray.channels, 1);
  // Name order: colour.png comes first.
  const red = pixel(loadDataset(s.db, s.home, 'gray'), 0, 5, 5)[0];
  assert.ok(red > 40 && red < 120, `red as gray is ${red}`);
  s.db.close();
});

test('a zip: unsafe paths, bombs, lying sizes, bad names and nested archives are skipped; a wrapping folder is not a class', async () => {
  const src = tempDir('gan-src');
  const cat = await solid(40, 40, RED).png().toBuffer();
  const dog = await solid(40, 40, BLUE).jpeg().toBuffer();
  const path = write(
    join(src, 'pets.zip'),
    zip([
      { name: 'pets/cats/1.png', data: cat },
      { name: 'pets/cats/2.png', data: await solid(40, 40, [200, 30, 30]).png().toBuffer(), deflate: true },
      { name: 'pets/dogs/1.jpg', data: dog },
      { name: 'pets/../../evil.png', data: cat },
      { name: '/etc/evil.png', data: cat },
      { name: 'C:\\evil.png', data: cat },
      { name: 'pets/dogs/bomb.png', data: Buffer.alloc(20 * 2 ** 20), deflate: true },
      { name: 'pets/dogs/liar.jpg', data: Buffer.concat([dog, Buffer.alloc(50_000, 7)]), declaredSize: 500, deflate: true },
      { name: Buffer.from([0x70, 0x65, 0x74, 0x73, 0x2f, 0x64, 0x6f, 0x67, 0x73, 0x2f, 0xff, 0xfe, 0x2e, 0x6a, 0x70, 0x67]), data: dog },
      { name: 'pets/dogs/again.zip', data: zip([{ name: 'x.png', data: cat }]) },
      { name: 'pets/__MACOSX/._1.png', data: Buffer.alloc(10) },
    ]),
  );
  const s = studio();
  const before = snapshot(src);
  const r = await runImport(s, { paths: [path], name: 'pets', size: 32 });
  assert.deepEqual(snapshot(src), before);
  assert.deepEqual(r.classes, [
    { name: 'cats', count: 2 },
    { name: 'dogs', count: 1 },
  ]);
  const reasons = r.skipped.map((x) => `${x.file} ${x.reason}`).sort();
  assert.deepEqual(reasons, [
    'pets.zip:/etc/evil.png unsafe-path',
    'pets.zip:C:\\evil.png unsafe-path',
    'pets.zip:pets/../../evil.png unsafe-path',
    'pets.zip:pets/__MACOSX/._1.png hidden',
    'pets.zip:pets/dogs/again.zip nested-archive',
    'pets.zip:pets/dogs/bomb.png zip-bomb',
    'pets.zip:pets/dogs/liar.jpg zip-bomb',
    'pets.zip:pets/dogs/\ufffd\ufffd.jpg bad-name',
  ]);
  // Nothing was unpacked anywhere: the only new files are the studio's own.
  assert.ok(!existsSync(join(src, 'evil.png')) && !existsSync(join(src, '..', 'evil.png')));
  const d = loadDataset(s.db, s.home, 'pets');
  assert.ok(near(pixel(d, 0, 5, 5), RED) && near(pixel(d, 2, 5, 5), BLUE, 20));
  s.db.close();
});

test('an import with no usable image is an error that says why, and leaves no dataset, no folder and other datasets untouched', async () => {
  const s = studio();
  const good = tempDir('gan-src');
  write(join(good, 'a.png'), await solid(20, 20, RED).png().toBuffer());
  await runImport(s, { paths: [good], name: 'keep', size: 28 });
  const keepDir = readdirSync(join(s.home, 'datasets'));
  const keepBytes = readFileSync(join(s.home, 'datasets', keepDir[0], 'pixels.u8'));

  const bad = tempDir('gan-src');
  write(join(bad, 'x.png'), Buffer.alloc(0));
  write(join(bad, 'y.jpg'), 'nope');
  await assert.rejects(runImport(s, { paths: [bad], name: 'broken' }), (err: StudioError) => {
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, /no usable image: 1 empty, 1 not-image; nothing was saved/);
    return true;
  });
  await assert.rejects(runImport(s, { paths: [join(bad, 'missing')], name: 'broken' }), /no usable image: 1 unreadable/);
  await assert.rejects(runImport(s, { paths: [good], name: 'keep' }), /already exists/);
  assert.deepEqual(readdirSync(join(s.home, 'datasets')), keepDir);
  assert.deepEqual(readFileSync(join(s.home, 'datasets', keepDir[0], 'pixels.u8')), keepBytes);
  assert.deepEqual(listDatasets(s.db).map((d) => d.name), ['keep']);
  // The pixel limit is an option: a real image over it is refused before decoding.
  write(join(bad, 'big.png'), await solid(300, 300, RED).png().toBuffer());
  await assert.rejects(runImport(s, { paths: [join(bad, 'big.png')], name: 'big', maxPixels: 50_000 }), /1 too-many-pixels/);
  s.db.close();
});

test('folders a killed import left behind are swept; a live import\'s folder and published datasets are not', async () => {
  const s = studio();
  const src = tempDir('gan-src');
  write(join(src, 'a.png'), await solid(20, 20, RED).png().toBuffer());
  await runImport(s, { paths: [src], name: 'kept', size: 28 });
  const root = join(s.home, 'datasets');
  const published = readdirSync(root);
  // pid 2^22+1 is above Linux's pid_max: no process has it.
  const dead = join(root, `.import-${2 ** 22 + 1}-ds-abc-123456`);
  const live = join(root, `.import-${process.ppid}-ds-abc-654321`);
  mkdirSync(dead);
  writeFileSync(join(dead, 'pixels.u8'), Buffer.alloc(10));
  mkdirSync(live);
  assert.deepEqual(sweepDatasetFolders(s.db, s.home), [`.import-${2 ** 22 + 1}-ds-abc-123456`]);
  assert.deepEqual(readdirSync(root).sort(), [...published, `.import-${process.ppid}-ds-abc-654321`].sort());
  s.db.close();
});

test('training runs on an imported RGB 32×32 dataset, unconditional and class-conditional', async () => {
  const { Trainer } = await import('../../main/families/gan/trainer.js');
  const { onBackend, tinyConfig } = await import('../support/helpers.js');
  await onBackend('cpu');
  const src = tempDir('gan-src');
  for (let i = 0; i < 6; i++) {
    write(join(src, `red/${i}.png`), await solid(40 + i, 40, [200 + i * 5, 20, 20]).png().toBuffer());
    write(join(src, `blue/${i}.jpg`), await solid(40, 30 + i, [20, 20, 200 + i * 5]).jpeg().toBuffer());
  }
  const s = studio();
  await runImport(s, { paths: [src], name: 'rb', size: 32, channels: 3 });
  const data = loadDataset(s.db, s.home, 'rb');
  assert.deepEqual([data.size, data.channels, data.count], [32, 3, 12]);
  for (const model of ['dcgan', 'cdcgan'] as const) {
    const t = Trainer.create(tinyConfig({ dataset: 'rb', model, batch: 4 }), data);
    const m = [await t.trainStep(), await t.trainStep()];
    assert.ok(m.every((x) => Number.isFinite(x.dLoss) && Number.isFinite(x.gLoss)));
    assert.equal(t.spec.numClasses, model === 'cdcgan' ? 2 : 0);
    assert.equal(t.spec.channels, 3);
    t.dispose();
  }
  s.db.close();
});

test('one folder wrapping everything (an uploaded or zipped folder) is unwrapped: its subfolders are the classes', async () => {
  const src = tempDir('gan-src');
  write(join(src, 'upload/flowers/roses/1.png'), await solid(20, 20, RED).png().toBuffer());
  write(join(src, 'upload/flowers/tulips/1.png'), await solid(20, 20, GREEN).png().toBuffer());
  write(join(src, 'upload/flowers/tulips/2.png'), await solid(20, 20, BLUE).png().toBuffer());
  const s = studio();
  const r = await runImport(s, { paths: [join(src, 'upload')], name: 'flowers', size: 28 });
  assert.deepEqual(r.classes, [
    { name: 'roses', count: 1 },
    { name: 'tulips', count: 2 },
  ]);
  // A lone class folder is no classes at all: unlabelled.
  const one = await runImport(s, { paths: [join(src, 'upload/flowers/tulips')], name: 'tulips', size: 28 });
  assert.deepEqual(one.classes, []);
  s.db.close();
});
