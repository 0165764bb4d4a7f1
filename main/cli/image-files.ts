/** What the commands that transform image files (upscale, translate, project) share: every input read and checked first, and output names that never collide. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { StudioError, messageOf } from '../errors.js';
import { barOf } from './progress.js';
import type { StudioService } from '../service/studio-service.js';
import { ticketOf } from './service-call.js';

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

/**
 * upscale and translate: every file checked by the service first (nothing is
 * written if one fails), then each run with a tile bar and written as
 * OUT/NAME.png; `done` reports each.
 */
export async function transformFiles<R extends { png: string }>(
  service: StudioService,
  files: string[],
  outDir: string,
  o: { json?: boolean },
  job: {
    check: (image: string, file: string) => Promise<unknown>;
    run: (image: string, file: string, ticket: string) => Promise<R>;
    progress: 'upscale.progress' | 'translate.progress';
    done: (r: R, file: string, path: string, seconds: number) => void;
  },
): Promise<void> {
  const inputs = await readImageFiles(files, async (buf, file) => {
    const image = buf.toString('base64');
    await job.check(image, file);
    return image;
  });
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const tty = !o.json && process.stderr.isTTY;
  const nameOf = pngNames();
  for (const { file, input } of inputs) {
    const t0 = performance.now();
    const ticket = ticketOf('tiles');
    const r = await withTileBar(
      tty,
      file,
      'tile',
      (draw) => service.on(job.progress, (p) => p.ticket === ticket && draw(p.done, p.total)),
      () => job.run(input, file, ticket),
    );
    const path = join(out, nameOf(file));
    writeFileSync(path, Buffer.from(r.png, 'base64'));
    job.done(r, file, path, Math.round((performance.now() - t0) / 100) / 10);
  }
}
