/**
 * An import from start to publish: scan the sources, read the caption files
 * among them, decode images a few at a time (sharp works on libuv's threads),
 * append them in source order to a temporary pixels file, drop exact
 * duplicates, settle classes, channels and captions, then publish the folder
 * with a rename and record it in the database.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import type { Db } from '../../db/database.js';
import { StudioError, messageOf } from '../../errors.js';
import { coverPicks, coverPng } from '../gallery.js';
import { COVER, datasetExists, datasetsRoot, insertImported, newDatasetId, pixelsFile, sweepDatasetFolders, tempDatasetDir, type ImportedImage } from '../store.js';
import { expandArrays } from './arrays/expand.js';
import { decodeImage, decodeRaw, decodeSideBySide, extensionNote, parseColour, type Decoded } from '../../images/decode.js';
import type { ImportOptions } from './options.js';
import { countByReason, SkipFile, type ImportProgress, type ImportReport, type SkippedFile } from './report.js';
import { scanSources, type Candidate } from './sources.js';
import { byName, classFolders, partnered } from './classes.js';
import { CAPTION_FILE, classCaption, matchCaptions, parseCaptionFile, type CaptionEntry } from './captions.js';
import { buildVocabulary } from '../../core/tokens.js';

export interface ImportControl {
  readonly cancelled: boolean;
}

const PROGRESS_MS = 100;

/** decoded is null for a duplicate of a file already accepted. */
type Outcome = { ok: true; decoded: Decoded | null; sha256: string } | { ok: false; skip: SkippedFile };

export async function importDataset(db: Db, home: string, opts: ImportOptions, control: ImportControl, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  const t0 = performance.now();
  if (datasetExists(db, opts.name)) throw new StudioError(`a dataset named "${opts.name}" already exists; choose another name or delete it first`, 'CONFLICT');
  sweepDatasetFolders(db, home);

  const progress: ImportProgress = { name: opts.name, phase: 'scanning', seen: 0, processed: 0, imported: 0, skipped: 0, duplicates: 0, imagesPerSec: 0 };
  let lastReport = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!force && now - lastReport < PROGRESS_MS) return;
    lastReport = now;
    progress.imagesPerSec = progress.imported / Math.max(1e-3, (now - t0) / 1000);
    onProgress({ ...progress });
  };

  const scan = await scanSources(opts.paths, opts, (seen) => {
    progress.seen = seen;
    report();
  });
  const id = newDatasetId();
  const tmp = tempDatasetDir(home, id);
  try {
    return await build();
  } finally {
    scan.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  async function build(): Promise<ImportReport> {
    const skipped = [...scan.skipped];
    // Caption files are read (and a malformed one refused) before any image is decoded.
    const captionFiles = await readCaptionFiles(scan.candidates, opts.captions);
    const notes: string[] = [];
    // Array files (IDX, NumPy, CIFAR) become their images, label files label theirs.
    const expanded = await expandArrays(
      scan.candidates.filter((c) => !isCaptionFile(c)),
      opts,
      parseColour(opts.background),
      skipped,
    );
    notes.push(...expanded.notes.slice(0, 100));
    const imageCandidates = expanded.candidates;
    if (opts.pairs !== 'none' && imageCandidates.some((c) => c.raw)) throw new StudioError('paired imports take image files; array files (IDX, NumPy, CIFAR) cannot be paired', 'INVALID_INPUT');
    const byFolder = classFolders(imageCandidates.filter((c) => c.classOf === undefined));
    const folderOf = (c: Candidate) => (c.classOf !== undefined ? c.classOf : byFolder(c));
    // Classes: the first-level folders, when there are at least two of them; a side-by-side paired import makes its own.
    const sideBySide = opts.pairs === 'side-by-side';
    const paired = opts.pairs !== 'none';
    const folders = sideBySide ? ['A', 'B'] : [...new Set(imageCandidates.map(folderOf).filter((f): f is string => f !== null))].sort(byName);
    const labelled = folders.length >= 2;
    let candidates: Candidate[] = imageCandidates;
    if (opts.pairs === 'folders') {
      if (folders.length !== 2 || folders[0].toUpperCase() !== 'A' || folders[1].toUpperCase() !== 'B') {
        throw new StudioError(`a paired import needs two folders, A/ and B/, with matching file names; found ${folders.length ? folders.slice(0, 4).join(', ') : 'no class folders'}`, 'INVALID_INPUT');
      }
      candidates = partnered(imageCandidates, folderOf, folders, skipped);
    } else if (labelled && !sideBySide) {
      candidates = [];
      for (const c of imageCandidates) {
        if (folderOf(c) === null) skipped.push({ file: c.file, reason: 'no-class', detail: `the import has class folders (${folders.slice(0, 3).join(', ')}…) and this file is in none` });
        else candidates.push(c);
      }
    }
    const classIndex = new Map(folders.map((f, i) => [f, i]));

    mkdirSync(datasetsRoot(home), { recursive: true });
    mkdirSync(tmp, { recursive: true });
    const fd = openSync(pixelsFile(tmp), 'w');
    const images: ImportedImage[] = [];
    /** Each image's path within its source, for captions to name it by. */
    const paths: string[] = [];
    /** Files not imported for being copies of an image: captions naming them describe that image. */
    const copies: { path: string; idx: number }[] = [];
    const imageBySha = new Map<string, number>();
    const firstBySha = new Map<string, string>();
    const duplicateFiles: { file: string; sameAs: string }[] = [];
    let allGray = true;
    progress.phase = 'importing';
    // From here on, what there is to process: each image of an array file counts, as processed will.
    progress.seen = candidates.length;
    progress.skipped = skipped.length;
    report(true);

    const work = async (c: Candidate): Promise<Outcome> => {
      try {
        const bytes = await c.read();
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        // A duplicate of an earlier file is not decoded again; source order decides which one is kept.
        // Partners may repeat an image (one target for two inputs): paired folders keep every file.
        if (firstBySha.has(sha256) && opts.pairs !== 'folders') return { ok: true, decoded: null, sha256 };
        return { ok: true, decoded: await (c.raw ? decodeRaw(bytes, c.raw, opts) : sideBySide ? decodeSideBySide(bytes, opts) : decodeImage(bytes, opts)), sha256 };
      } catch (err) {
        if (err instanceof SkipFile) return { ok: false, skip: { file: c.file, reason: err.reason, detail: err.detail } };
        return { ok: false, skip: { file: c.file, reason: 'unreadable', detail: messageOf(err).split('\n')[0] } };
      }
    };

    try {
      // A window of decodes in flight, written out strictly in source order so the dataset does not depend on timing.
      const window = Math.max(4, availableParallelism() * 3);
      const pending: Promise<Outcome>[] = [];
      let next = 0;
      const fill = () => {
        while (pending.length < window && next < candidates.length && !control.cancelled) pending.push(work(candidates[next++]));
      };
      fill();
      // A paired folder's A waits for its B: both are kept, or neither.
      let waiting: { c: Candidate; outcome: Outcome } | null = null;
      for (let i = 0; i < candidates.length; i++) {
        if (control.cancelled) throw new StudioError('import cancelled; nothing was saved', 'CANCELLED');
        const c = candidates[i];
        const outcome = await pending.shift()!;
        fill();
        progress.processed = i + 1;
        if (opts.pairs === 'folders') {
          if (i % 2 === 0) waiting = { c, outcome };
          else settlePair(waiting!, { c, outcome });
          report();
          continue;
        }
        if (!outcome.ok) {
          skipped.push(outcome.skip);
          progress.skipped++;
        } else if (outcome.decoded === null || firstBySha.has(outcome.sha256)) {
          duplicateFiles.push({ file: c.file, sameAs: firstBySha.get(outcome.sha256)! });
          copies.push({ path: sourcePath(c), idx: imageBySha.get(outcome.sha256)! });
          progress.duplicates++;
        } else {
          accept(c, outcome.decoded, outcome.sha256);
        }
        report();
      }
      if (control.cancelled) throw new StudioError('import cancelled; nothing was saved', 'CANCELLED');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }

    function settlePair(a: { c: Candidate; outcome: Outcome }, b: { c: Candidate; outcome: Outcome }) {
      if (a.outcome.ok && b.outcome.ok) {
        accept(a.c, a.outcome.decoded!, a.outcome.sha256);
        accept(b.c, b.outcome.decoded!, b.outcome.sha256);
        return;
      }
      for (const [one, other] of [
        [a, b],
        [b, a],
      ]) {
        skipped.push(one.outcome.ok ? { file: one.c.file, reason: 'no-partner', detail: `its partner ${other.c.file} was skipped` } : one.outcome.skip);
        progress.skipped++;
      }
    }

    function accept(c: Candidate, d: Decoded, sha256: string) {
      firstBySha.set(sha256, c.file);
      imageBySha.set(sha256, images.length);
      writeAll(fd, d.pixels);
      allGray &&= d.gray;
      const note = d.format === 'array' ? null : extensionNote(c.file, d.format);
      if (note && notes.length < 100) notes.push(note);
      if (sideBySide) {
        images.push({ file: `${c.file}#A`, sha256, label: 0 }, { file: `${c.file}#B`, sha256, label: 1 });
        progress.imported += 2;
        return;
      }
      const label = labelled ? classIndex.get(folderOf(c)!)! : null;
      // Tiles of one file share its name and hash, with their place in the grid after a '#'.
      for (let t = 0; t < d.count; t++) {
        images.push({ file: d.count > 1 ? `${c.file}#${t + 1}` : c.file, sha256, label });
        paths.push(sourcePath(c));
      }
      progress.imported += d.count;
    }

    if (images.length === 0) {
      const why = Object.entries(countByReason(skipped)).map(([r, n]) => `${n} ${r}`).join(', ');
      throw new StudioError(
        scan.candidates.length + scan.skipped.length === 0
          ? 'no files found in what was given to import'
          : `no usable image: ${why || 'every file was a duplicate'}; nothing was saved`,
        'INVALID_INPUT',
      );
    }
    progress.phase = 'publishing';
    report(true);

    let channels: 1 | 3 = opts.channels === 1 ? 1 : 3;
    if (opts.channels === 'auto' && allGray) {
      toGrayscale(pixelsFile(tmp), images.length, opts.size * opts.size);
      channels = 1;
      notes.push('every image is grayscale, so the dataset has one channel');
    }
    const usedClasses = labelled ? folders : [];
    const classCounts = usedClasses.map(() => 0);
    for (const img of images) if (img.label !== null) classCounts[img.label]++;
    const seconds = (performance.now() - t0) / 1000;
    const result: ImportReport = {
      name: opts.name,
      size: opts.size,
      channels,
      fit: opts.fit,
      imported: images.length,
      duplicates: duplicateFiles.length,
      duplicateFiles: duplicateFiles.slice(0, 1000),
      skipped,
      skippedByReason: countByReason(skipped),
      classes: usedClasses.map((name, i) => ({ name, count: classCounts[i] })),
      ...(paired ? { pairs: images.length / 2 } : {}),
      notes,
      seconds,
      imagesPerSec: images.length / seconds,
    };
    const captions = paired ? null : settleCaptions(paths, copies, captionFiles, labelled ? images.map((i) => folders[i.label!]) : null);
    if (captions) result.captions = captions.summary;
    await writeCover(tmp, opts.size, channels, images.length, labelled ? images.map((i) => i.label!) : null);

    const dir = join(datasetsRoot(home), id);
    renameSync(tmp, dir);
    try {
      insertImported(db, {
        id,
        dir: `datasets/${id}`,
        options: opts,
        report: result,
        source: describeSources(opts.paths),
        classes: usedClasses,
        images,
        captions: captions?.rows ?? [],
        vocab: captions?.vocab ?? null,
      });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      if (/UNIQUE constraint failed: datasets.name/.test(messageOf(err))) throw new StudioError(`a dataset named "${opts.name}" was created meanwhile; nothing was saved`, 'CONFLICT');
      throw err;
    }
    progress.processed = candidates.length;
    report(true);
    return result;
  }
}

const fileName = (c: Candidate) => c.file.split(/[/:]/).pop()!;
const isCaptionFile = (c: Candidate) => CAPTION_FILE.test(fileName(c));
/** A candidate's path below the path it came from (inside a zip: below the zip), as caption files name it. */
const sourcePath = (c: Candidate) => [...c.dirs, fileName(c).replace(/#.*$/, '')].join('/');

async function readCaptionFiles(candidates: Candidate[], extra: string | undefined): Promise<{ folder: string; entries: CaptionEntry[] }[]> {
  const out: { folder: string; entries: CaptionEntry[] }[] = [];
  if (extra) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(extra);
    } catch (err) {
      throw new StudioError(`the captions file ${extra} cannot be read (${messageOf(err)}); nothing was imported`, 'INVALID_INPUT');
    }
    out.push({ folder: '', entries: parseCaptionFile(basename(extra), bytes) });
  }
  for (const c of candidates.filter(isCaptionFile)) {
    let bytes: Buffer;
    try {
      bytes = await c.read();
    } catch (err) {
      throw new StudioError(`${c.file} cannot be read (${messageOf(err)}); nothing was imported`, 'INVALID_INPUT');
    }
    out.push({ folder: c.dirs.join('/'), entries: parseCaptionFile(c.file, bytes) });
  }
  return out;
}

/**
 * Every image's captions: what caption files say of it, else its class
 * folder's name; and the vocabulary they make. Null when nothing describes
 * any image (an unlabelled import without caption files).
 */
function settleCaptions(paths: string[], copies: { path: string; idx: number }[], files: { folder: string; entries: CaptionEntry[] }[], classOf: string[] | null) {
  const { captions, unmatched } = matchCaptions(paths, files, copies);
  const described = new Set(captions.map((c) => c.idx));
  let fromClassNames = 0;
  if (classOf) {
    paths.forEach((_, i) => {
      if (described.has(i)) return;
      captions.push({ idx: i, caption: classCaption(classOf[i]) });
      fromClassNames++;
    });
  }
  if (captions.length === 0) return null;
  captions.sort((a, b) => a.idx - b.idx);
  const vocab = buildVocabulary(captions.map((c) => c.caption));
  return {
    rows: captions,
    vocab,
    summary: { count: captions.length, images: new Set(captions.map((c) => c.idx)).size, vocabulary: vocab.words.length, fromClassNames, unmatched },
  };
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

/** RGB pixels whose channels are equal everywhere → one channel, rewritten in place of the file. */
function toGrayscale(path: string, count: number, pixelsPerImage: number): void {
  const src = openSync(path, 'r');
  const tmp = `${path}.gray`;
  const dst = openSync(tmp, 'w');
  try {
    const rgb = Buffer.alloc(pixelsPerImage * 3);
    const gray = Buffer.alloc(pixelsPerImage);
    for (let i = 0; i < count; i++) {
      readSync(src, rgb, 0, rgb.length, i * rgb.length);
      for (let p = 0; p < pixelsPerImage; p++) gray[p] = rgb[p * 3];
      writeAll(dst, gray);
    }
    fsyncSync(dst);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
  renameSync(tmp, path);
}

async function writeCover(dir: string, size: number, channels: 1 | 3, count: number, labels: number[] | null): Promise<void> {
  const per = size * size * channels;
  const picks = coverPicks(count, labels);
  // Only the chosen images are read: the pixels file may be large.
  const chosen = Buffer.alloc(picks.length * per);
  const fd = openSync(pixelsFile(dir), 'r');
  try {
    picks.forEach((idx, k) => readSync(fd, chosen, k * per, per, idx * per));
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(dir, COVER), await coverPng(chosen, size, channels, picks.map((_, k) => k)));
}

function describeSources(paths: string[]): string {
  return paths.length === 1 ? paths[0] : `${paths[0]} and ${paths.length - 1} more`;
}
