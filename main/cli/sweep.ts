/**
 * `gan-studio sweep`: a grid of variants of one run (presets, losses,
 * learning rates, seeds) queued as one tagged group — here, trained one
 * after another, or on remote workers — and a table of how each did.
 */
import { requireBackend } from '../engine/backends.js';
import { StudioError } from '../errors.js';
import { studioHome } from '../runs/home.js';
import { SWEEP_AXES, type SweepAxes } from '../runs/sweep.js';
import { StudioService } from '../service/studio-service.js';
import { table } from './ask.js';
import { int, parseOptions } from './options.js';
import { ProgressBar, StatusLine } from './progress.js';
import { configFromOptions, queueSpot, remoteOf, TRAIN_OPTIONS } from './train.js';

const SWEEP_OPTIONS = { ...TRAIN_OPTIONS, vary: { type: 'string', multiple: true }, name: { type: 'string' } } as const;

/** `--vary lr=1e-3,2e-4` (repeatable) as the sweep's axes; the values are checked by the contract. */
export function parseVary(specs: string[]): SweepAxes {
  if (specs.length === 0) throw new StudioError(`sweep: give what to vary, e.g. --vary loss=bce,hinge --vary seed=1,2 (axes: ${SWEEP_AXES.join(', ')})`);
  const axes: Record<string, (string | number)[]> = {};
  for (const spec of specs) {
    const m = /^([a-z]+)=(.+)$/.exec(spec.trim());
    const axis = m?.[1] as (typeof SWEEP_AXES)[number] | undefined;
    if (!m || !axis || !SWEEP_AXES.includes(axis)) throw new StudioError(`sweep: --vary takes AXIS=V1,V2,… with AXIS one of ${SWEEP_AXES.join(', ')}; got "${spec}"`);
    if (axes[axis]) throw new StudioError(`sweep: --vary ${axis} is given twice; list its values once, comma-separated`);
    const values = m[2].split(',').map((v) => v.trim());
    axes[axis] = axis === 'lr' || axis === 'seed' ? values.map((v) => (v === '' || !Number.isFinite(Number(v)) ? v : Number(v))) : values;
  }
  return axes as SweepAxes;
}

export async function sweepCommand(args: string[]): Promise<number> {
  const o = parseOptions('sweep', args, SWEEP_OPTIONS);
  const vary = parseVary(o.vary ?? []);
  const { input, config } = configFromOptions(o);
  const remote = remoteOf(o);
  if (config.backend !== 'auto' && !remote) await requireBackend(config.backend);
  const json = !!o.json;
  const service = new StudioService(studioHome(), { previewEvery: int('sample-every', o['sample-every']), redis: remote?.redis });
  let ids: string[] = [];
  let interrupted = false;
  const onSigint = () => {
    if (interrupted || ids.length === 0) process.exit(130);
    interrupted = true;
    console.error('stopping the sweep: the run training saves a checkpoint, the waiting ones stay as they are (Ctrl-C again to quit at once)…');
    for (const id of ids) void service.call('runs.stop', { id });
  };
  process.on('SIGINT', onSigint);
  try {
    const ended = new Map<string, string | null>();
    let allEnded = () => {};
    const done = new Promise<void>((resolve) => (allEnded = resolve));
    let bar: ProgressBar | StatusLine | null = null;
    const say = (line: string) => (bar ? bar.interrupt(line) : console.error(line));
    service.on('run.started', (e) => {
      if (!ids.includes(e.id) || json) return;
      say(`[${ended.size + 1}/${ids.length}] ${service.store.get(e.id).name} on ${e.backend}${e.resumedFrom != null ? `, resumed at step ${e.resumedFrom}` : ''}`);
      if (process.stderr.isTTY) bar = new ProgressBar(process.stderr, e.step, e.target);
    });
    service.on('run.progress', (e) => ids.includes(e.id) && bar instanceof ProgressBar && bar.update(e.metrics));
    service.on('run.finished', (e) => {
      if (!ids.includes(e.id) || ended.has(e.id)) return;
      ended.set(e.id, e.error);
      const row = result(service, e.id);
      if (json) console.log(JSON.stringify({ type: 'run', ...row, error: e.error }));
      else say(`${row.name}: ${row.status} at step ${row.step}${row.fid != null ? `, FID ${row.fid.toFixed(2)}` : ''}${e.error ? ` — ${e.error}` : ''}`);
      if (ended.size === ids.length) allEnded();
    });

    const r = await service.call('runs.sweep', { name: o.name, config: input, vary, remote: !!remote, queue: queueSpot(o) });
    if (!r.ok) throw new StudioError(r.error.message);
    ids = r.value.runs.map((x) => x.id);
    if (json) console.log(JSON.stringify({ type: 'queued', tag: r.value.tag, runs: r.value.runs.map((x) => ({ run: x.id, name: x.name })) }));
    else console.error(`sweep ${r.value.tag}: ${ids.length} runs queued ${remote ? 'on the workers' : 'here, trained one after another'}`);
    if (o.detach) {
      if (!json) console.error(`the studio keeps what the workers train whenever it is open; open the group with: gan-studio runs compare ${ids.join(' ')}`);
      return 0;
    }
    await done;
    (bar as StatusLine | null)?.end();
    const rows = ids.map((id) => result(service, id)).sort((a, b) => (a.fid ?? Infinity) - (b.fid ?? Infinity));
    if (json) console.log(JSON.stringify({ type: 'sweep', tag: r.value.tag, runs: rows }));
    else {
      console.error(`\n${table(['run', 'name', 'status', 'step', 'FID', 'KID'], rows.map((x) => [x.run, x.name, x.status, String(x.step), x.fid?.toFixed(2) ?? '–', x.kid?.toFixed(3) ?? '–']))}`);
      console.error(`\nbest first; side by side: gan-studio runs compare ${rows.map((x) => x.run).join(' ')}`);
    }
    return interrupted ? 130 : rows.every((x) => x.status === 'completed') ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    await service.close();
  }
}

/** A run of the sweep as it ended, with its judges' last figures. */
function result(service: StudioService, id: string) {
  const r = service.store.get(id);
  const e = service.store.lastEvaluation(id);
  return { run: id, name: r.name, status: r.status, step: r.step, fid: e?.fid ?? null, kid: e?.kid ?? null };
}
