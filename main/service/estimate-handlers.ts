/**
 * runs.estimate: what a run will take before it exists. Its speed is
 * measured on a throwaway copy in a worker (training/speed.ts); what similar
 * finished runs needed comes from the runs and metrics the studio keeps
 * (runs/time-to-quality.ts).
 */
import { showDataset } from '../datasets/store.js';
import { StudioError, messageOf } from '../errors.js';
import type { TrainConfig, TrainConfigInput } from '../families/run-config.js';
import type { RunStore } from '../runs/store.js';
import { qualityRecords, reachOf, similarRuns } from '../runs/time-to-quality.js';
import { measureSpeed } from '../training/speed.js';
import type { SpeedEstimate } from './contract-estimate.js';
import type { CommandHandlers, EventName, StudioEvents } from './contract.js';

export interface EstimateContext {
  home: string;
  store: RunStore;
  /** The settings runs.create would give the run (refusing what it would refuse). */
  checkRun(config: TrainConfigInput, from?: string): TrainConfig;
  busyRuns(): number;
  emit<E extends EventName>(event: E, payload: StudioEvents[E]): void;
}

export function estimateHandlers(context: () => EstimateContext): Pick<CommandHandlers, 'runs.estimate'> {
  return {
    'runs.estimate': async ({ config, from, measure, timedSteps, fid, ticket }) => {
      const ctx = context();
      const run = ctx.checkRun(config, from);
      const d = showDataset(ctx.store.db, run.dataset)!;
      const kind = { task: run.task, model: run.model, dataset: d.name, size: d.size, channels: d.channels, images: d.imageCount };
      const records = qualityRecords(ctx.store.db, ctx.store.list(), (n) => showDataset(ctx.store.db, n));
      const similar = similarRuns(records, kind);
      let speed: SpeedEstimate | null = null;
      if (measure) {
        const busy = ctx.busyRuns();
        let m;
        try {
          m = await measureSpeed(ctx.home, run, timedSteps, (done, total) => ticket && ctx.emit('estimate.progress', { ticket, done, total }));
        } catch (err) {
          throw new StudioError(`${messageOf(err)} (settings that train are needed to measure them)`, 'INVALID_INPUT');
        }
        speed = {
          backend: m.backend.name,
          backendDetail: m.backend.detail,
          warmupSteps: m.warmupSteps,
          timedSteps: m.ms.length,
          secondsPerStep: m.secondsPerStep,
          range: [Math.min(...m.ms) / 1000, Math.max(...m.ms) / 1000],
          busyRuns: Math.max(busy, ctx.busyRuns()),
        };
      }
      return {
        ...kind,
        steps: run.steps,
        speed,
        totalSeconds: speed ? run.steps * speed.secondsPerStep : null,
        similar: similar.map(({ fids: _, ...r }) => r),
        reach: reachOf(similar, d.name, fid, speed ? speed.secondsPerStep * 1000 : null),
      };
    },
  };
}
