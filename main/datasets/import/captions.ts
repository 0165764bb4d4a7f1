/**
 * Captions that come with an import: a CSV or JSON naming files (several
 * captions per file allowed), a captions.txt in any folder, or, for images
 * none of those describe, their class folder's name. A caption file that
 * cannot be read as what it claims is refused with its line: a person
 * fixes one line, rather than wondering why half the captions are missing.
 */
import { posix } from 'node:path';
import { StudioError } from '../../errors.js';
import { csvRows, refuse } from './csv.js';

/** A caption for `file` (a path relative to the caption file's folder), or for every image in that folder when file is null. */
export interface CaptionEntry {
  file: string | null;
  caption: string;
  line: number;
}

export const CAPTION_FILE = /^captions\.(csv|json|txt)$/i;
const MAX_CAPTION = 1000;
const IMAGE_NAME = /\.(png|jpe?g|gif|webp|bmp|tiff?|avif|svg)$/i;
const FILE_COLUMNS = ['file', 'filename', 'image', 'path', 'name'];
const CAPTION_COLUMNS = ['caption', 'text', 'title', 'description', 'prompt'];

export function parseCaptionFile(name: string, bytes: Buffer): CaptionEntry[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new StudioError(`${name} is not UTF-8 text; save it as UTF-8; nothing was imported`, 'INVALID_INPUT');
  }
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'csv') return parseCsv(name, text);
  if (ext === 'json') return parseJson(name, text);
  return parseTxt(name, text);
}

function checked(where: string, line: number, caption: unknown): string {
  if (typeof caption !== 'string') throw refuse(where, line, 'a caption must be text');
  const c = caption.trim().replace(/\s+/g, ' ');
  if (!c) throw refuse(where, line, 'the caption is empty');
  if (c.length > MAX_CAPTION) throw refuse(where, line, `the caption is longer than ${MAX_CAPTION} characters`);
  return c;
}

/** A header naming a file column and a caption column, then a row per caption (RFC 4180, see csv.ts). */
export function parseCsv(where: string, text: string): CaptionEntry[] {
  const rows = csvRows(where, text);
  const header = rows[0].cells.map((h) => h.toLowerCase());
  const fileCol = header.findIndex((h) => FILE_COLUMNS.includes(h));
  const capCol = header.findIndex((h) => CAPTION_COLUMNS.includes(h));
  if (fileCol < 0 || capCol < 0) {
    throw refuse(where, rows[0].line, `the header needs a file column (${FILE_COLUMNS.join('/')}) and a caption column (${CAPTION_COLUMNS.join('/')}), found ${rows[0].cells.join(', ')}`);
  }
  return rows.slice(1).map(({ cells: c, line: l }) => {
    if (c.length !== header.length) throw refuse(where, l, `${c.length} fields where the header has ${header.length}`);
    if (!c[fileCol]) throw refuse(where, l, 'the file name is empty');
    return { file: normalise(c[fileCol]), caption: checked(where, l, c[capCol]), line: l };
  });
}

/** { "file.png": "caption" | ["caption", …] } or [{ "file": …, "caption": … | "captions": […] }]. */
export function parseJson(where: string, text: string): CaptionEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw refuse(where, jsonErrorLine(text, (err as Error).message), `not valid JSON (${(err as Error).message})`);
  }
  const out: CaptionEntry[] = [];
  const add = (file: unknown, captions: unknown, line: number) => {
    if (typeof file !== 'string' || !file.trim()) throw refuse(where, line, 'an entry needs a file name');
    const list = Array.isArray(captions) ? captions : [captions];
    if (list.length === 0) throw refuse(where, line, `no caption for ${file}`);
    for (const c of list) out.push({ file: normalise(file), caption: checked(where, line, c), line });
  };
  if (Array.isArray(data)) {
    const lines = elementLines(text);
    data.forEach((e, i) => {
      const line = lines[i] ?? 1;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) throw refuse(where, line, 'each entry must be an object with file and caption');
      const o = e as Record<string, unknown>;
      const fileKey = FILE_COLUMNS.find((k) => k in o);
      const capKey = ['captions', ...CAPTION_COLUMNS].find((k) => k in o);
      if (!capKey) throw refuse(where, line, 'the entry has no caption (caption or captions)');
      add(fileKey ? o[fileKey] : undefined, o[capKey], line);
    });
  } else if (typeof data === 'object' && data !== null) {
    for (const [file, captions] of Object.entries(data)) add(file, captions, lineOf(text, text.indexOf(JSON.stringify(file))));
  } else {
    throw refuse(where, 1, 'expected an object of file → caption, or a list of { file, caption }');
  }
  return out;
}

/** Lines of `file.png<TAB>caption` or `file.png: caption`; any other line captions every image of its folder. '#' starts a comment line. */
export function parseTxt(where: string, text: string): CaptionEntry[] {
  const out: CaptionEntry[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([^\t:]+?)\s*(?:\t|:)\s*(.*)$/.exec(line);
    if (m && IMAGE_NAME.test(m[1])) out.push({ file: normalise(m[1]), caption: checked(where, i + 1, m[2]), line: i + 1 });
    else out.push({ file: null, caption: checked(where, i + 1, line), line: i + 1 });
  });
  return out;
}

const normalise = (file: string) => posix.normalize(file.trim().replace(/\\/g, '/')).replace(/^(\.\/)+/, '');

function lineOf(text: string, pos: number): number {
  if (pos < 0) return 1;
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text[i] === '\n') n++;
  return n;
}

/** V8 says "at position N" (Node 20) or "line L column C" (newer). */
function jsonErrorLine(text: string, message: string): number {
  const lc = /line (\d+)/.exec(message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/.exec(message);
  return pos ? lineOf(text, Number(pos[1])) : 1;
}

/** The line each element of a top-level JSON array starts on (strings skipped, so brackets inside them do not count). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (expectElement && depth === 1 && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

/**
 * Which image each caption describes. `images` are the imported images'
 * paths within their source (folders/…/name); an entry's file resolves from
 * its caption file's folder, and, failing that, by a name that only one
 * image has (with or without its extension).
 */
export function matchCaptions(
  images: readonly string[],
  files: readonly { folder: string; entries: CaptionEntry[] }[],
  /** Files imported once as another image (exact copies): their captions describe that image. */
  copies: readonly { path: string; idx: number }[] = [],
): { captions: { idx: number; caption: string }[]; unmatched: string[] } {
  const byPath = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const byFolder = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, i: number) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  const index = (p: string, i: number) => {
    push(byPath, p, i);
    const base = posix.basename(p);
    push(byName, base, i);
    push(byName, base.replace(/\.[^.]*$/, ''), i);
  };
  images.forEach((p, i) => {
    index(p, i);
    push(byFolder, posix.dirname(p), i);
  });
  for (const c of copies) index(c.path, c.idx);
  const captions: { idx: number; caption: string }[] = [];
  const unmatched = new Set<string>();
  for (const { folder, entries } of files) {
    for (const e of entries) {
      let idx: number[] | undefined;
      if (e.file === null) idx = byFolder.get(folder || '.');
      else {
        idx = byPath.get(posix.join(folder || '.', e.file)) ?? byPath.get(e.file);
        if (!idx) {
          // A bare name counts when it is one image's (its copies' names included).
          const named = [...new Set(byName.get(posix.basename(e.file)) ?? [])];
          if (named.length === 1) idx = named;
        }
      }
      if (!idx) {
        if (unmatched.size < 100) unmatched.add(`${e.file ?? folder}: no imported image`);
        continue;
      }
      for (const i of idx) captions.push({ idx: i, caption: e.caption });
    }
  }
  return { captions, unmatched: [...unmatched] };
}

/** A class folder's name as a caption: "golden_retriever" → "golden retriever". */
export const classCaption = (folder: string) => folder.replace(/[_\-.]+/g, ' ').replace(/\s+/g, ' ').trim();
