/** `gan-studio worker`: trains the runs queued on a Redis for the studios that share it. */
import { join } from 'node:path';
import { requireBackend } from '../engine/backends.js';
import { StudioError } from '../errors.js';
import { redactUrl } from '../remote/connection.js';
import { RemoteWorker } from '../remote/worker.js';
import { studioHome } from '../runs/home.js';
import { backendChoice, int, parseOptions } from './options.js';
import { REDIS_OPTIONS, redisTarget } from './remote-options.js';

/** How long a stopping worker waits, by default, to hand its runs back (--stop-wait). */
const CLOSE_S = 15;

const OPTIONS = { ...REDIS_OPTIONS, backend: { type: 'string' }, concurrency: { type: 'string' }, name: { type: 'string' }, 'lock-ms': { type: 'string' }, 'stop-wait': { type: 'string' } } as const;

export async function workerCommand(args: string[]): Promise<number> {
  const o = parseOptions('worker', args, OPTIONS);
  const redis = redisTarget(o);
  if (!redis) throw new StudioError('worker: --redis redis://[user:password@]host:6379[/db] is required (or set GAN_STUDIO_REDIS)');
  const backend = backendChoice(o.backend);
  const closeS = int('stop-wait', o['stop-wait']) ?? CLOSE_S;
  if (backend && backend !== 'auto') await requireBackend(backend);
  if (o.name !== undefined && !/^[\w.-]{1,64}$/.test(o.name)) throw new StudioError('worker: --name is letters, digits, . _ - (at most 64)');
  const worker = new RemoteWorker({
    redis,
    cacheDir: join(studioHome(), 'worker-cache'),
    name: o.name,
    backend,
    concurrency: int('concurrency', o.concurrency) ?? 1,
    lockMs: int('lock-ms', o['lock-ms']),
    say: (line) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`),
  });
  await worker.start();
  console.error(`worker ${worker.name} is taking runs from ${redactUrl(redis.url)} (Ctrl-C stops: a run in training saves a checkpoint and goes back to the queue)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  console.error('stopping… (Ctrl-C again to quit at once)');
  const quit = () => process.exit(130);
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  // With Redis out of reach the run cannot be handed back; it goes back to the queue when BullMQ finds it stalled.
  const gaveUp = await Promise.race([worker.close().then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), closeS * 1000).unref())]);
  if (gaveUp) {
    console.error(`Redis did not answer within ${closeS} s; quitting: the run resumes on the next worker from its last checkpoint`);
    // Its connections would keep retrying, and the process alive, for ever.
    process.exit(1);
  }
  return 0;
}
