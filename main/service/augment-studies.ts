/**
 * Augmentation studies as the service drives them: the GAN runs a study
 * needs found among the runs (same dataset, same subset) or queued like any
 * run, then each cell (a K and a seed) measured in the generation worker's
 * batch lane as soon as its GAN is ready, saved as it finishes. A study the
 * process lost (a restart, a crash) reads as interrupted; resuming it measures
 * only the cells not saved, and resumes its GAN runs that did not finish.
 */
import { StudioError, messageOf } from '../errors.js';
import type { GenerationHost } from '../generation/host.js';
import type { CheckpointRef } from '../generation/protocol.js';
import type { DatasetDetail } from '../datasets/store.js';
import { flipsAllowed, ganSubsets, perClassKey, studySeeds, subsetKey, type StudySettings } from '../studies/settings.js';
import type { TrainConfigInput } from '../families/run-config.js';
import { SIZES } from '../engine/networks.js';
import type { RunRecord, RunStore } from '../runs/store.js';
import { StudyStore, type StudyRecord } from '../runs/studies.js';
import type { EventName, StudioEvents, StudyProgress } from './contract.js';

export interface StudyContext {
  home: string;
  store: RunStore;
  generation: GenerationHost;
  dataset(name: string): DatasetDetail;
  checkpointRef(id: string): CheckpointRef;
  /** Creates and queues a run as runs.create does. */
  createRun(config: TrainConfigInput, name: string): RunRecord;
  /** Queues a stopped or interrupted run again, from its checkpoint when it has one. */
  restartRun(id: string): void;
  stopRun(id: string): Promise<void>;
  /** Training or waiting to. */
  isTraining(id: string): boolean;
  emit<E extends EventName>(event: E, payload: StudioEvents[E]): void;
}

/** How often a study waiting for its GANs looks at them. */
const POLL_MS = 1000;

const fail = (code: 'INVALID_INPUT' | 'CONFLICT' | 'NOT_FOUND', message: string) => new StudioError(message, code);

export class AugmentStudies {
  readonly studies: StudyStore;
  private readonly active = new Map<string, { stopping: boolean; ticket: string; progress: StudyProgress }>();

  constructor(readonly ctx: StudyContext) {
    this.studies = new StudyStore(ctx.store.db);
  }

  get(id: string): StudyRecord {
    const s = this.studies.find(id);
    if (!s) throw fail('NOT_FOUND', `no augmentation study ${id}`);
    return s;
  }

  /** Progress of a study this process drives, null otherwise. */
  progress(id: string): StudyProgress | null {
    return this.active.get(id)?.progress ?? null;
  }

  start(settings: StudySettings, name: string | undefined): StudyRecord {
    const d = this.ctx.dataset(settings.dataset);
    if (d.classes.length < 2) throw fail('INVALID_INPUT', `dataset ${settings.dataset} has no classes; an augmentation study compares classifiers of a labelled dataset (import a folder with one subfolder per class)`);
    if (!(SIZES as readonly number[]).includes(d.size)) throw fail('INVALID_INPUT', `dataset ${settings.dataset} has ${d.size} px images; the classifier and the GANs are built for ${SIZES.join(', ')} px`);
    const clean: StudySettings = { ...settings, perClass: [...new Set(settings.perClass)].sort((a, b) => (a === 'all' ? 1 : b === 'all' ? -1 : a - b)), synthetic: [...new Set([0, ...settings.synthetic])].sort((a, b) => a - b) };
    const study = this.studies.create(clean, name ?? `augmentation of ${settings.dataset}`);
    try {
      this.studies.setRuns(study.id, this.assignRuns(clean, {}));
    } catch (err) {
      // A GAN run that could not be made: no study either.
      this.studies.delete(study.id);
      throw err;
    }
    this.drive(study.id);
    return this.get(study.id);
  }

  resume(id: string): StudyRecord {
    const s = this.get(id);
    if (this.active.has(id)) throw fail('CONFLICT', `study ${id} is already ${s.status}`);
    if (s.status === 'completed') throw fail('CONFLICT', `study ${id} is complete`);
    this.studies.setRuns(id, this.assignRuns(s.settings, s.runs));
    this.drive(id);
    return this.get(id);
  }

  /** Stops measuring (the cell under way is dropped) and stops the GAN runs the study queued; resume picks both up again. */
  async stop(id: string, status: 'stopped' | 'interrupted' = 'stopped'): Promise<StudyRecord> {
    const s = this.get(id);
    const a = this.active.get(id);
    if (!a) throw fail('CONFLICT', `study ${id} is not running (it is ${s.status})`);
    a.stopping = true;
    this.ctx.generation.cancel(a.ticket);
    this.active.delete(id);
    this.studies.setStatus(id, status);
    if (status === 'stopped') {
      for (const { runId, trained } of Object.values(s.runs)) if (trained && this.ctx.isTraining(runId)) await this.ctx.stopRun(runId).catch(() => undefined);
    }
    this.ctx.emit('augment.status', { id, status, error: null });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    if (this.active.has(id)) await this.stop(id);
    this.studies.delete(id);
  }

  /** Every study this process drives, left interrupted: the next start resumes them on request. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.active.keys()].map((id) => this.stop(id, 'interrupted')));
  }

  /**
   * The GAN run of each subset: the one already assigned while it exists,
   * else the newest matching run (finished first), else a new one queued
   * when the study trains its GANs. Unfinished runs the study trained are
   * queued again.
   */
  private assignRuns(s: StudySettings, had: StudyRecord['runs']): StudyRecord['runs'] {
    const out: StudyRecord['runs'] = {};
    const runs = this.ctx.store.list();
    for (const subset of ganSubsets(s)) {
      const key = subsetKey(subset);
      const kept = had[key] && runs.find((r) => r.id === had[key].runId);
      if (kept) {
        out[key] = had[key];
        if (kept.status !== 'completed' && !this.ctx.isTraining(kept.id) && s.trainGans) this.ctx.restartRun(kept.id);
        continue;
      }
      const matching = runs
        .filter((r) => r.config.task === 'generate' && r.config.model === 'cdcgan' && r.config.dataset === s.dataset && r.config.subset && subsetKey(r.config.subset) === key)
        .sort((a, b) => Number(b.status === 'completed') - Number(a.status === 'completed') || b.createdAt.localeCompare(a.createdAt));
      if (matching[0]) {
        out[key] = { runId: matching[0].id, trained: false };
        continue;
      }
      if (!s.trainGans) continue;
      const label = subset.perClass === 'all' ? 'all' : `K=${subset.perClass}, seed ${subset.seed}`;
      const r = this.ctx.createRun({ dataset: s.dataset, model: 'cdcgan', seed: subset.seed, subset, ...(s.ganSteps ? { steps: s.ganSteps } : {}) }, `augmentation GAN: ${s.dataset}, ${label}`);
      out[key] = { runId: r.id, trained: true };
    }
    return out;
  }

  private drive(id: string): void {
    const ticket = `augment-${id}-${Date.now()}`;
    const state = { stopping: false, ticket, progress: { cellsDone: 0, cells: 0, cellFraction: 0, gansDone: 0, gans: 0, ganFraction: 0 } };
    this.active.set(id, state);
    this.studies.setStatus(id, 'running');
    this.ctx.emit('augment.status', { id, status: 'running', error: null });
    this.measure(id, state).then(
      () => {
        if (state.stopping) return;
        this.active.delete(id);
        this.studies.setStatus(id, 'completed');
        this.ctx.emit('augment.status', { id, status: 'completed', error: null });
      },
      (err) => {
        if (state.stopping) return;
        this.active.delete(id);
        const message = messageOf(err);
        this.studies.setStatus(id, 'failed', message);
        this.ctx.emit('augment.status', { id, status: 'failed', error: message });
      },
    );
  }

  private async measure(id: string, state: { stopping: boolean; ticket: string; progress: StudyProgress }): Promise<void> {
    const study = this.get(id);
    const s = study.settings;
    const { classes } = this.ctx.dataset(s.dataset);
    const settings = { classifier: s.classifier, steps: s.steps, batch: s.batch, lr: s.lr, flips: flipsAllowed(s.flips, classes), multipliers: s.synthetic };
    const todo = s.perClass.flatMap((k) => studySeeds(s).map((seed) => ({ perClass: k, seed })));
    const saved = new Set(this.studies.cells(id).map((c) => `${c.perClassKey}/${c.seed}`));
    const remaining = todo.filter((c) => !saved.has(`${perClassKey(c.perClass)}/${c.seed}`));
    const progress = state.progress;
    progress.cells = todo.length;
    progress.cellsDone = todo.length - remaining.length;
    const publish = () => this.ctx.emit('augment.progress', { id, ...progress });
    const wantsGan = s.synthetic.some((m) => m > 0);
    while (remaining.length > 0) {
      if (state.stopping) return;
      const runs = this.get(id).runs;
      this.ganProgress(runs, progress);
      // The first cell whose GAN is ready (or that has none to wait for).
      let next = -1;
      let ckpt: CheckpointRef | null = null;
      let runId: string | null = null;
      for (const [i, c] of remaining.entries()) {
        const assigned = wantsGan ? runs[subsetKey({ perClass: c.perClass, seed: c.perClass === 'all' ? s.seed : c.seed })] : undefined;
        if (!assigned) {
          next = i;
          break;
        }
        const r = this.ctx.store.find(assigned.runId);
        if (!r) throw new StudioError(`GAN run ${assigned.runId} (${perClassKey(c.perClass)} per class) was deleted; resume the study to train another`);
        if (r.status === 'completed') {
          next = i;
          ckpt = this.ctx.checkpointRef(r.id);
          runId = r.id;
          break;
        }
        if (!this.ctx.isTraining(r.id)) {
          throw new StudioError(`GAN run ${r.id} (${perClassKey(c.perClass)} per class) is ${r.status}${r.error ? `: ${r.error}` : ''}; resume the study to train it on`);
        }
      }
      if (next < 0) {
        publish();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        continue;
      }
      const cell = remaining.splice(next, 1)[0];
      const arms = await this.ctx.generation.request(
        { kind: 'augment-cell', ckpt, home: this.ctx.home, dataset: s.dataset, subset: cell, settings: { ...settings, multipliers: ckpt ? settings.multipliers : [0] }, ticket: state.ticket },
        (done, total) => {
          progress.cellFraction = done / total;
          publish();
        },
      );
      if (state.stopping) return;
      this.studies.saveCell(id, perClassKey(cell.perClass), cell.seed, runId, arms.arms);
      progress.cellsDone++;
      progress.cellFraction = 0;
      publish();
    }
  }

  private ganProgress(runs: StudyRecord['runs'], p: StudyProgress): void {
    const records = Object.values(runs).map(({ runId }) => this.ctx.store.find(runId));
    p.gans = records.length;
    p.gansDone = records.filter((r) => r?.status === 'completed').length;
    const target = records.reduce((a, r) => a + (r?.targetSteps ?? 0), 0);
    p.ganFraction = target ? records.reduce((a, r) => a + Math.min(r?.step ?? 0, r?.targetSteps ?? 0), 0) / target : 1;
  }
}
