/** `gan-studio runs list|show|compare|delete`. */
import { StudioError } from '../errors.js';
import { RunStore, type RunRecord } from '../runs/store.js';
import { studioHome } from '../runs/home.js';
import { parseOptions } from './options.js';
import { confirmOrRefuse, table } from './ask.js';

const OPTIONS = { json: { type: 'boolean' }, yes: { type: 'boolean' } } as const;


function summary(store: RunStore, r: RunRecord) {
  const m = store.lastMetrics(r.id);
  const last = m && { step: m.step, d_loss: m.dLoss, g_loss: m.gLoss, d_real: m.dReal, d_fake: m.dFake, images_per_s: m.imagesPerSec };
  return {
    run: r.id,
    name: r.name,
    status: r.status,
    step: r.step,
    target: r.targetSteps,
    dataset: r.config.dataset,
    model: r.config.model,
    loss: r.config.loss,
    backend: r.backend,
    created: r.createdAt,
    started: r.startedAt,
    ended: r.endedAt,
    tags: r.tags,
    notes: r.notes,
    error: r.error,
    last_metrics: last ?? null,
  };
}

export async function runsCommand(args: string[]): Promise<number> {
  const [sub = 'list', ...rest] = args[0]?.startsWith('-') ? ['list', ...args] : args;
  const ids = rest.filter((a) => !a.startsWith('-'));
  const o = parseOptions(`runs ${sub}`, rest.filter((a) => a.startsWith('-')), OPTIONS);
  const store = new RunStore(studioHome());
  try {
    store.markInterrupted();
    switch (sub) {
      case 'list': {
        const runs = store.list();
        if (o.json) console.log(JSON.stringify(runs.map((r) => summary(store, r))));
        else if (runs.length === 0) console.log(`no runs yet in ${store.home}; start one with: gan-studio train --dataset builtin:mnist`);
        else {
          console.log(
            table(
              ['RUN', 'STATUS', 'STEP', 'DATASET', 'MODEL/LOSS', 'CREATED'],
              runs.map((r) => [r.id, r.status, `${r.step}/${r.targetSteps}`, r.config.dataset, `${r.config.model}/${r.config.loss}`, r.createdAt.slice(0, 16).replace('T', ' ')]),
            ),
          );
        }
        return 0;
      }
      case 'show': {
        if (ids.length !== 1) throw new StudioError('runs show: give one run id');
        const r = store.get(ids[0]);
        const detail = { ...summary(store, r), config: r.config, checkpoints: store.checkpointSteps(r.id), samples: store.sampleSteps(r.id), folder: store.dir(r.id) };
        if (o.json) console.log(JSON.stringify(detail));
        else {
          for (const [k, v] of Object.entries(detail)) console.log(`${k.padEnd(14)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
        }
        return 0;
      }
      case 'compare': {
        if (ids.length < 2) throw new StudioError('runs compare: give two or more run ids');
        const runs = ids.map((id) => store.get(id));
        const keys = Object.keys(runs[0].config).filter((k) => runs.some((r) => JSON.stringify(r.config[k as keyof typeof r.config]) !== JSON.stringify(runs[0].config[k as keyof typeof r.config])));
        const rows = runs.map((r) => {
          const s = summary(store, r);
          const m = s.last_metrics;
          return { run: r.id, status: r.status, step: r.step, differs: Object.fromEntries(keys.map((k) => [k, r.config[k as keyof typeof r.config]])), d_loss: m?.d_loss ?? null, g_loss: m?.g_loss ?? null, d_real: m?.d_real ?? null, d_fake: m?.d_fake ?? null, images_per_s: m?.images_per_s ?? null };
        });
        if (o.json) console.log(JSON.stringify({ differing_settings: keys, runs: rows }));
        else {
          const fmt = (v: number | null) => (v == null ? '-' : v.toFixed(3));
          console.log(
            table(
              ['RUN', 'STATUS', 'STEP', ...keys.map((k) => k.toUpperCase()), 'D LOSS', 'G LOSS', 'D(x)', 'D(G(z))'],
              rows.map((r) => [r.run, r.status, String(r.step), ...keys.map((k) => String(r.differs[k])), fmt(r.d_loss), fmt(r.g_loss), fmt(r.d_real), fmt(r.d_fake)]),
            ),
          );
          if (keys.length === 0) console.log('(same settings)');
        }
        return 0;
      }
      case 'delete': {
        if (ids.length !== 1) throw new StudioError('runs delete: give one run id');
        const r = store.get(ids[0]);
        if (r.status === 'running' || r.status === 'paused') throw new StudioError(`run ${r.id} is ${r.status}; stop it before deleting it`);
        const sure = await confirmOrRefuse(o.yes, `Delete run ${r.id} (${r.name}, step ${r.step}) and its checkpoints and samples?`, `runs delete removes run ${r.id} and its files for good`);
        if (!sure) return 1;
        store.delete(r.id);
        if (o.json) console.log(JSON.stringify({ deleted: r.id }));
        else console.error(`deleted run ${r.id}`);
        return 0;
      }
      default:
        throw new StudioError(`runs: unknown subcommand "${sub}"; use list, show, compare or delete`);
    }
  } finally {
    store.close();
  }
}
