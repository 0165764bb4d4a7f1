/**
 * Pictures of a dataset for the UI: pages of its images as PNGs (rendered
 * from the stored pixels, at the size training sees them) and a cover grid.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { StudioError } from '../errors.js';
import { bytesGridPng, encodePng } from '../images/png.js';
import { isBuiltin, loadDataset } from './index.js';
import { captionsByImage } from '../core/dataset.js';
import { COVER, captionsOf, datasetDir, pixelsFile, showDataset } from './store.js';
import { tokenize } from '../core/tokens.js';

function containsWords(caption: string, words: string[]): boolean {
  const have = new Set(tokenize(caption));
  return words.every((w) => have.has(w));
}

export interface GalleryImage {
  index: number;
  label: number | null;
  /** Where it was imported from; null for built-in data. */
  file: string | null;
  /** Its captions, when the dataset has them. */
  captions: string[];
  png: string;
}

export interface GalleryPage {
  total: number;
  images: GalleryImage[];
}

const COVER_IMAGES = 64;

/** Up to 64 indexes spread over the dataset, round-robin over classes so every class shows. */
export function coverPicks(count: number, labels: ArrayLike<number> | null): number[] {
  const n = Math.min(COVER_IMAGES, count);
  if (!labels) return Array.from({ length: n }, (_, i) => Math.floor((i * count) / n));
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const list = byClass.get(labels[i]) ?? [];
    if (list.length < n) list.push(i);
    byClass.set(labels[i], list);
  }
  const lists = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const picks: number[] = [];
  for (let k = 0; picks.length < n; k++) for (const l of lists) if (k < l.length && picks.length < n) picks.push(l[k]);
  return picks;
}

export function coverPng(pixels: Uint8Array, size: number, channels: 1 | 3, picks: number[]): Promise<Buffer> {
  const per = size * size * channels;
  const chosen = new Uint8Array(picks.length * per);
  picks.forEach((idx, k) => chosen.set(pixels.subarray(idx * per, (idx + 1) * per), k * per));
  return bytesGridPng(chosen, picks.length, size, channels, { columns: 8 });
}

/** The cover of a dataset as base64 PNG: stored with an imported one, drawn for a built-in one. */
export async function datasetCover(db: Db, home: string, name: string): Promise<string | null> {
  if (isBuiltin(name)) {
    const d = loadDataset(db, home, name);
    return (await coverPng(d.pixels, d.size, d.channels, coverPicks(d.count, d.labels))).toString('base64');
  }
  const dir = datasetDir(db, home, name);
  if (!dir) return null;
  try {
    return readFileSync(join(dir, COVER)).toString('base64');
  } catch {
    return null;
  }
}

/**
 * A page of images, optionally of one class and only those with a caption
 * containing `text` (every word of it, in any order, case aside).
 */
export async function galleryPage(db: Db, home: string, name: string, q: { offset: number; limit: number; label?: number; text?: string }): Promise<GalleryPage> {
  const info = showDataset(db, name);
  if (!info) throw new StudioError(`no dataset "${name}"`, 'NOT_FOUND');
  const { size } = info;
  const channels = info.channels as 1 | 3;
  const per = size * size * channels;
  let rows: { idx: number; label: number | null; file: string | null }[];
  let total: number;
  let read: (idx: number) => Uint8Array;
  let close = () => {};
  let captions: (idx: number) => string[];
  const words = q.text ? tokenize(q.text) : [];
  if (info.builtin) {
    const d = loadDataset(db, home, name);
    const byImage = d.captions ? captionsByImage(d.captions) : new Map<number, number[]>();
    captions = (idx) => (byImage.get(idx) ?? []).map((k) => d.captions!.texts[k]);
    const matches = (idx: number) => words.length === 0 || captions(idx).some((c) => containsWords(c, words));
    const all = Array.from({ length: d.count }, (_, i) => i).filter((i) => (q.label === undefined || d.labels?.[i] === q.label) && matches(i));
    total = all.length;
    rows = all.slice(q.offset, q.offset + q.limit).map((idx) => ({ idx, label: d.labels ? d.labels[idx] : null, file: null }));
    read = (idx) => d.pixels.subarray(idx * per, (idx + 1) * per);
  } else {
    const id = (db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: string }).id;
    let where = q.label === undefined ? 'dataset_id = ?' : 'dataset_id = ? AND label = ?';
    const args: unknown[] = q.label === undefined ? [id] : [id, q.label];
    if (words.length) {
      // Narrowed in SQL by each word as a substring, then kept when a caption holds every word as a word.
      const like = words.map(() => "c.caption LIKE ? ESCAPE '\\'").join(' AND ');
      const found = db
        .prepare(`SELECT DISTINCT c.idx, c.caption FROM dataset_captions c WHERE c.dataset_id = ? AND ${like}`)
        .all(id, ...words.map((w) => `%${w.replace(/[%_\\]/g, (m) => `\\${m}`)}%`)) as { idx: number; caption: string }[];
      const hits = [...new Set(found.filter((f) => containsWords(f.caption, words)).map((f) => f.idx))];
      where += hits.length ? ` AND idx IN (${hits.join(',')})` : ' AND 0';
    }
    total = (db.prepare(`SELECT count(*) AS n FROM dataset_images WHERE ${where}`).get(...args) as { n: number }).n;
    rows = db.prepare(`SELECT idx, label, file FROM dataset_images WHERE ${where} ORDER BY idx LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as typeof rows;
    const found = captionsOf(db, name, rows.map((r) => r.idx));
    captions = (idx) => found.get(idx) ?? [];
    const fd = openSync(pixelsFile(datasetDir(db, home, name)!), 'r');
    close = () => closeSync(fd);
    read = (idx) => {
      const b = Buffer.alloc(per);
      if (readSync(fd, b, 0, per, idx * per) !== per) throw new StudioError(`dataset "${name}" is damaged: image ${idx} is missing; import it again`);
      return b;
    };
  }
  try {
    const images = await Promise.all(
      rows.map(async (r) => ({ index: r.idx, label: r.label, file: r.file, captions: captions(r.idx), png: (await encodePng(read(r.idx), size, size, channels)).toString('base64') })),
    );
    return { total, images };
  } finally {
    close();
  }
}
