import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/db/database.js';
import { importDataset } from '../../main/datasets/import/importer.js';
import { ImportOptionsSchema, type ImportOptionsInput } from '../../main/datasets/import/options.js';
import { parseCsv, parseJson, parseTxt } from '../../main/datasets/import/captions.js';
import { loadDataset } from '../../main/datasets/index.js';
import { listDatasets } from '../../main/datasets/store.js';
import { galleryPage } from '../../main/datasets/gallery.js';
import { buildVocabulary, suggest, tokenize, Tokenizer, UNKNOWN, PAD, FIRST_WORD } from '../../main/core/tokens.js';
import { databasePath } from '../../main/db/database.js';
import { BLUE, GREEN, RED, solid, write, type Rgb } from '../support/image-corpus.js';
import { tempDir } from '../support/helpers.js';

function studio(): { home: string; db: Db } {
  const home = join(tempDir('gan-captions'), 'home');
  return { home, db: openDatabase(databasePath(home)) };
}

const runImport = (s: { home: string; db: Db }, opts: Partial<ImportOptionsInput> & { paths: string[] }) =>
  importDataset(s.db, s.home, ImportOptionsSchema.parse({ name: 'set', size: 28, ...opts }), { cancelled: false }, () => {});

/** Writes a distinct small PNG (its colour varied by k, so no two are duplicates). */
async function png(path: string, colour: Rgb, k: number) {
  write(path, await solid(8 + k, 8, colour).png().toBuffer());
}

/** Captions of each image of a loaded dataset, by the file it came from. */
function captionsByFile(s: { home: string; db: Db }, name = 'set'): Map<string, string[]> {
  const d = loadDataset(s.db, s.home, name);
  const files = (s.db.prepare('SELECT idx, file FROM dataset_images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = ? ORDER BY idx').all(name) as { idx: number; file: string }[]).map(
    (r) => r.file,
  );
  const out = new Map<string, string[]>();
  d.captions?.image.forEach((img, i) => out.set(files[img], [...(out.get(files[img]) ?? []), d.captions!.texts[i]]));
  return out;
}

test('tokenizer: lower-case words and numbers, punctuation splits, compatibility forms folded', () => {
  assert.deepEqual(tokenize('A Red-Apple, on the TABLE!'), ['a', 'red', 'apple', 'on', 'the', 'table']);
  assert.deepEqual(tokenize('ﬁve ２ cats'), ['five', '2', 'cats']);
  assert.deepEqual(tokenize('café 7'), ['café', '7']);
  assert.deepEqual(tokenize('  ...  '), []);
});

test('vocabulary: most frequent words first, ties in code-point order; encoding pads, marks unknown words and cuts long captions', () => {
  const v = buildVocabulary(['a red apple', 'a green apple', 'a pear']);
  assert.deepEqual(v.words, ['a', 'apple', 'green', 'pear', 'red']);
  assert.deepEqual(v.counts, [3, 2, 1, 1, 1]);
  const t = new Tokenizer(v, 4);
  const e = t.encode('A purple apple');
  assert.deepEqual(Array.from(e.ids), [FIRST_WORD + 0, UNKNOWN, FIRST_WORD + 1, PAD]);
  assert.deepEqual(e.unknown, ['purple']);
  assert.equal(t.encode('a a a a a apple').dropped, 2);
  assert.deepEqual(suggest(v, 'a gr'), ['green']);
  assert.deepEqual(suggest(v, 'p'), ['pear']);
  assert.equal(buildVocabulary(['x y z'], 2).words.length, 2);
});

test('caption files: CSV with quotes and several captions per file, JSON in both shapes, captions.txt per file and per folder', () => {
  const csv = parseCsv('captions.csv', 'File,Caption\r\nred/a.png,"a red square, small"\nred/a.png,"the ""red"" one"\n\nblue/b.png, a blue square \n');
  assert.deepEqual(
    csv.map((e) => [e.file, e.caption, e.line]),
    [
      ['red/a.png', 'a red square, small', 2],
      ['red/a.png', 'the "red" one', 3],
      ['blue/b.png', 'a blue square', 5],
    ],
  );
  const multiline = parseCsv('c.csv', 'caption,file\n"two\nlines",x.png\ny.png_caption,y.png\n');
  assert.deepEqual(multiline.map((e) => [e.file, e.caption, e.line]), [['x.png', 'two lines', 2], ['y.png', 'y.png_caption', 4]]);
  assert.deepEqual(parseJson('c.json', '{"a.png": "one", "./b.png": ["two", "three"]}').map((e) => [e.file, e.caption]), [
    ['a.png', 'one'],
    ['b.png', 'two'],
    ['b.png', 'three'],
  ]);
  assert.deepEqual(parseJson('c.json', '[\n {"file": "a.png", "caption": "one"},\n {"image": "b.png", "captions": ["two"]}\n]').map((e) => [e.file, e.caption, e.line]), [
    ['a.png', 'one', 2],
    ['b.png', 'two', 3],
  ]);
  assert.deepEqual(parseTxt('captions.txt', '# comment\nsunset.jpg: an orange sky\nbeach.png\tsand and sea\nholiday photos\n').map((e) => [e.file, e.caption]), [
    ['sunset.jpg', 'an orange sky'],
    ['beach.png', 'sand and sea'],
    [null, 'holiday photos'],
  ]);
});

test('malformed caption files are refused with the line that is wrong', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => parseCsv('captions.csv', 'file,caption\na.png,"never closed\nb.png,x\n'), /captions\.csv line 2: a quoted field is never closed/],
    [() => parseCsv('captions.csv', 'file,caption\na.png,ok\nb.png,x,extra\n'), /captions\.csv line 3: 3 fields where the header has 2/],
    [() => parseCsv('captions.csv', 'name,words\na.png,x\n'), /captions\.csv line 1: the header needs a file column/],
    [() => parseCsv('captions.csv', 'file,caption\na.png,ok\n,orphan\n'), /line 3: the file name is empty/],
    [() => parseCsv('captions.csv', 'file,caption\na.png,ok\nb.png,   \n'), /line 3: the caption is empty/],
    [() => parseCsv('captions.csv', 'file,caption\na.png,bad"quote\n'), /line 2: a quote inside an unquoted field/],
    [() => parseJson('captions.json', '{\n  "a.png": "one",\n  "b.png": "two"\n  "c.png": "three"\n}'), /captions\.json line 4: not valid JSON/],
    [() => parseJson('captions.json', '[\n {"file": "a.png", "caption": "one"},\n {"file": "b.png"}\n]'), /captions\.json line 3: the entry has no caption/],
    [() => parseJson('captions.json', '{\n "a.png": "one",\n "b.png": 7\n}'), /captions\.json line 3: a caption must be text/],
    [() => parseJson('captions.json', '"just text"'), /line 1: expected an object/],
  ];
  for (const [f, want] of cases) assert.throws(f, want);
});

test('an import with caption files: captions kept per image in the database, class names for the rest, a vocabulary, entries naming no image reported', async () => {
  const src = tempDir('gan-captions-src');
  await png(join(src, 'fruit/apple.png'), RED, 0);
  await png(join(src, 'fruit/pear.png'), GREEN, 1);
  await png(join(src, 'fruit/plum.png'), BLUE, 2);
  await png(join(src, 'sky_blue/day.png'), BLUE, 3);
  await png(join(src, 'sky_blue/night.png'), BLUE, 4);
  // An exact copy of apple.png: imported once, and what is said of the copy describes the apple.
  await png(join(src, 'fruit/apple2.png'), RED, 0);
  write(join(src, 'captions.csv'), 'file,caption\nfruit/apple.png,a shiny red apple\nfruit/apple.png,an apple\npear.png,"a pear, green"\nmissing.png,nobody\nmissing.png,nobody again\nfruit/apple2.png,a copied apple\n');
  write(join(src, 'sky_blue/captions.txt'), 'day.png: a bright day\nthe sky\n');
  const s = studio();
  const report = await runImport(s, { paths: [src] });
  assert.equal(report.imported, 5, 'caption files are not images');
  assert.deepEqual(report.skipped, []);
  const by = captionsByFile(s);
  assert.equal(report.duplicates, 1);
  assert.deepEqual(by.get('fruit/apple.png'), ['a shiny red apple', 'an apple', 'a copied apple']);
  assert.deepEqual(by.get('fruit/pear.png'), ['a pear, green'], 'a bare file name that only one image has');
  assert.deepEqual(by.get('fruit/plum.png'), ['fruit'], 'nothing names it: its class folder');
  assert.deepEqual(by.get('sky_blue/day.png'), ['a bright day', 'the sky']);
  assert.deepEqual(by.get('sky_blue/night.png'), ['the sky']);
  assert.equal(report.captions?.count, 8);
  assert.equal(report.captions?.images, 5);
  assert.equal(report.captions?.fromClassNames, 1);
  assert.deepEqual(report.captions?.unmatched, ['missing.png: no imported image']);
  const vocab = loadDataset(s.db, s.home, 'set').captions!.vocab;
  assert.equal(vocab.words.length, report.captions?.vocabulary);
  assert.equal(vocab.words[0], 'a');
  assert.ok(listDatasets(s.db).find((d) => d.name === 'set')!.captioned);

  // The gallery shows them, and finds images by every word of a search, in any order.
  const all = await galleryPage(s.db, s.home, 'set', { offset: 0, limit: 10 });
  assert.deepEqual(all.images.map((i) => i.captions.length), [3, 1, 1, 2, 1]);
  const hits = await galleryPage(s.db, s.home, 'set', { offset: 0, limit: 10, text: 'Apple red' });
  assert.deepEqual(hits.images.map((i) => i.file), ['fruit/apple.png']);
  assert.equal((await galleryPage(s.db, s.home, 'set', { offset: 0, limit: 10, text: 'sky' })).total, 2);
  assert.equal((await galleryPage(s.db, s.home, 'set', { offset: 0, limit: 10, text: 'app' })).total, 0, 'whole words, not parts');
  assert.equal((await galleryPage(s.db, s.home, 'set', { offset: 0, limit: 10, text: '100%_' })).total, 0);
});

test('captions from a JSON file named at import, and from class folders alone; an unlabelled folder without captions has none', async () => {
  const src = tempDir('gan-captions-json');
  await png(join(src, 'cats/a.png'), RED, 0);
  await png(join(src, 'dogs/b.png'), GREEN, 1);
  const file = write(join(tempDir('gan-captions-file'), 'list.json'), JSON.stringify({ 'cats/a.png': ['a sleepy cat'] }));
  const s = studio();
  await runImport(s, { paths: [src], captions: file });
  assert.deepEqual([...captionsByFile(s).entries()], [
    ['cats/a.png', ['a sleepy cat']],
    ['dogs/b.png', ['dogs']],
  ]);

  const flat = tempDir('gan-captions-flat');
  await png(join(flat, 'x.png'), RED, 0);
  await png(join(flat, 'y.png'), BLUE, 1);
  await runImport(s, { paths: [flat], name: 'flat' });
  assert.equal(loadDataset(s.db, s.home, 'flat').captions, null);
  assert.equal(listDatasets(s.db).find((d) => d.name === 'flat')!.captioned, false);
});

test('a malformed caption file stops the import with its line, and nothing is saved', async () => {
  const src = tempDir('gan-captions-bad');
  await png(join(src, 'a.png'), RED, 0);
  write(join(src, 'captions.csv'), 'file,caption\na.png,fine\na.png,"broken\n');
  const s = studio();
  await assert.rejects(runImport(s, { paths: [src] }), /captions\.csv line 3: a quoted field is never closed; nothing was imported/);
  assert.deepEqual(listDatasets(s.db).filter((d) => !d.builtin), []);
  await assert.rejects(runImport(s, { paths: [src], captions: join(src, 'nope.json') }), /the captions file .*nope\.json cannot be read/);
});

test('builtin:mnist has two captions per digit made from its label', () => {
  const s = studio();
  const d = loadDataset(s.db, s.home, 'builtin:mnist');
  const c = d.captions!;
  assert.equal(c.texts.length, 2 * d.count);
  const i = d.labels!.indexOf(7);
  assert.deepEqual([c.texts[2 * i], c.texts[2 * i + 1]], ['a handwritten seven', 'the digit 7']);
  assert.equal(c.image[2 * i + 1], i);
  assert.deepEqual(c.vocab.words.slice(0, 4).sort(), ['a', 'digit', 'handwritten', 'the']);
});
