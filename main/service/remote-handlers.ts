/** The commands of remote training that are not about one run: who is out there. */
import type { RemoteRuns } from '../remote/remote-runs.js';
import type { CommandHandlers } from './contract.js';

export interface RemoteContext {
  /** The remote runs once Redis answers; null when the studio has no Redis set. */
  remote(): Promise<RemoteRuns> | null;
}

export function remoteHandlers(ctx: RemoteContext): Pick<CommandHandlers, 'remote.workers'> {
  return {
    'remote.workers': async () => {
      const pending = ctx.remote();
      if (!pending) return { redis: null, workers: [], error: null };
      try {
        const remote = await pending;
        return { redis: remote.address, workers: await remote.workers(), error: null };
      } catch (err) {
        return { redis: null, workers: [], error: (err as Error).message };
      }
    },
  };
}
