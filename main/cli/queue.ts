/** `gan-studio queue`: this studio's runs waiting for (or training on) remote workers; reorder and cancel them. */
import { StudioError } from '../errors.js';
import { priorityName } from '../remote/priorities.js';
import { studioHome } from '../runs/home.js';
import { RunStore } from '../runs/store.js';
import type { QueuedRun } from '../service/contract.js';
import { StudioService } from '../service/studio-service.js';
import { confirmOrRefuse, table } from './ask.js';
import { parseOptions } from './options.js';
import { call } from './service-call.js';
import { REDIS_OPTIONS, redisTarget } from './remote-options.js';

const OPTIONS = { ...REDIS_OPTIONS, json: { type: 'boolean' }, first: { type: 'string' }, cancel: { type: 'string' }, yes: { type: 'boolean' } } as const;

function when(q: QueuedRun): string {
  if (q.state === 'training') return `training on ${q.worker ?? 'a worker'}`;
  if (q.state === 'delayed' && q.startsAt) return `waits until ${new Date(q.startsAt).toLocaleString()}`;
  return 'waiting';
}

export async function queueCommand(args: string[]): Promise<number> {
  const o = parseOptions('queue', args, OPTIONS);
  // None named: the Redis saved in the studio's Settings, if any (the service says what to do if not).
  const redis = redisTarget(o);
  const home = studioHome();
  // The CLI takes unique prefixes of run ids; the service wants whole ones.
  const whole = (list: string | undefined) => {
    if (!list) return [];
    const store = new RunStore(home);
    try {
      return list.split(',').map((p) => store.get(p.trim()).id);
    } finally {
      store.close();
    }
  };
  const first = whole(o.first);
  const cancel = whole(o.cancel);
  const service = new StudioService(home, { redis });
  try {
    for (const id of cancel) {
      const name = service.store.get(id).name;
      if (!(await confirmOrRefuse(o.yes, `Stop run ${id} (${name})? A waiting run leaves the queue; a training one saves a checkpoint and stops.`, `this stops run ${id}`))) return 1;
      const r = await call(service, 'runs.stop', { id });
      console.error(`run ${id}: ${r.status === 'stopped' ? 'taken out of the queue' : 'told to stop; its worker saves a checkpoint first'}`);
    }
    if (first.length) await call(service, 'remote.reorder', { ids: first });
    const q = await call(service, 'remote.queue', {});
    if (q.error) throw new StudioError(`Redis is out of reach: ${q.error}`, 'UNAVAILABLE');
    if (!q.redis) throw new StudioError('queue: the remote queue is on a Redis: --redis redis://host:6379, GAN_STUDIO_REDIS, or the one set in the studio\'s Settings');
    const runs = q.runs;
    if (o.json) console.log(JSON.stringify({ redis: q.redis, runs }));
    else if (runs.length === 0) console.log(`no run of this studio is queued on ${q.redis}`);
    else console.log(table(['#', 'run', 'name', 'state', 'priority'], runs.map((r, i) => [String(i + 1), r.run, r.name, when(r), priorityName(r.priority)])));
    return 0;
  } finally {
    await service.close();
  }
}
