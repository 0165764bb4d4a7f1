/**
 * The page's state that outlives any one view: datasets, runs, imports in
 * progress and live training numbers, kept current from the studio's events.
 */
import type { StudioBridge } from '../../../main/service/bridge';
import type { CommandInput, CommandName, DatasetInfo, ImportProgress, ImportReport } from '../../../main/service/contract';
import type { RunRecord } from '../../../main/runs/store';
import type { StepMetrics } from '../../../main/engine/step-metrics';
import type { Evaluation } from '../../../main/evaluation/evaluation';
import { diversityAlarm } from '../../../main/evaluation/status';

export type View =
  | { name: 'datasets' }
  | { name: 'new-run'; dataset?: string }
  | { name: 'runs'; filter?: string }
  | { name: 'run'; id: string }
  | { name: 'explore'; id: string }
  | { name: 'compare'; ids: string[] }
  | { name: 'upscale'; id?: string }
  | { name: 'translate'; id?: string }
  | { name: 'edit'; id?: string }
  | { name: 'studies' }
  | { name: 'playground' }
  | { name: 'settings' };

export interface LiveRun {
  step: number;
  target: number;
  metrics: StepMetrics;
}

export interface Toast {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

export class Studio {
  view = $state<View>({ name: 'datasets' });
  datasets = $state<DatasetInfo[]>([]);
  runs = $state<RunRecord[]>([]);
  imports = $state<Record<string, ImportProgress>>({});
  lastReport = $state<ImportReport | null>(null);
  live = $state<Record<string, LiveRun>>({});
  /** Newest preview snapshot step per run, as announced. */
  snapshots = $state<Record<string, number>>({});
  toasts = $state<Toast[]>([]);
  /** Each run's evaluations announced since the page opened, oldest first. */
  evaluations = $state<Record<string, Evaluation[]>>({});
  /** Tiles done of upscales in flight, by ticket. */
  upscales = $state<Record<string, { done: number; total: number }>>({});
  /** Tiles done of translations in flight, by ticket. */
  translations = $state<Record<string, { done: number; total: number }>>({});
  /** Steps done of speed measurements in flight (runs.estimate), by ticket. */
  estimates = $state<Record<string, { done: number; total: number }>>({});
  private toastId = 0;
  /** Listeners for each metrics point of a run (the run view's charts). */
  private readonly progressListeners = new Set<(id: string, m: StepMetrics) => void>();

  constructor(readonly api: StudioBridge) {
    api.subscribe((name, payload) => {
      switch (name) {
        case 'dataset.import.progress': {
          const p = payload as ImportProgress;
          this.imports = { ...this.imports, [p.name]: p };
          break;
        }
        case 'dataset.import.finished': {
          const { name: ds } = payload as { name: string };
          const { [ds]: _done, ...rest } = this.imports;
          this.imports = rest;
          void this.refreshDatasets();
          break;
        }
        case 'run.progress': {
          const { id, metrics, target } = payload as { id: string; metrics: StepMetrics; target: number };
          this.live[id] = { step: metrics.step, target, metrics };
          for (const l of this.progressListeners) l(id, metrics);
          break;
        }
        case 'run.sample': {
          const { id, step } = payload as { id: string; step: number };
          this.snapshots[id] = step;
          break;
        }
        case 'run.evaluation': {
          const { id, evaluation } = payload as { id: string; evaluation: Evaluation };
          const seen = this.evaluations[id] ?? [];
          const alarm = diversityAlarm(seen, evaluation);
          this.evaluations[id] = [...seen, evaluation];
          const name = this.runs.find((r) => r.id === id)?.name ?? id;
          if (alarm) this.notify('warning', `${name}: ${alarm}`);
          break;
        }
        case 'run.status':
        case 'run.finished':
        case 'run.started':
          void this.refreshRuns();
          break;
        case 'run.warning':
          this.notify('info', (payload as { message: string }).message);
          break;
        case 'upscale.progress': {
          const { ticket, done, total } = payload as { ticket: string; done: number; total: number };
          this.upscales[ticket] = { done, total };
          break;
        }
        case 'translate.progress': {
          const { ticket, done, total } = payload as { ticket: string; done: number; total: number };
          this.translations[ticket] = { done, total };
          break;
        }
        case 'estimate.progress': {
          const { ticket, done, total } = payload as { ticket: string; done: number; total: number };
          this.estimates[ticket] = { done, total };
          break;
        }
      }
    });
    void this.refreshDatasets();
    void this.refreshRuns();
  }

  /** A command whose failure is shown to the person, not thrown. */
  async run<C extends CommandName>(name: C, input: CommandInput<C>) {
    const r = await this.api.call(name, input);
    if (!r.ok) {
      this.notify('error', r.error.message);
      return null;
    }
    return r.value;
  }

  notify(kind: Toast['kind'], text: string): void {
    const id = ++this.toastId;
    this.toasts = [...this.toasts, { id, kind, text }];
    setTimeout(() => this.dismiss(id), kind === 'info' ? 5_000 : 10_000);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  onProgress(listener: (id: string, m: StepMetrics) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  async refreshDatasets(): Promise<void> {
    const d = await this.run('datasets.list', {});
    if (d) this.datasets = d;
  }

  async refreshRuns(): Promise<void> {
    const r = await this.run('runs.list', {});
    if (r) this.runs = r;
  }

  go(view: View): void {
    this.view = view;
  }
}
