/**
 * `gan-studio augment-study`: does a GAN's synthetic data help a classifier?
 * The studio service runs in this process: the GAN runs the study needs
 * queue and train as in the app, each cell is measured in a worker, and the
 * report prints at the end (or as JSON). Ctrl-C leaves the study and its
 * runs resumable with --resume.
 */
import { writeFileSync } from 'node:fs';
import { StudioError } from '../errors.js';
import { kLabel, type StudyReport } from '../studies/report.js';
import { studioHome } from '../runs/home.js';
import { StudioService } from '../service/studio-service.js';
import type { StudyDetail } from '../service/contract.js';
import { call } from './service-call.js';
import { int, parseOptions } from './options.js';
import { barOf, StatusLine } from './progress.js';

const OPTIONS = {
  dataset: { type: 'string' },
  'per-class': { type: 'string' },
  synthetic: { type: 'string' },
  seeds: { type: 'string' },
  seed: { type: 'string' },
  classifier: { type: 'string' },
  steps: { type: 'string' },
  'gan-steps': { type: 'string' },
  flips: { type: 'string' },
  'no-train-gans': { type: 'boolean' },
  name: { type: 'string' },
  resume: { type: 'string' },
  show: { type: 'string' },
  list: { type: 'boolean' },
  csv: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function list(name: string, value: string | undefined, allowAll: boolean): (number | 'all')[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((v) => {
    const t = v.trim();
    if (allowAll && t === 'all') return 'all';
    const n = Number(t);
    if (t === '' || !Number.isFinite(n) || n < 0) throw new StudioError(`--${name} takes numbers separated by commas${allowAll ? " (or 'all')" : ''}, got "${value}"`);
    return n;
  });
}

export async function augmentCommand(args: string[]): Promise<number> {
  const o = parseOptions('augment-study', args, OPTIONS);
  const service = new StudioService(studioHome());
  try {
    if (o.list) {
      const studies = await call(service, 'augment.list', {});
      if (o.json) console.log(JSON.stringify(studies, null, 2));
      else for (const s of studies) console.log(`${s.id}  ${s.status.padEnd(11)} ${s.cellsDone}/${s.cells} cells  ${s.dataset}  ${s.name}`);
      return 0;
    }
    if (o.show) {
      await writeCsv(service, o.show, o.csv);
      return report(await call(service, 'augment.show', { id: o.show }), o);
    }
    let id: string;
    if (o.resume) id = (await call(service, 'augment.resume', { id: o.resume })).id;
    else {
      if (!o.dataset) throw new StudioError('augment-study needs --dataset NAME (a labelled dataset; see `gan-studio datasets`)');
      const settings = {
        dataset: o.dataset,
        name: o.name,
        perClass: list('per-class', o['per-class'], true),
        synthetic: list('synthetic', o.synthetic, false),
        seeds: int('seeds', o.seeds),
        seed: int('seed', o.seed, 0),
        classifier: o.classifier,
        steps: int('steps', o.steps),
        ganSteps: int('gan-steps', o['gan-steps']),
        flips: o.flips,
        trainGans: !o['no-train-gans'],
      };
      id = (await call(service, 'augment.start', JSON.parse(JSON.stringify(settings)) as unknown)).id;
    }
    const status = await follow(service, id, !o.json && !!process.stderr.isTTY);
    const detail = await call(service, 'augment.show', { id });
    if (status === 'interrupted') {
      console.error(`stopped; measured cells are saved. Resume with: gan-studio augment-study --resume ${id}`);
      return 130;
    }
    await writeCsv(service, id, o.csv);
    report(detail, o);
    return status === 'completed' ? 0 : 1;
  } finally {
    await service.close();
  }
}

/** Waits for the study's end with a progress line; Ctrl-C interrupts it (the GAN runs save a checkpoint). */
async function follow(service: StudioService, id: string, tty: boolean): Promise<string> {
  const line = tty ? new StatusLine(process.stderr) : null;
  let lastLog = 0;
  const offProgress = service.on('augment.progress', (p) => {
    if (p.id !== id) return;
    const gans = p.gans ? `GANs ${barOf(p.ganFraction, 12)} ${p.gansDone}/${p.gans}  ` : '';
    const text = `${gans}classifiers ${barOf((p.cellsDone + p.cellFraction) / Math.max(1, p.cells), 16)} ${p.cellsDone}/${p.cells} cells`;
    if (line) line.draw(text);
    else if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      console.error(text);
    }
  });
  try {
    return await new Promise<string>((resolve) => {
      const off = service.on('augment.status', (s) => {
        if (s.id !== id || s.status === 'running') return;
        if (s.error) console.error(`\nstudy ${id} ${s.status}: ${s.error}`);
        off();
        resolve(s.status);
      });
      const interrupt = () => {
        line?.interrupt('stopping: the GAN runs save a checkpoint…');
        void service.close();
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
    });
  } finally {
    offProgress();
    line?.end();
  }
}

async function writeCsv(service: StudioService, id: string, path: string | undefined): Promise<void> {
  if (!path) return;
  writeFileSync(path, (await call(service, 'augment.csv', { id })).csv);
  console.error(`wrote ${path}`);
}

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '   —  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

function report(d: StudyDetail, o: { json?: boolean; csv?: string }): number {
  if (o.json) {
    console.log(JSON.stringify({ id: d.id, name: d.name, dataset: d.dataset, status: d.status, settings: d.settings, gans: d.gans, report: d.report, cells: d.cells }, null, 2));
    return 0;
  }
  console.log(`${d.name} (${d.id}): ${d.dataset}, ${d.status}, ${d.cellsDone}/${d.cellCount} cells, ${d.settings.seeds} seed(s), classifier ${d.settings.classifier}, ${d.settings.steps} steps`);
  console.log(table(d.report));
  for (const g of d.gans) console.log(`  GAN ${g.key.padEnd(8)} run ${g.runId} (${g.trained ? 'trained by the study' : 'an existing run'}, ${g.status}, step ${g.step}/${g.target})`);
  const minutes = d.cells.reduce((a, c) => a + c.ms, 0) / 60_000;
  if (d.cells.length) console.log(`  ${d.cells.length} classifiers, ${minutes.toFixed(1)} min of training and testing in all`);
  console.log(d.report.sentence);
  return 0;
}

/** Mean accuracy ± spread over seeds per K (rows) and arm (columns). */
export function table(r: StudyReport): string {
  const ms = [...new Set(r.rows.flatMap((row) => row.synthetic.map((s) => s.multiplier)))];
  const head = ['K', 'real only', ...ms.map((m) => `+${m}K synthetic`), 'classic aug.', 'best M'];
  const cell = (f: { mean: number; sd: number } | null | undefined) => (f ? `${pct(f.mean)} ± ${(100 * f.sd).toFixed(1)}` : '—');
  const rows = r.rows.map((row) => [kLabel(row.perClassKey), cell(row.real), ...ms.map((m) => cell(row.synthetic.find((s) => s.multiplier === m))), cell(row.classic), row.bestMultiplier === null ? '—' : `${row.bestMultiplier}K`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [head, ...rows].map((row) => '  ' + row.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
