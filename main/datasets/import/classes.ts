/**
 * Which class each image of an import is in: its first-level folder (a
 * single wrapping folder unwrapped), a paired import's A/ and B/, or what a
 * label array or label file says (candidate.classOf).
 */
import { basename } from 'node:path';
import type { SkippedFile } from './report.js';
import type { Candidate } from './sources.js';

/** Class names in order, numbers by value (2 before 10: array labels are numbers), the rest by code point as before. */
export const byName = (a: string, b: string) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);

/**
 * Each candidate's class folder: the first folder below the path it came
 * from, after unwrapping a single folder that holds everything of that path
 * (a zip of "flowers/roses/…", or an upload of one dropped folder).
 */
export function classFolders(candidates: Candidate[]): (c: Candidate) => string | null {
  const top = new Map<number, string | null>();
  const wrapped = new Map<number, boolean>();
  for (const c of candidates) {
    if (!top.has(c.source)) top.set(c.source, c.dirs[0] ?? null);
    const same = c.dirs.length > 0 && c.dirs[0] === top.get(c.source);
    wrapped.set(c.source, (wrapped.get(c.source) ?? true) && same);
  }
  return (c) => {
    const dirs = wrapped.get(c.source) ? c.dirs.slice(1) : c.dirs;
    return dirs.length > 0 ? dirs[0] : null;
  };
}

/**
 * A paired import's candidates in pairs, A then B, by file name without its
 * extension; files with no partner are listed as skipped.
 */
export function partnered(all: Candidate[], folderOf: (c: Candidate) => string | null, folders: string[], skipped: SkippedFile[]): Candidate[] {
  const stem = (c: Candidate) => basename(c.file).replace(/\.[^.]*$/, '');
  const sides = folders.map(() => new Map<string, Candidate>());
  for (const c of all) {
    const side = folders.indexOf(folderOf(c) ?? '');
    if (side < 0) {
      skipped.push({ file: c.file, reason: 'no-class', detail: 'a paired import takes files inside A/ and B/ only' });
      continue;
    }
    const key = stem(c);
    if (sides[side].has(key)) skipped.push({ file: c.file, reason: 'no-partner', detail: `${folders[side]}/ has another file named ${key}` });
    else sides[side].set(key, c);
  }
  const out: Candidate[] = [];
  for (const [key, a] of [...sides[0]].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const b = sides[1].get(key);
    if (b) out.push(a, b);
    else skipped.push({ file: a.file, reason: 'no-partner', detail: `no file named ${key} in ${folders[1]}/` });
  }
  for (const [key, b] of sides[1]) if (!sides[0].has(key)) skipped.push({ file: b.file, reason: 'no-partner', detail: `no file named ${key} in ${folders[0]}/` });
  return out;
}
