/** `gan-studio backends`. */
import { autoCandidates, probeBackends } from '../engine/backends.js';
import { parseOptions } from './options.js';

export async function backendsCommand(args: string[]): Promise<number> {
  const o = parseOptions('backends', args, { json: { type: 'boolean' } } as const);
  const statuses = await probeBackends();
  const auto = autoCandidates(statuses)[0];
  if (o.json) {
    console.log(JSON.stringify(statuses));
    return 0;
  }
  for (const s of statuses) {
    const note = s.adapter?.software ? ' — a software adapter: slower than the CPU engines, used only with --backend webgpu' : '';
    console.log(`${s.available ? '✓' : '✗'} ${s.name.padEnd(10)} ${s.detail}${s.reason ? ` — ${s.reason}` : ''}${note}`);
  }
  console.log(`auto picks: ${auto?.name ?? 'none'}`);
  return 0;
}
