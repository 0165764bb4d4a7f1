/** `gan-studio runs` and `gan-studio backends`. */
import { probeBackends } from '../engine/backends.js';
import { RunStore } from '../runs/store.js';
import { studioHome } from '../runs/home.js';
import { parseOptions } from './options.js';

export async function runsCommand(args: string[]): Promise<number> {
  const o = parseOptions('runs', args, { json: { type: 'boolean' } } as const);
  const store = new RunStore(studioHome());
  const runs = store.list();
  if (o.json) {
    for (const r of runs) console.log(JSON.stringify({ run: r.id, status: r.status, step: r.step, target: r.targetSteps, dataset: r.config.dataset, model: r.config.model, loss: r.config.loss, created: r.createdAt }));
    return 0;
  }
  if (runs.length === 0) {
    console.log(`no runs yet in ${store.root}; start one with: gan-studio train --dataset builtin:mnist`);
    return 0;
  }
  const rows = runs.map((r) => [r.id, r.status, `${r.step}/${r.targetSteps}`, r.config.dataset, `${r.config.model}/${r.config.loss}`, r.createdAt.slice(0, 16).replace('T', ' ')]);
  const head = ['RUN', 'STATUS', 'STEP', 'DATASET', 'MODEL/LOSS', 'CREATED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  return 0;
}

export async function backendsCommand(args: string[]): Promise<number> {
  const o = parseOptions('backends', args, { json: { type: 'boolean' } } as const);
  const statuses = await probeBackends();
  if (o.json) {
    console.log(JSON.stringify(statuses));
    return 0;
  }
  for (const s of statuses) {
    console.log(`${s.available ? '✓' : '✗'} ${s.name.padEnd(10)} ${s.detail}${s.reason ? ` — ${s.reason}` : ''}`);
  }
  const first = statuses.find((s) => s.available);
  console.log(`auto picks: ${first?.name ?? 'none'}`);
  return 0;
}
