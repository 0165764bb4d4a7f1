/** What the commands that transform image files (upscale, translate, project) share: every input read and checked first, and output names that never collide. */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { StudioError, messageOf } from '../errors.js';
import { barOf } from './progress.js';

/** Each file read and parsed before anything is written, so a bad one refuses the whole command. */
export async function readImageFiles<T>(files: string[], parse: (buf: Buffer, file: string) => Promise<T>): Promise<{ file: string; input: T }[]> {
  const out: { file: string; input: T }[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (err) {
      throw new StudioError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? messageOf(err)}`);
    }
    out.push({ file, input: await parse(buf, file) });
  }
  return out;
}

/** NAME.png for each input, NAME-2.png and so on when two inputs share a name. */
export function pngNames(): (file: string) => string {
  const taken = new Set<string>();
  return (file) => {
    const stem = basename(file, extname(file));
    let name = `${stem}.png`;
    for (let k = 2; taken.has(name); k++) name = `${stem}-${k}.png`;
    taken.add(name);
    return name;
  };
}

/** Draws `file`'s tile bar on a terminal while `work` runs; a service event with `ticket` carries done/total. */
export async function withTileBar<T>(tty: boolean, file: string, what: string, subscribe: (draw: (done: number, total: number, extra?: string) => void) => () => void, work: () => Promise<T>): Promise<T> {
  const off = subscribe((done, total, extra = '') => {
    if (tty) process.stderr.write(`\r${barOf(done / total)} ${basename(file)} ${what} ${done}/${total}${extra}`);
  });
  try {
    return await work();
  } finally {
    off();
    if (tty) process.stderr.write('\n');
  }
}
