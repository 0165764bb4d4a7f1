/**
 * The service's commands about queueing runs: sweeps (a grid of variants
 * created as one tagged group, queued here or on the workers) and the
 * remote queue (its order, the workers beating on it).
 */
import type { TrainConfigInput } from '../families/run-config.js';
import { StudioError } from '../errors.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import { expandSweep, sweepTag, variantName } from '../runs/sweep.js';
import type { CommandHandlers } from './contract.js';
import type { RemoteSide } from './remote-side.js';
import type { TrainingQueue } from './training-queue.js';

type QueueCommands = 'runs.sweep' | 'remote.workers' | 'remote.queue' | 'remote.reorder' | 'remote.settings' | 'remote.connect' | 'remote.disconnect';

export interface QueueContext {
  home: string;
  store: RunStore;
  training: TrainingQueue;
  remote: RemoteSide;
  /** A run checked and created as runs.create makes them, not yet queued. */
  createRun: (config: TrainConfigInput, name: string) => RunRecord;
}

/** `of` gives what the handlers need once the service has made it. */
export function queueHandlers(of: () => QueueContext): Pick<CommandHandlers, QueueCommands> {
  return {
    'runs.sweep': async ({ name, config, vary, remote, queue }) => {
      const ctx = of();
      if (queue && !remote) throw new StudioError('a place in the queue (priority, delay) is for runs on workers; add remote', 'INVALID_INPUT');
      const variants = expandSweep(config, vary);
      if (remote) await ctx.remote.queue();
      const { store } = ctx;
      const tag = sweepTag(new Date(), (t) => store.list().some((r) => r.tags.includes(t)));
      const base = name ?? `sweep of ${config.dataset}`;
      // Every variant is checked and created before any is queued: a bad value queues nothing.
      const created: RunRecord[] = [];
      try {
        for (const v of variants) created.push(ctx.createRun(v.config, variantName(base, v.label)));
      } catch (err) {
        for (const r of created) store.delete(r.id);
        throw err;
      }
      for (const r of created) store.setTags(r.id, [tag], []);
      const runs: RunRecord[] = [];
      for (const [i, r] of created.entries()) {
        try {
          runs.push(remote ? await ctx.remote.submit(r.id, false, undefined, queue) : ctx.training.enqueue({ home: ctx.home, runId: r.id, resume: false }));
        } catch (err) {
          // Those never queued go, rather than wait for ever; those queued train.
          for (const left of created.slice(i)) store.delete(left.id);
          if (runs.length === 0) throw err;
          throw new StudioError(`queued ${runs.length} of the sweep's ${created.length} runs (tag ${tag}); the rest could not be: ${(err as Error).message}`, 'FAILED');
        }
      }
      return { tag, runs };
    },
    'remote.workers': () => of().remote.workers(),
    'remote.queue': () => of().remote.queued(),
    'remote.reorder': async ({ ids }) => ({ runs: await of().remote.reorder(ids) }),
    'remote.settings': () => of().remote.settings(),
    'remote.connect': (input) => of().remote.connect(input),
    'remote.disconnect': () => of().remote.disconnect(),
  };
}
