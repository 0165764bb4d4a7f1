/**
 * The files of an import that hold many images — IDX, .npy/.npz, CIFAR
 * batches, optionally gzipped — become one candidate per image, labelled
 * from their label arrays; label CSVs (file, label) label the image files
 * they name. Every other candidate passes through. A malformed array or
 * label file refuses the whole import with what is wrong with it: imports
 * of these formats are whole datasets, and half of one is worse than none.
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, posix, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { messageOf } from '../../../errors.js';
import { CAPTION_FILE } from '../captions.js';
import { csvRows } from '../csv.js';
import type { SkippedFile } from '../report.js';
import { fileCandidate, type Candidate, type Limits } from '../sources.js';
import { CIFAR_META, CIFAR_NAME, CIFAR_RECORD, cifarVariant, parseCifar } from './cifar.js';
import { IDX_NAME, idxLabelsName, parseIdx } from './idx.js';
import { imagesOf, invalid, isLabelShape, labelsOf, type ImageArray, type NumArray } from './numeric.js';
import { parseNpy, parseNpz } from './npy.js';

type Colour = { r: number; g: number; b: number };

/**
 * What one array file may hold, unpacked: whole datasets are large (EMNIST
 * byclass is 547 MB of pixels), unlike the images the import's file limit
 * is for; an array is read into memory once, its images cut from it.
 */
const MAX_ARRAY_BYTES = 2 ** 31 - 1;

/** Class names in label order, one per line, beside array files. */
const CLASS_FILES = ['classes.txt', 'coarse_label_names.txt', ...Object.values(CIFAR_META)];
const FILE_COLUMNS = ['file', 'filename', 'path', 'image', 'img', 'image_path', 'filepath'];
const LABEL_COLUMNS = ['label', 'class', 'category', 'labels', 'y', 'target', 'class_name'];

const baseName = (c: Candidate) => c.file.split(/[/:]/).pop()!;
const plainName = (c: Candidate) => baseName(c).replace(/\.gz$/i, '');
const folderKey = (c: Candidate) => `${c.source}|${c.dirs.join('/')}`;

type Kind = 'idx' | 'npy' | 'npz' | 'cifar' | 'class-names' | 'label-csv';

function kindOf(c: Candidate): Kind | null {
  const name = plainName(c);
  if (IDX_NAME.test(name)) return 'idx';
  if (/\.npy$/i.test(name)) return 'npy';
  if (/\.npz$/i.test(name)) return 'npz';
  if (CIFAR_NAME.test(name)) return 'cifar';
  if (CLASS_FILES.includes(name.toLowerCase())) return 'class-names';
  if (/\.csv$/i.test(name) && !CAPTION_FILE.test(name)) return 'label-csv';
  return null;
}

export interface Expanded {
  candidates: Candidate[];
  notes: string[];
}

export async function expandArrays(all: Candidate[], limits: Limits, background: Colour, skipped: SkippedFile[]): Promise<Expanded> {
  const kinds = new Map(all.map((c) => [c, kindOf(c)]));
  if (![...kinds.values()].some((k) => k !== null && k !== 'class-names')) return { candidates: all, notes: [] };
  const notes: string[] = [];
  const read = async (c: Candidate): Promise<Buffer> => {
    let b: Buffer;
    try {
      b = await c.read(Math.max(MAX_ARRAY_BYTES, limits.maxFileBytes));
    } catch (err) {
      throw invalid(c.file, `cannot be read (${messageOf(err)})`);
    }
    if (!/\.gz$/i.test(baseName(c))) return b;
    try {
      return gunzipSync(b, { maxOutputLength: MAX_ARRAY_BYTES });
    } catch (err) {
      throw invalid(c.file, /buffer|length/i.test(messageOf(err)) ? `unpacks to more than ${MAX_ARRAY_BYTES.toLocaleString('en')} bytes, more than one array file may hold` : `not a readable gzip file (${messageOf(err)})`);
    }
  };

  // Class names first: they name the labels of every array beside them.
  const classNames = new Map<string, Map<string, string[]>>();
  for (const c of all.filter((c) => kinds.get(c) === 'class-names')) {
    const names = (await read(c)).toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const folder = classNames.get(folderKey(c)) ?? new Map<string, string[]>();
    folder.set(plainName(c).toLowerCase(), names);
    classNames.set(folderKey(c), folder);
  }
  /** Label → class name: from the format's own names file (CIFAR's), else classes.txt, else the number. */
  const namesFor = (c: Candidate, labels: Int32Array, meta?: string): ((l: number) => string) => {
    const folder = classNames.get(folderKey(c));
    const names = (meta && folder?.get(meta)) || folder?.get('classes.txt');
    if (!names) return String;
    const top = labels.reduce((m, l) => Math.max(m, l), 0);
    if (top >= names.length) throw invalid(c.file, `labels run to ${top}, but the class-name file beside it names ${names.length} classes`);
    return (l) => names[l];
  };

  const out: Candidate[] = [];
  const addImages = (c: Candidate, images: ImageArray, labels: Int32Array | null, labelFrom: string | null, name: (l: number) => string) => {
    if (labels && labels.length !== images.count) {
      throw invalid(c.file, `${images.count.toLocaleString('en')} images but ${labels.length.toLocaleString('en')} labels in ${labelFrom}`);
    }
    const transpose = /^emnist/i.test(plainName(c));
    if (transpose) notes.push(`${c.file}: EMNIST stores its images transposed; they were turned back`);
    notes.push(
      `${c.file}: ${images.count.toLocaleString('en')} images of ${images.width}×${images.height}${images.channels === 3 ? ' RGB' : ''}${labels ? `, labelled from ${labelFrom}` : ', without labels'}`,
      ...images.notes,
    );
    const per = images.width * images.height * images.channels;
    for (let i = 0; i < images.count; i++) {
      out.push({
        file: `${c.file}#${i + 1}`,
        source: c.source,
        dirs: c.dirs,
        bytes: per,
        read: async () => (transpose ? transposed(images.pixelsAt(i), images.width, images.height, images.channels) : images.pixelsAt(i)),
        raw: { width: transpose ? images.height : images.width, height: transpose ? images.width : images.height, channels: images.channels },
        classOf: labels ? name(labels[i]) : null,
      });
    }
  };

  // IDX and loose .npy files pair images with labels by name within a folder.
  const loose = new Map<string, { c: Candidate; a: NumArray }[]>();
  const labelCsvs: Candidate[] = [];
  for (const c of all) {
    const kind = kinds.get(c);
    if (kind === null) {
      out.push(c);
    } else if (kind === 'idx' || kind === 'npy') {
      const a = kind === 'idx' ? parseIdx(c.file, await read(c)) : parseNpy(c.file, await read(c));
      const key = folderKey(c);
      loose.set(key, [...(loose.get(key) ?? []), { c, a }]);
    } else if (kind === 'npz') {
      const arrays = await parseNpz(c.file, await read(c), MAX_ARRAY_BYTES);
      if (arrays.size === 1) {
        // One array to a file (KMNIST's kmnist-train-imgs.npz beside kmnist-train-labels.npz): paired by file name, as .npy files are.
        const key = folderKey(c);
        loose.set(key, [...(loose.get(key) ?? []), { c, a: [...arrays.values()][0] }]);
        continue;
      }
      for (const { images, labels } of pairArrays([...arrays].map(([key, a]) => ({ key, a })))) {
        if (!images) {
          notes.push(`${labels!.a.where}: labels with no images array to pair with; not used`);
          continue;
        }
        const l = labels ? labelsOf(labels.a) : null;
        addImages(c, imagesOf(images.a, background), l, labels ? labels.a.where : null, l ? namesFor(c, l) : String);
      }
    } else if (kind === 'cifar') {
      const bytes = await read(c);
      const variant = cifarVariant(plainName(c));
      // train.bin and test.bin are common names: only a file of whole CIFAR-100 records is taken for one.
      if (variant === 100 && bytes.length % CIFAR_RECORD[100] !== 0) {
        skipped.push({ file: c.file, reason: 'not-image', detail: `named like a CIFAR-100 batch, but ${bytes.length.toLocaleString('en')} bytes is not a whole number of ${CIFAR_RECORD[100].toLocaleString('en')}-byte records` });
        continue;
      }
      const { images, labels } = parseCifar(c.file, plainName(c), bytes);
      addImages(c, images, labels, `its label byte${variant === 100 ? 's (fine labels)' : 's'}`, namesFor(c, labels, CIFAR_META[variant]));
    } else if (kind === 'label-csv') {
      labelCsvs.push(c);
    }
  }
  for (const group of loose.values()) {
    for (const { images, labels } of pairArrays(group.map(({ c, a }) => ({ key: plainName(c).replace(/\.np[yz]$/i, ''), a, c })))) {
      if (!images) {
        skipped.push({ file: labels!.c!.file, reason: 'not-image', detail: 'labels with no images file beside them to pair with' });
        continue;
      }
      const l = labels ? labelsOf(labels.a) : null;
      addImages(images.c!, imagesOf(images.a, background), l, labels ? labels.c!.file : null, l ? namesFor(images.c!, l) : String);
    }
  }
  return { candidates: await applyLabelCsvs(out, labelCsvs, read, limits, skipped, notes), notes };
}

interface Named {
  key: string;
  a: NumArray;
  c?: Candidate;
}

/**
 * Images arrays with their label arrays: by name (train-images-idx3-ubyte ↔
 * train-labels-idx1-ubyte, x_train ↔ y_train, images ↔ labels), else the one
 * of each when there is one of each.
 */
function pairArrays(arrays: Named[]): { images: Named | null; labels: Named | null }[] {
  const images = arrays.filter((x) => !isLabelShape(x.a.shape));
  const labels = arrays.filter((x) => isLabelShape(x.a.shape));
  const used = new Set<Named>();
  const out: { images: Named | null; labels: Named | null }[] = [];
  for (const im of images) {
    const wanted = labelNames(im.key).map((n) => n.toLowerCase());
    let match = labels.find((l) => !used.has(l) && wanted.includes(l.key.toLowerCase())) ?? null;
    if (!match && images.length === 1 && labels.length === 1) match = labels[0];
    if (match) used.add(match);
    out.push({ images: im, labels: match });
  }
  for (const l of labels) if (!used.has(l)) out.push({ images: null, labels: l });
  return out;
}

function labelNames(key: string): string[] {
  const names = [
    idxLabelsName(key),
    key.replace(/(^|[_\-.])x($|[_\-.])/i, (_m, a: string, b: string) => `${a}y${b}`),
    key.replace(/images?/i, 'labels'),
    key.replace(/images?/i, 'label'),
    key.replace(/(^|[_\-.])(data|imgs|inputs|features)($|[_\-.])/i, (_m, a: string, _w: string, b: string) => `${a}labels${b}`),
    `${key}_labels`,
    `${key}-labels`,
  ];
  return names.filter((n): n is string => n !== null && n !== key);
}

function transposed(px: Buffer, width: number, height: number, channels: number): Buffer {
  const out = Buffer.allocUnsafe(px.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) out[(x * height + y) * channels + c] = px[(y * width + x) * channels + c];
  return out;
}

/**
 * A CSV with a file column and a label column labels the images it names
 * (paths relative to the CSV's folder, or absolute); the other images of its
 * source are not in any class. A CSV without those columns is not a label
 * file and is reported as not an image, as before.
 */
async function applyLabelCsvs(
  candidates: Candidate[],
  csvs: Candidate[],
  read: (c: Candidate) => Promise<Buffer>,
  limits: Limits,
  skipped: SkippedFile[],
  notes: string[],
): Promise<Candidate[]> {
  if (csvs.length === 0) return candidates;
  const pathOf = (c: Candidate) => [...c.dirs, baseName(c)].join('/');
  const byPath = new Map(candidates.map((c) => [`${c.source}|${pathOf(c)}`, c]));
  const labelled = new Map<Candidate, string>();
  const extra: Candidate[] = [];
  const sources = new Set<number>();
  for (const csv of csvs) {
    const text = (await read(csv)).toString('utf8').replace(/^\uFEFF/, '');
    const rows = csvRows(csv.file, text);
    const header = rows[0].cells.map((h) => h.trim().toLowerCase());
    const fileCol = header.findIndex((h) => FILE_COLUMNS.includes(h));
    const labelCol = header.findIndex((h) => LABEL_COLUMNS.includes(h));
    if (fileCol < 0 || labelCol < 0) {
      skipped.push({ file: csv.file, reason: 'not-image', detail: `a CSV without a file column (${FILE_COLUMNS.join('/')}) and a label column (${LABEL_COLUMNS.join('/')})` });
      continue;
    }
    sources.add(csv.source);
    let listed = 0;
    for (const { cells, line } of rows.slice(1)) {
      if (cells.length !== header.length) throw invalid(`${csv.file} line ${line}`, `${cells.length} fields where the header has ${header.length}`);
      const file = cells[fileCol].replace(/\\/g, '/');
      const label = cells[labelCol].trim();
      if (!file) throw invalid(`${csv.file} line ${line}`, 'the file is empty');
      if (!label) throw invalid(`${csv.file} line ${line}`, `${file} has no label`);
      const rel = posix.normalize(posix.join(csv.dirs.join('/'), file));
      let c = isAbsolute(file) ? undefined : byPath.get(`${csv.source}|${rel}`);
      if (!c && csv.path) {
        // A file outside what was scanned (the CSV was given on its own, or names files elsewhere).
        const abs = isAbsolute(file) ? file : resolve(dirname(csv.path), file);
        try {
          const st = await stat(abs);
          if (!st.isFile()) throw new Error('not a file');
          c = fileCandidate(abs, file, csv.source, [], st.size, limits);
          extra.push(c);
        } catch {
          c = undefined;
        }
      }
      if (!c) {
        skipped.push({ file, reason: 'unreadable', detail: `named in ${csv.file} line ${line} but not found` });
        continue;
      }
      if (labelled.has(c) && labelled.get(c) !== label) throw invalid(`${csv.file} line ${line}`, `${file} is labelled both ${labelled.get(c)} and ${label}`);
      labelled.set(c, label);
      listed++;
    }
    notes.push(`${csv.file}: labels for ${listed.toLocaleString('en')} images`);
  }
  if (sources.size === 0) return candidates;
  const seen = new Set<Candidate>();
  const out: Candidate[] = [];
  for (const c of [...candidates, ...extra]) {
    if (seen.has(c)) continue;
    seen.add(c);
    if (labelled.has(c)) out.push({ ...c, classOf: labelled.get(c)! });
    else if (sources.has(c.source) && c.classOf === undefined) out.push({ ...c, classOf: null });
    else out.push(c);
  }
  return out;
}
