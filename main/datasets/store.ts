/**
 * Datasets in the studio: a row in the database for each, and for imported
 * ones a folder <home>/datasets/<id>/ holding pixels.u8 (every image's bytes,
 * NHWC, in index order) and cover.png, plus one database row per image.
 * An import builds its folder under a temporary name and publishes it with a
 * rename before its rows are written, so a row never names half a dataset.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { StudioError } from '../errors.js';
import type { Captions, Dataset } from '../core/dataset.js';
import type { Vocabulary } from '../core/tokens.js';
import type { ImportOptions } from './import/options.js';
import type { ImportReport } from './import/report.js';

export interface DatasetInfo {
  name: string;
  source: string;
  size: number;
  channels: number;
  classes: string[];
  imageCount: number;
  createdAt: string;
  builtin: boolean;
  /** Whether its images have captions (a text-conditional model can train on it). */
  captioned: boolean;
}

export interface DatasetDetail extends DatasetInfo {
  /** Per-class image counts, in class order; empty when unlabelled. */
  classCounts: number[];
  report: ImportReport | null;
}

interface Row {
  id: string;
  name: string;
  source: string;
  size: number;
  channels: number;
  classes: string;
  image_count: number;
  created_at: string;
  dir: string | null;
  report: string | null;
  captioned: number;
}

const TEMP_PREFIX = '.import-';
const PIXELS = 'pixels.u8';
export const COVER = 'cover.png';

export const datasetsRoot = (home: string) => join(home, 'datasets');

export function newDatasetId(now = new Date()): string {
  return `ds-${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The folder an import writes into until it is complete; the pid lets a later start tell a dead import from a live one. */
export function tempDatasetDir(home: string, id: string): string {
  return join(datasetsRoot(home), `${TEMP_PREFIX}${process.pid}-${id}`);
}

export const pixelsFile = (dir: string) => join(dir, PIXELS);

function info(r: Row): DatasetInfo {
  return {
    name: r.name,
    source: r.source,
    size: r.size,
    channels: r.channels,
    classes: JSON.parse(r.classes) as string[],
    imageCount: r.image_count,
    createdAt: r.created_at,
    builtin: r.dir === null,
    // builtin:mnist's captions are made from its labels.
    captioned: r.captioned === 1 || r.dir === null,
  };
}

const SELECT = 'SELECT id, name, source, size, channels, classes, image_count, created_at, dir, report, vocab IS NOT NULL AS captioned FROM datasets';

export function listDatasets(db: Db): DatasetInfo[] {
  return (db.prepare(`${SELECT} ORDER BY dir IS NOT NULL, name`).all() as Row[]).map(info);
}

function row(db: Db, name: string): Row | undefined {
  return db.prepare(`${SELECT} WHERE name = ?`).get(name) as Row | undefined;
}

export function datasetExists(db: Db, name: string): boolean {
  return row(db, name) !== undefined;
}

export function showDataset(db: Db, name: string): DatasetDetail | null {
  const r = row(db, name);
  if (!r) return null;
  const base = info(r);
  let classCounts: number[] = [];
  if (r.dir !== null && base.classes.length > 0) {
    classCounts = base.classes.map(() => 0);
    for (const c of db.prepare('SELECT label, count(*) AS n FROM dataset_images WHERE dataset_id = ? AND label IS NOT NULL GROUP BY label').all(r.id) as { label: number; n: number }[]) {
      classCounts[c.label] = c.n;
    }
  }
  return { ...base, classCounts, report: r.report ? (JSON.parse(r.report) as ImportReport) : null };
}

export interface ImportedImage {
  file: string;
  sha256: string;
  label: number | null;
}

/** Records a published dataset and its images in one transaction. */
export function insertImported(
  db: Db,
  d: {
    id: string;
    dir: string;
    options: ImportOptions;
    report: ImportReport;
    source: string;
    classes: string[];
    images: ImportedImage[];
    captions?: { idx: number; caption: string }[];
    vocab?: Vocabulary | null;
  },
): void {
  const insert = db.prepare('INSERT INTO dataset_images (dataset_id, idx, file, sha256, label) VALUES (?, ?, ?, ?, ?)');
  const insertCaption = db.prepare('INSERT INTO dataset_captions (dataset_id, idx, caption) VALUES (?, ?, ?)');
  db.transaction(() => {
    db.prepare(
      'INSERT INTO datasets (id, name, source, size, channels, classes, image_count, created_at, dir, options, report, vocab) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      d.id,
      d.options.name,
      d.source,
      d.report.size,
      d.report.channels,
      JSON.stringify(d.classes),
      d.images.length,
      new Date().toISOString(),
      d.dir,
      JSON.stringify({ ...d.options, paths: undefined }),
      JSON.stringify(d.report),
      d.vocab ? JSON.stringify(d.vocab) : null,
    );
    d.images.forEach((img, i) => insert.run(d.id, i, img.file, img.sha256, img.label));
    for (const c of d.captions ?? []) insertCaption.run(d.id, c.idx, c.caption);
  })();
}

/** Removes the row (and its image rows) first, then the files: a failure half-way leaves an orphan folder, never a dangling row. */
export function deleteDataset(db: Db, home: string, name: string): void {
  const r = row(db, name);
  if (!r) return;
  db.prepare('DELETE FROM datasets WHERE id = ?').run(r.id);
  if (r.dir) rmSync(join(home, r.dir), { recursive: true, force: true });
}

export function datasetDir(db: Db, home: string, name: string): string | null {
  const r = row(db, name);
  return r?.dir ? join(home, r.dir) : null;
}

/** An imported dataset's images and labels, as training reads them. */
export function loadImported(db: Db, home: string, name: string): Dataset | null {
  const r = row(db, name);
  if (!r || r.dir === null) return null;
  const path = pixelsFile(join(home, r.dir));
  const per = r.size * r.size * r.channels;
  let pixels: Buffer;
  try {
    pixels = readFileSync(path);
  } catch (err) {
    throw new StudioError(`dataset "${name}" cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); import it again`);
  }
  if (pixels.length !== per * r.image_count) {
    throw new StudioError(`dataset "${name}" is damaged: ${PIXELS} holds ${pixels.length} bytes, ${per * r.image_count} expected; import it again`);
  }
  const classes = JSON.parse(r.classes) as string[];
  let labels: Int32Array | null = null;
  if (classes.length > 0) {
    labels = new Int32Array(r.image_count);
    for (const { idx, label } of db.prepare('SELECT idx, label FROM dataset_images WHERE dataset_id = ?').iterate(r.id) as Iterable<{ idx: number; label: number }>) {
      labels[idx] = label;
    }
  }
  return {
    name,
    size: r.size as Dataset['size'],
    channels: r.channels as 1 | 3,
    count: r.image_count,
    pixels: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length),
    labels,
    classNames: classes,
    captions: loadCaptions(db, r.id),
  };
}

/** An imported dataset's captions and vocabulary; null when it has none. */
function loadCaptions(db: Db, id: string): Captions | null {
  const v = db.prepare('SELECT vocab FROM datasets WHERE id = ?').get(id) as { vocab: string | null };
  if (!v.vocab) return null;
  const rows = db.prepare('SELECT idx, caption FROM dataset_captions WHERE dataset_id = ? ORDER BY idx, rowid').all(id) as { idx: number; caption: string }[];
  return { texts: rows.map((r) => r.caption), image: Int32Array.from(rows, (r) => r.idx), vocab: JSON.parse(v.vocab) as Vocabulary };
}

/** The captions of some images of an imported dataset, for the gallery. */
export function captionsOf(db: Db, name: string, indexes: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const r = row(db, name);
  if (!r || indexes.length === 0) return out;
  const q = db.prepare(`SELECT idx, caption FROM dataset_captions WHERE dataset_id = ? AND idx IN (${indexes.map(() => '?').join(',')}) ORDER BY idx, rowid`);
  for (const c of q.all(r.id, ...indexes) as { idx: number; caption: string }[]) out.set(c.idx, [...(out.get(c.idx) ?? []), c.caption]);
  return out;
}

/**
 * Removes what crashed or killed imports left: temporary folders of
 * processes that are gone, and published folders no row names (older than a
 * minute, so an import publishing this instant is not touched).
 */
export function sweepDatasetFolders(db: Db, home: string): string[] {
  const root = datasetsRoot(home);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const known = new Set((db.prepare('SELECT dir FROM datasets WHERE dir IS NOT NULL').all() as { dir: string }[]).map((r) => r.dir));
  const removed: string[] = [];
  for (const n of names) {
    const path = join(root, n);
    if (n.startsWith(TEMP_PREFIX)) {
      const pid = Number(n.slice(TEMP_PREFIX.length).split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
      if (pid === process.pid) continue;
    } else if (!/^ds-[0-9a-z]+-[0-9a-f]{6}$/.test(n) || known.has(`datasets/${n}`)) {
      continue;
    } else {
      try {
        if (Date.now() - statSync(path).mtimeMs < 60_000) continue;
      } catch {
        continue;
      }
    }
    rmSync(path, { recursive: true, force: true });
    removed.push(n);
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
