/**
 * The contract's commands about queueing runs: on remote workers (their
 * place in the BullMQ queue, the workers there) and as sweeps. Part of the
 * one contract (contract.ts spreads them into COMMANDS and CommandResults).
 */
import { z } from 'zod';
import { TrainConfigSchema } from '../families/run-config.js';
import { PRIORITIES } from '../remote/priorities.js';
import type { QueuedJob, WorkerInfo } from '../remote/remote-runs.js';
import type { RunRecord } from '../runs/store.js';
import { MAX_SWEEP, SweepAxesSchema } from '../runs/sweep.js';
import { RunId, SafeName } from '../core/names.js';

export type { WorkerInfo };

/** Where a remote run goes in the queue: its priority, and a delay before any worker may take it. */
export const QueueOptionsSchema = z
  .object({
    priority: z.enum(PRIORITIES).default('normal'),
    /** Minutes before a worker may take it (BullMQ's delayed jobs); up to a week. */
    delayMinutes: z.number().min(0).max(7 * 24 * 60).default(0),
  })
  .strict();
export type QueueOptions = z.output<typeof QueueOptionsSchema>;

export const QUEUE_COMMANDS = {
  /** Where the studio's Redis comes from and whether it answers (the password never leaves the service). */
  'remote.settings': z.object({}).strict(),
  /**
   * Points the studio at a Redis (Settings): it must answer first; then it
   * replaces the one in use. `remember` keeps the address for the next start
   * (without the password, which only the OS keychain keeps, where the
   * desktop app has one).
   */
  'remote.connect': z
    .object({
      url: z.string().trim().min(1).max(2000).regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
      /** Replaces a password written in the URL. */
      password: z.string().max(1000).optional(),
      tls: z.boolean().default(false),
      remember: z.boolean().default(true),
    })
    .strict(),
  /** Stops using the Redis and forgets the saved one; remote runs keep what was read of them. */
  'remote.disconnect': z.object({}).strict(),
  /** The Redis the studio trains remote runs through (password hidden), and the workers beating there. */
  'remote.workers': z.object({}).strict(),
  /** The studio's remote runs in the queue: training first, then in the order workers will take them, then the delayed. */
  'remote.queue': z.object({}).strict(),
  /** Puts the waiting runs in this order (those not named keep their place after them). */
  'remote.reorder': z.object({ ids: z.array(RunId).min(1).max(1000) }).strict(),
  /**
   * A grid of variants of one configuration (every combination of the
   * values given), created as runs with one `sweep-…` tag and queued here or
   * on the workers; the tag opens them in compare.
   */
  'runs.sweep': z
    .object({
      name: SafeName.optional(),
      config: TrainConfigSchema,
      vary: SweepAxesSchema,
      remote: z.boolean().default(false),
      queue: QueueOptionsSchema.optional(),
    })
    .strict(),
} as const;

/** A remote run's place in the queue, with its name here. */
export type QueuedRun = QueuedJob & { name: string };

/** The studio's Redis as Settings shows it. */
export interface RemoteSettings {
  /** The address, password hidden; null when none is set. */
  redis: string | null;
  tls: boolean;
  /** Where it came from: --redis or GAN_STUDIO_REDIS ('command line'), or Settings. */
  from: 'command line' | 'settings' | null;
  connected: boolean;
  /** Why it is not connected: out of reach, or a saved address whose password is not kept. */
  error: string | null;
  /** The OS keychain can keep the password (the desktop app's). */
  keychain: boolean;
}

export interface QueueResults {
  'remote.settings': RemoteSettings;
  'remote.connect': RemoteSettings;
  'remote.disconnect': RemoteSettings;
  'remote.workers': { redis: string | null; workers: WorkerInfo[]; error: string | null };
  'remote.queue': { redis: string | null; runs: QueuedRun[]; error: string | null };
  'remote.reorder': { runs: QueuedRun[] };
  'runs.sweep': { tag: string; runs: RunRecord[] };
}

export { MAX_SWEEP, PRIORITIES };
