/**
 * Finding the images of an import: folders walked recursively, zips read in
 * place (never unpacked to disk), loose files. Every file that cannot become
 * an image is recorded with its reason; nothing here decodes pixels.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import yauzl from 'yauzl';
import { messageOf } from '../../errors.js';
import { SkipFile, type SkippedFile, type SkipReason } from './report.js';

export interface Candidate {
  /** What the report calls it: a path relative to the folder given, or zip:entry. */
  file: string;
  /** Which of the paths given it came from. */
  source: number;
  /** The folders it sits in below that path (or inside that zip); the first may become its class. */
  dirs: string[];
  bytes: number;
  /** The file's bytes; more than max (default: the import's file limit) is refused. */
  read(max?: number): Promise<Buffer>;
  /** Where it is on disk (not for zip entries): label files name images relative to it. */
  path?: string;
  /** Set for images cut from an array file: read() gives 8-bit pixels of this shape, not an encoded image. */
  raw?: { width: number; height: number; channels: 1 | 3 };
  /** Set where a label array or label file gives the class (null: none), instead of the folder. */
  classOf?: string | null;
}

export interface Limits {
  maxFileBytes: number;
}

export interface Scan {
  candidates: Candidate[];
  skipped: SkippedFile[];
  /** Called when the import ends, to close open archives. */
  close(): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SYSTEM_NAMES = new Set(['__MACOSX', 'Thumbs.db', 'desktop.ini', '$RECYCLE.BIN', 'System Volume Information']);
/** An entry that unpacks more than this many times its packed size is not an image anyone made. */
const MAX_RATIO = 200;
/** What one archive may unpack to in all. */
const MAX_ARCHIVE_BYTES = 16 * 2 ** 30;
const MAX_ARCHIVE_ENTRIES = 1_000_000;

const isHidden = (name: string) => name.startsWith('.') || SYSTEM_NAMES.has(name);
const isZipName = (name: string) => /\.zip$/i.test(name);
/** NumPy's .npz is a zip of arrays: one file of the import, not an archive of images. */
const isNpzName = (name: string) => /\.npz$/i.test(name);

function decodeName(raw: Buffer): string | null {
  try {
    return utf8.decode(raw);
  } catch {
    return null;
  }
}

/** A name for the report even when it is not valid UTF-8. */
const lossy = (raw: Buffer) => raw.toString('utf8');

export async function scanSources(paths: string[], limits: Limits, onSeen: (n: number) => void): Promise<Scan> {
  const candidates: Candidate[] = [];
  const skipped: SkippedFile[] = [];
  const archives: yauzl.ZipFile[] = [];
  const skip = (file: string, reason: SkipReason, detail?: string) => {
    skipped.push({ file, reason, detail: detail ?? new SkipFile(reason).detail });
    onSeen(candidates.length + skipped.length);
  };
  const add = (c: Candidate) => {
    candidates.push(c);
    onSeen(candidates.length + skipped.length);
  };

  for (const [source, path] of paths.entries()) {
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      skip(path, 'unreadable', messageOf(err));
      continue;
    }
    if (st.isDirectory()) {
      await walkFolder(path, source, limits, add, skip);
    } else if (isZipName(path) || (!isNpzName(path) && (await startsWithZipMagic(path)))) {
      const zip = await openZip(path, skip);
      if (zip) {
        archives.push(zip);
        await readZip(zip, basename(path), source, limits, add, skip);
      }
    } else if (st.isFile()) {
      add(fileCandidate(path, basename(path), source, [], st.size, limits));
    } else {
      skip(path, 'unreadable', 'not a file or folder');
    }
  }
  return {
    candidates,
    skipped,
    close: () => {
      for (const z of archives) z.close();
    },
  };
}

export function fileCandidate(path: string, file: string, source: number, dirs: string[], bytes: number, limits: Limits): Candidate {
  return {
    file,
    path,
    source,
    dirs,
    bytes,
    read: async (max = limits.maxFileBytes) => {
      if (bytes > max) throw new SkipFile('too-large', `${bytes} bytes; the limit is ${max}`);
      // Synchronous: imports run in their own worker thread, and one read call costs less than three trips through libuv's pool.
      const fd = openSync(path, 'r');
      try {
        // Read what the file holds now, up to the limit: it may have grown since it was listed.
        const buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(bytes, 0) + 1));
        let n = 0;
        for (;;) {
          const got = readSync(fd, buf, n, buf.length - n, n);
          if (got === 0) break;
          n += got;
          if (n === buf.length) break;
        }
        if (n > max) throw new SkipFile('too-large', `more than ${max} bytes`);
        return n === buf.length ? buf : buf.subarray(0, n);
      } finally {
        closeSync(fd);
      }
    },
  };
}

async function startsWithZipMagic(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(4);
      await fh.read(head, 0, 4, 0);
      return head.readUInt32LE(0) === 0x04034b50;
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/** Walks a folder in name order. Folders reached twice (through symlinks) are walked once. */
async function walkFolder(
  root: string,
  source: number,
  limits: Limits,
  add: (c: Candidate) => void,
  skip: (file: string, reason: SkipReason, detail?: string) => void,
): Promise<void> {
  const visited = new Set<string>([await realpath(root)]);
  const walk = async (dir: string, rel: string[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      skip(rel.join('/') || root, 'unreadable', messageOf(err));
      return;
    }
    const named = entries.map((e) => ({ e, name: decodeName(e.name) })).sort((a, b) => Buffer.compare(a.e.name, b.e.name));
    for (const { e, name } of named) {
      const shown = [...rel, name ?? lossy(e.name)].join('/');
      if (name === null) {
        skip(shown, 'bad-name');
        continue;
      }
      if (isHidden(name)) {
        skip(shown, 'hidden');
        continue;
      }
      const path = join(dir, name);
      let isDir = e.isDirectory();
      let size = 0;
      if (e.isSymbolicLink() || !(isDir || e.isFile())) {
        try {
          const st = await stat(path);
          isDir = st.isDirectory();
          if (!isDir && !st.isFile()) {
            skip(shown, 'unreadable', 'not a regular file');
            continue;
          }
          size = st.size;
        } catch (err) {
          skip(shown, 'unreadable', e.isSymbolicLink() ? `broken link (${messageOf(err)})` : messageOf(err));
          continue;
        }
      } else if (!isDir) {
        try {
          size = (await lstat(path)).size;
        } catch (err) {
          skip(shown, 'unreadable', messageOf(err));
          continue;
        }
      }
      if (isDir) {
        let real: string;
        try {
          real = await realpath(path);
        } catch (err) {
          skip(shown, 'unreadable', messageOf(err));
          continue;
        }
        if (visited.has(real)) {
          skip(shown, 'symlink-loop', 'a link back to a folder already scanned');
          continue;
        }
        visited.add(real);
        await walk(path, [...rel, name]);
      } else if (isZipName(name)) {
        skip(shown, 'nested-archive', 'a zip inside a folder; import it on its own');
      } else {
        add(fileCandidate(path, shown, source, rel, size, limits));
      }
    }
  };
  await walk(root, []);
}

function openZip(path: string, skip: (file: string, reason: SkipReason, detail?: string) => void): Promise<yauzl.ZipFile | null> {
  return new Promise((resolve) => {
    // Names stay raw bytes: yauzl would otherwise refuse the whole archive over one bad name.
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        skip(basename(path), 'bad-archive', messageOf(err));
        resolve(null);
      } else {
        resolve(zip);
      }
    });
  });
}

interface ZipItem {
  entry: yauzl.Entry;
  parts: string[];
}

/** Lists a zip's entries, refusing unsafe names and suspicious sizes before anything is unpacked. */
async function readZip(
  zip: yauzl.ZipFile,
  zipName: string,
  source: number,
  limits: Limits,
  add: (c: Candidate) => void,
  skip: (file: string, reason: SkipReason, detail?: string) => void,
): Promise<void> {
  const items: ZipItem[] = [];
  let declared = 0;
  let count = 0;
  await new Promise<void>((resolve) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      count++;
      const raw = entry.fileName as unknown as Buffer;
      const name = decodeName(raw);
      const shown = `${zipName}:${name ?? lossy(raw)}`;
      const next = () => zip.readEntry();
      if (count > MAX_ARCHIVE_ENTRIES) {
        skip(shown, 'zip-bomb', `more than ${MAX_ARCHIVE_ENTRIES} entries; the rest is not read`);
        resolve();
        return;
      }
      if (name === null) return (skip(shown, 'bad-name'), next());
      const normal = name.replace(/\\/g, '/');
      if (normal.endsWith('/')) return next();
      const parts = normal.split('/').filter((p) => p !== '' && p !== '.');
      if (normal.startsWith('/') || /^[a-zA-Z]:/.test(normal) || parts.includes('..')) {
        return (skip(shown, 'unsafe-path', `"${name}" points outside the archive`), next());
      }
      if (parts.some(isHidden)) return (skip(shown, 'hidden'), next());
      if (isZipName(normal)) return (skip(shown, 'nested-archive'), next());
      if (entry.generalPurposeBitFlag & 1) return (skip(shown, 'unsupported', 'encrypted entry'), next());
      if (entry.uncompressedSize === 0) return (skip(shown, 'empty'), next());
      if (entry.uncompressedSize > limits.maxFileBytes) {
        return (skip(shown, 'too-large', `unpacks to ${entry.uncompressedSize} bytes; the limit is ${limits.maxFileBytes}`), next());
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (ratio > MAX_RATIO && entry.uncompressedSize > 2 ** 20) {
        return (skip(shown, 'zip-bomb', `unpacks ${Math.round(ratio)}× its packed size`), next());
      }
      if (declared + entry.uncompressedSize > MAX_ARCHIVE_BYTES) {
        return (skip(shown, 'zip-bomb', `the archive would unpack to more than ${MAX_ARCHIVE_BYTES / 2 ** 30} GiB`), next());
      }
      declared += entry.uncompressedSize;
      items.push({ entry, parts });
      next();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => {
      skip(zipName, 'bad-archive', messageOf(err));
      resolve();
    });
    zip.readEntry();
  });
  items.sort((a, b) => (a.parts.join('/') < b.parts.join('/') ? -1 : 1));
  for (const { entry, parts } of items) {
    add({
      file: `${zipName}:${parts.join('/')}`,
      source,
      dirs: parts.slice(0, -1),
      bytes: entry.uncompressedSize,
      read: () => readEntry(zip, entry),
    });
  }
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(new SkipFile('bad-archive', messageOf(err)));
      const chunks: Buffer[] = [];
      let n = 0;
      stream.on('data', (c: Buffer) => {
        n += c.length;
        // yauzl also checks this; stopping here bounds memory whatever the entry claims.
        if (n > entry.uncompressedSize) stream.destroy(new Error('entry unpacks to more than its declared size'));
        else chunks.push(c);
      });
      stream.on('error', (e: Error) =>
        reject(/declared|too many bytes/i.test(e.message) ? new SkipFile('zip-bomb', `unpacks to more than it declares (${messageOf(e)})`) : new SkipFile('bad-archive', messageOf(e))),
      );
      stream.on('end', () => resolve(Buffer.concat(chunks, n)));
    });
  });
}
