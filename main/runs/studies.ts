/** Augmentation studies and their measured cells, kept in the studio database. */
import type { Db } from '../db/database.js';
import type { ArmResult, StudyCell } from '../studies/cell.js';
import type { StudySettings } from '../studies/settings.js';
import { isAlive, newRunId } from './store.js';

export type StudyStatus = 'waiting' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export interface StudyRecord {
  id: string;
  name: string;
  dataset: string;
  settings: StudySettings;
  /** Subset key (`10/1`, `all`) → the GAN run that draws its synthetic images, and whether the study trained it. */
  runs: Record<string, { runId: string; trained: boolean }>;
  status: StudyStatus;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

interface Row {
  id: string;
  name: string;
  dataset: string;
  settings: string;
  runs: string;
  status: StudyStatus;
  error: string | null;
  pid: number | null;
  created_at: string;
  finished_at: string | null;
}

const fromRow = (r: Row): StudyRecord => ({
  id: r.id,
  name: r.name,
  dataset: r.dataset,
  settings: JSON.parse(r.settings) as StudySettings,
  runs: JSON.parse(r.runs) as StudyRecord['runs'],
  status: r.status,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export class StudyStore {
  constructor(private readonly db: Db) {}

  create(settings: StudySettings, name: string, now = new Date()): StudyRecord {
    let id = `s-${newRunId(now)}`;
    while (this.find(id)) id = `s-${newRunId(now)}`;
    this.db
      .prepare("INSERT INTO augment_studies (id, name, dataset, settings, status, created_at) VALUES (?, ?, ?, ?, 'waiting', ?)")
      .run(id, name, settings.dataset, JSON.stringify(settings), now.toISOString());
    return this.find(id)!;
  }

  /** A study whose driving process died reads as interrupted (and is so recorded). */
  find(id: string): StudyRecord | null {
    const row = this.db.prepare('SELECT * FROM augment_studies WHERE id = ?').get(id) as Row | undefined;
    if (!row) return null;
    if ((row.status === 'running' || row.status === 'waiting') && (row.pid == null || !isAlive(row.pid) || (row.pid === process.pid && !this.driven.has(id)))) {
      this.db.prepare("UPDATE augment_studies SET status = 'interrupted', pid = NULL WHERE id = ? AND status = ?").run(id, row.status);
      return { ...fromRow(row), status: 'interrupted' };
    }
    return fromRow(row);
  }

  list(): StudyRecord[] {
    const ids = this.db.prepare('SELECT id FROM augment_studies ORDER BY created_at DESC, id DESC').all() as { id: string }[];
    return ids.map(({ id }) => this.find(id)!);
  }

  /** Studies this process drives: another process's live ones are left alone, a dead one's read as interrupted. */
  private readonly driven = new Set<string>();

  setStatus(id: string, status: StudyStatus, error: string | null = null): void {
    const live = status === 'running' || status === 'waiting';
    if (live) this.driven.add(id);
    else this.driven.delete(id);
    const finished = status === 'completed' || status === 'failed' || status === 'stopped' ? new Date().toISOString() : null;
    this.db.prepare('UPDATE augment_studies SET status = ?, error = ?, pid = ?, finished_at = ? WHERE id = ?').run(status, error, live ? process.pid : null, finished, id);
  }

  setRuns(id: string, runs: StudyRecord['runs']): void {
    this.db.prepare('UPDATE augment_studies SET runs = ? WHERE id = ?').run(JSON.stringify(runs), id);
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE augment_studies SET name = ? WHERE id = ?').run(name, id);
  }

  delete(id: string): boolean {
    this.driven.delete(id);
    return this.db.prepare('DELETE FROM augment_studies WHERE id = ?').run(id).changes > 0;
  }

  /** A cell's arms in one transaction: a cell is saved whole or not at all. */
  saveCell(id: string, perClassKey: string, seed: number, runId: string | null, arms: ArmResult[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO augment_cells (study_id, per_class, seed, arm, multiplier, accuracy, per_class_accuracy, real_count, synthetic_count, run_id, ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const a of arms) insert.run(id, perClassKey, seed, a.arm, a.multiplier, a.accuracy, JSON.stringify(a.perClass.map((v) => (Number.isFinite(v) ? v : null))), a.realCount, a.syntheticCount, runId, a.ms);
    })();
  }

  cells(id: string): StudyCell[] {
    const rows = this.db.prepare('SELECT * FROM augment_cells WHERE study_id = ? ORDER BY per_class, seed, arm, multiplier').all(id) as {
      per_class: string;
      seed: number;
      arm: StudyCell['arm'];
      multiplier: number;
      accuracy: number;
      per_class_accuracy: string;
      real_count: number;
      synthetic_count: number;
      run_id: string | null;
      ms: number;
    }[];
    return rows.map((r) => ({
      perClassKey: r.per_class,
      seed: r.seed,
      arm: r.arm,
      multiplier: r.multiplier,
      accuracy: r.accuracy,
      perClass: (JSON.parse(r.per_class_accuracy) as (number | null)[]).map((v) => v ?? NaN),
      realCount: r.real_count,
      syntheticCount: r.synthetic_count,
      runId: r.run_id,
      ms: r.ms,
    }));
  }
}
