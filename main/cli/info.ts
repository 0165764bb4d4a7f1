/** `gan-studio backends`. */
import { probeBackends } from '../engine/backends.js';
import { parseOptions } from './options.js';

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
