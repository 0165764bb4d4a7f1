/**
 * What travels between the studio and its workers: the job a run is queued
 * as (parsed with a schema before anything else happens — a hostile job can
 * name no path: datasets are content hashes, the run an id), and the events
 * a worker appends to the run's stream.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BLOB_TTL_S } from './blobs.js';
import { keys } from './keys.js';
import { TrainConfigSchema, resolveConfig, type TrainConfig } from '../families/run-config.js';
import type { BackendStatus } from '../engine/backends.js';
import type { StepMetrics } from '../engine/step-metrics.js';
import type { StepLoopResult } from '../engine/step-loop.js';

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256');
const DatasetRef = z.object({ hash: Hash, bytes: z.number().int().positive().max(2 ** 31) }).strict();

export const RemoteJobSchema = z
  .object({
    v: z.literal(1),
    run: z.string().regex(/^\d{8}-\d{6}-[0-9a-f]{4}$/, 'is not a run id'),
    // The dataset's name is only a label on the worker (it trains on the hash's bytes); still, no path.
    config: TrainConfigSchema.refine((c) => !/[/\\]|\.\./.test(c.dataset), { message: 'names a path as its dataset', path: ['dataset'] }),
    target: z.number().int().positive().max(1e9),
    previewEvery: z.number().int().positive().max(1e9),
    dataset: DatasetRef,
    datasetB: DatasetRef.nullable(),
    /** The studio that queued it, as its person named it (shown on the Workers panel). */
    from: z.string().max(100),
  })
  .strict();

export type RemoteJob = Omit<z.output<typeof RemoteJobSchema>, 'config'> & { config: TrainConfig };

/** The job as a worker may act on it, or why it is refused. */
export function parseJob(data: unknown): { ok: true; job: RemoteJob } | { ok: false; error: z.ZodError } {
  const r = RemoteJobSchema.safeParse(data);
  if (!r.success) return { ok: false, error: r.error };
  return { ok: true, job: { ...r.data, config: resolveConfig(r.data.config) } };
}

/** One entry of a run's event stream (the field `e`, JSON; a preview's PNG rides in the field `png`). */
export type RemoteEvent =
  | { type: 'started'; worker: string; backend: BackendStatus; step: number; target: number; resumedFrom: number | null }
  | { type: 'steps'; metrics: StepMetrics[] }
  /** The checkpoint is in Redis (keys.checkpoint) before this is written. */
  | { type: 'checkpoint'; step: number }
  | { type: 'preview'; step: number; seed: number }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'warning'; message: string }
  | { type: 'done'; status: 'completed' | 'stopped'; step: number; trained: number; result: StepLoopResult; backend: string }
  | { type: 'failed'; message: string };

export type ControlState = 'run' | 'pause' | 'stop';

/** Events a run's stream keeps for a studio that is closed (each entry is a batch of steps). */
export const STREAM_MAX = 100_000;

/** A run's event stream, as a worker writes it (and the studio, for a job that ended without a word from one). */
export class RunEvents {
  constructor(
    private readonly redis: Redis,
    private readonly run: string,
  ) {}

  async add(e: RemoteEvent, png?: Buffer): Promise<void> {
    const key = keys.events(this.run);
    const fields: (string | Buffer)[] = ['e', JSON.stringify(e)];
    if (png) fields.push('png', png);
    await this.redis.multi().xadd(key, 'MAXLEN', '~', STREAM_MAX, '*', ...fields).expire(key, BLOB_TTL_S).exec();
  }

  /** The newest event in the stream, if it is readable. */
  async last(): Promise<RemoteEvent | null> {
    const [entry] = await this.redis.xrevrange(keys.events(this.run), '+', '-', 'COUNT', 1);
    const i = entry?.[1].indexOf('e') ?? -1;
    try {
      return i >= 0 && i % 2 === 0 ? (JSON.parse(entry![1][i + 1]) as RemoteEvent) : null;
    } catch {
      return null;
    }
  }
}
