import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoiseModel } from '../engine/sampling.js';
import { gridPng, imagePng, type ImageBatch } from '../images/png.js';
import { classLabels, generateBatch, sampleLatents } from '../engine/sampling.js';

/**
 * Writes images of a batch as numbered PNGs (0001.png …) into `dir`; returns
 * their paths. A batch that is one slice of a larger export numbers on from
 * `first`, with as many digits as the whole export needs.
 */
export async function writePngs(batch: ImageBatch, dir: string, slice: { first: number; total: number } = { first: 0, total: batch.count }): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const digits = Math.max(4, String(slice.total).length);
  const files: string[] = [];
  // sharp encodes on its own thread pool; a few dozen at a time keeps memory flat.
  for (let i = 0; i < batch.count; i += 32) {
    const idx = Array.from({ length: Math.min(32, batch.count - i) }, (_, k) => i + k);
    const pngs = await Promise.all(idx.map((k) => imagePng(batch, k)));
    idx.forEach((k, j) => {
      const file = join(dir, `${String(slice.first + k + 1).padStart(digits, '0')}.png`);
      writeFileSync(file, pngs[j]);
      files.push(file);
    });
  }
  return files;
}

/** A class name as a folder name on every platform. */
export const folderName = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+$/, '_');

export interface ImageExport {
  dir: string;
  count: number;
  /** One subfolder of `count` images per class (conditional models). */
  perClass: boolean;
  classNames: string[];
  seed: number;
  /** Every image of this class (a conditional model); null draws the classes in turn. */
  classLabel?: number | null;
  /** Also grid.png in `dir`: the first GRID_LIMIT images. */
  grid?: boolean;
}

/** Larger grids stop being something a person looks at. */
export const GRID_LIMIT = 1024;

/**
 * Generated images for data augmentation, drawn and written in slices so a
 * large export needs no more memory than a slice.
 */
export async function exportImages(
  t: NoiseModel,
  e: ImageExport,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ dirs: string[]; count: number; grid: string | null }> {
  const { numClasses } = t.spec;
  const one = e.classLabel ?? null;
  const groups = e.perClass ? Array.from({ length: numClasses }, (_, c) => c) : [null];
  const total = e.count * groups.length;
  const dirs: string[] = [];
  const shown: Float32Array[] = [];
  let first: ImageBatch | null = null;
  let done = 0;
  for (const cls of groups) {
    const dir = cls === null ? e.dir : join(e.dir, folderName(e.classNames[cls] ?? String(cls)));
    for (let i = 0; i < e.count; i += 500) {
      const n = Math.min(500, e.count - i);
      const { z, labels } = sampleLatents(t, n, e.seed + i * 7919 + (cls ?? 0) * 104729);
      const label = cls ?? one;
      const batch = await generateBatch(t, z, label === null ? labels : classLabels(t, n, label));
      await writePngs(batch, dir, { first: i, total: e.count });
      if (e.grid && done < GRID_LIMIT) {
        first ??= batch;
        shown.push(batch.data.subarray(0, Math.min(batch.count, GRID_LIMIT - done) * batch.size * batch.size * batch.channels));
      }
      done += n;
      onProgress(done, total);
    }
    dirs.push(dir);
  }
  let grid: string | null = null;
  if (first) {
    const data = new Float32Array(shown.reduce((k, d) => k + d.length, 0));
    shown.reduce((at, d) => (data.set(d, at), at + d.length), 0);
    const count = data.length / (first.size * first.size * first.channels);
    // Classes in turn fill whole rows, so each column shows one class.
    const columns = numClasses > 0 && one === null && !e.perClass ? numClasses * Math.max(1, Math.floor(32 / numClasses)) : undefined;
    grid = join(e.dir, 'grid.png');
    writeFileSync(grid, await gridPng({ ...first, data, count }, { columns }));
  }
  return { dirs, count: total, grid };
}
