/** `gan-studio import PATH… --name NAME`: an import through the studio service, with a progress bar. */
import { resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { SKIP_REASONS, type ImportReport, type SkipReason } from '../datasets/import/report.js';
import { studioHome } from '../runs/home.js';
import { StudioService } from '../service/studio-service.js';
import { int, parseOptions, splitPositionals } from './options.js';
import { barOf, StatusLine } from './progress.js';

const OPTIONS = {
  name: { type: 'string' },
  size: { type: 'string' },
  channels: { type: 'string' },
  fit: { type: 'string' },
  pairs: { type: 'string' },
  'max-side': { type: 'string' },
  background: { type: 'string' },
  'max-pixels': { type: 'string' },
  captions: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function importCommand(args: string[]): Promise<number> {
  const { positionals: paths, flags } = splitPositionals(args, OPTIONS);
  const o = parseOptions('import', flags, OPTIONS);
  if (paths.length === 0) throw new StudioError('import: give a folder, a .zip or image files; see `gan-studio import --help`');
  if (!o.name) throw new StudioError('import: --name NAME is required (the name to train it by)');
  const channels = o.channels === undefined || o.channels === 'auto' ? 'auto' : int('channels', o.channels);
  const service = new StudioService(studioHome());
  const tty = !o.json && process.stderr.isTTY;
  const line = tty ? new StatusLine(process.stderr) : null;
  let lastLogged = 0;
  service.on('dataset.import.progress', (p) => {
    if (o.json) return;
    const counts = `${p.imported} imported, ${p.skipped} skipped, ${p.duplicates} duplicates`;
    if (p.phase === 'scanning') line?.draw(`scanning… ${p.seen} files found`);
    else if (p.phase === 'publishing') line?.draw(`${barOf(1)} ${p.seen} files  ${counts}  saving…`, true);
    else if (line) line.draw(`${barOf(p.processed / Math.max(1, p.seen))} ${p.processed}/${p.seen}  ${counts}  ${p.imagesPerSec.toFixed(0)} img/s`);
    else if (p.processed - lastLogged >= Math.max(100, p.seen / 10)) {
      lastLogged = p.processed;
      console.error(`${p.processed}/${p.seen} images: ${counts}`);
    }
  });
  let cancelling = false;
  const onSigint = () => {
    if (cancelling) process.exit(130);
    cancelling = true;
    line?.interrupt('cancelling; nothing will be saved (Ctrl-C again to quit at once)…');
    void service.call('datasets.cancelImport', { name: o.name! });
  };
  process.on('SIGINT', onSigint);
  try {
    const r = await service.call('datasets.import', {
      paths: paths.map((p) => resolve(p)),
      name: o.name,
      size: int('size', o.size),
      channels,
      fit: o.fit,
      pairs: o.pairs as 'none' | 'folders' | 'side-by-side' | undefined,
      maxSide: int('max-side', o['max-side']),
      background: o.background,
      maxPixels: int('max-pixels', o['max-pixels']),
      captions: o.captions ? resolve(o.captions) : undefined,
    });
    line?.end();
    if (!r.ok) throw new StudioError(r.error.message);
    if (o.json) console.log(JSON.stringify(r.value));
    else console.log(describeReport(r.value));
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await service.close();
  }
}

/** The report as people read it: what came in, what did not and why. */
export function describeReport(r: ImportReport, maxListed = 20): string {
  const out: string[] = [];
  out.push(`dataset "${r.name}": ${r.imported} images, ${r.size}×${r.size}, ${r.channels === 1 ? 'grayscale' : 'RGB'}, fit ${r.fit} (${r.seconds.toFixed(1)} s, ${r.imagesPerSec.toFixed(0)} img/s)`);
  if (r.pairs !== undefined) out.push(`pairs: ${r.pairs} (A → B)`);
  out.push(r.classes.length ? `classes: ${r.classes.map((c) => `${c.name} (${c.count})`).join(', ')}` : 'classes: none (unlabelled; put images in one subfolder per class for class-conditional training)');
  if (r.duplicates) out.push(`duplicates: ${r.duplicates} exact ${r.duplicates === 1 ? 'copy' : 'copies'} of other files, imported once`);
  const reasons = Object.entries(r.skippedByReason) as [SkipReason, number][];
  if (reasons.length) {
    out.push(`skipped: ${r.skipped.length} — ${reasons.map(([k, n]) => `${n} ${SKIP_REASONS[k]}`).join('; ')}`);
    for (const s of r.skipped.slice(0, maxListed)) out.push(`  ${s.file}: ${s.detail}`);
    if (r.skipped.length > maxListed) out.push(`  … and ${r.skipped.length - maxListed} more (--json lists every one)`);
  } else out.push('skipped: none');
  if (r.captions) {
    const c = r.captions;
    out.push(`captions: ${c.count} for ${c.images} images, ${c.vocabulary} words${c.fromClassNames ? ` (${c.fromClassNames} from class folder names)` : ''}`);
    if (c.unmatched.length) out.push(`  ${c.unmatched.length}${c.unmatched.length >= 100 ? '+' : ''} caption entries name no imported image, e.g. ${c.unmatched.slice(0, 3).join('; ')}`);
  }
  for (const n of r.notes.slice(0, 10)) out.push(`note: ${n}`);
  out.push(
    r.pairs !== undefined
      ? `train it: gan-studio train --task pix2pix --source pairs --dataset "${r.name}"`
      : `train it: gan-studio train --dataset "${r.name}"${r.captions ? ' [--model text]' : r.classes.length ? ' [--model cdcgan]' : ''}`,
  );
  return out.join('\n');
}
