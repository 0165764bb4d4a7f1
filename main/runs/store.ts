/**
 * Runs: their records, metric series, checkpoint and sample indexes in the
 * studio database (<home>/studio.db); checkpoint and sample files on disk
 * under <home>/runs/<id>/. Files are written atomically before the row that
 * points at them, so a row never names a half-written file.
 */
import { discardNearestPicturesAfter } from './nearest-pictures.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError, messageOf } from '../errors.js';
import { databasePath, openDatabase, type Db } from '../db/database.js';
import { SHARED_EVALUATION_METRICS, STEP_METRICS, metricSeries, rollUp, trimRollups, type MetricName, type SeriesPoint } from '../db/series.js';
import { readCheckpoint, writeCheckpoint, type CheckpointData } from '../families/run-checkpoint.js';
import { upgradeStoredConfig, type TrainConfig } from '../families/run-config.js';
import type { StepMetrics } from '../engine/step-metrics.js';
import type { ClassBalance, Evaluation } from '../evaluation/evaluation.js';
import type { Capability } from '../families/family.js';
import { FAMILY_METRIC_COLUMNS, capabilitiesOf, familyOfConfig } from '../families/registry.js';

export const RUN_STATUSES = ['queued', 'running', 'paused', 'stopped', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRecord {
  id: string;
  name: string;
  config: TrainConfig;
  status: RunStatus;
  step: number;
  targetSteps: number;
  backend: string | null;
  pid: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  notes: string;
  tags: string[];
  /** What its model can be asked to do, from its family: what front ends offer it for (upscale, translate, edit, …). */
  can: readonly Capability[];
  /** Trained on a remote worker: which one (null until one takes it), and whether the studio still follows its stream. */
  remote: { worker: string | null; active: boolean } | null;
}

interface RunRow {
  id: string;
  name: string;
  config: string;
  status: RunStatus;
  step: number;
  target_steps: number;
  backend: string | null;
  pid: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  notes: string;
  tags: string | null;
  remote: string | null;
}

const STEP_COLUMNS =
  'step, d_loss AS dLoss, g_loss AS gLoss, d_real AS dReal, d_fake AS dFake, d_acc_real AS accReal, d_acc_fake AS accFake, content_loss AS content, encoder_loss AS encoder, augment_p AS augmentP, ms, images_per_s AS imagesPerSec';

/** Checkpoints kept per run: the newest, and the one before in case the newest is damaged. */
const KEEP_CHECKPOINTS = 2;

/** Every column of the metrics table a chart can show: the step loop's, the judges', and each family's own (from the registry). */
export const METRICS: readonly MetricName[] = [...new Set([...STEP_METRICS, ...SHARED_EVALUATION_METRICS, ...FAMILY_METRIC_COLUMNS.flatMap((c) => c.names)])];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function newRunId(now: Date): string {
  const d = `${now.getFullYear()}${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)}`;
  const t = `${pad(now.getHours(), 2)}${pad(now.getMinutes(), 2)}${pad(now.getSeconds(), 2)}`;
  return `${d}-${t}-${randomBytes(2).toString('hex')}`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const SELECT_RUN = `SELECT r.*, (SELECT json_group_array(tag) FROM run_tags t WHERE t.run_id = r.id) AS tags,
  (SELECT json_object('worker', x.worker, 'active', x.active = 1) FROM remote_runs x WHERE x.run_id = r.id) AS remote FROM runs r`;

function toRecord(row: RunRow): RunRecord {
  const config = upgradeStoredConfig(JSON.parse(row.config) as TrainConfig);
  return {
    id: row.id,
    name: row.name,
    config,
    status: row.status,
    step: row.step,
    targetSteps: row.target_steps,
    backend: row.backend,
    pid: row.pid,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    notes: row.notes,
    tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
    remote: row.remote ? remoteOf(row.remote) : null,
    can: capabilitiesOf(config.task),
  };
}

function remoteOf(json: string): RunRecord['remote'] {
  const r = JSON.parse(json) as { worker: string | null; active: number | boolean };
  return { worker: r.worker, active: !!r.active };
}

const COLUMNS: Partial<Record<keyof RunRecord, string>> = {
  name: 'name',
  status: 'status',
  step: 'step',
  targetSteps: 'target_steps',
  backend: 'backend',
  pid: 'pid',
  error: 'error',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  notes: 'notes',
};

export class RunStore {
  readonly root: string;
  readonly db: Db;

  constructor(readonly home: string) {
    this.root = join(home, 'runs');
    this.db = openDatabase(databasePath(home));
  }

  close(): void {
    this.db.close();
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  create(config: TrainConfig, now = new Date(), name?: string, parent?: { id: string; kind: 'resume' | 'fork' }): RunRecord {
    let id = newRunId(now);
    while (this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id)) id = newRunId(now);
    mkdirSync(join(this.dir(id), 'checkpoints'), { recursive: true });
    mkdirSync(join(this.dir(id), 'samples'), { recursive: true });
    this.db
      .prepare(
        `INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at, parent_id, parent_kind) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
      )
      .run(
        id,
        name ?? familyOfConfig(config).runName?.(config) ?? config.dataset,
        config.dataset,
        JSON.stringify(config),
        config.steps,
        now.toISOString(),
        parent?.id ?? null,
        parent?.kind ?? null,
      );
    return this.get(id);
  }

  update(id: string, patch: Partial<Omit<RunRecord, 'id' | 'createdAt' | 'config' | 'tags'>>): RunRecord {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const column = COLUMNS[key as keyof RunRecord];
      if (!column) throw new Error(`not a run column: ${key}`);
      sets.push(`${column} = ?`);
      values.push(value);
    }
    if (patch.status === 'running' && patch.startedAt === undefined) sets.push(`started_at = coalesce(started_at, '${new Date().toISOString()}')`);
    if (patch.status && ['completed', 'failed', 'stopped'].includes(patch.status)) sets.push(`ended_at = '${new Date().toISOString()}'`);
    if (sets.length) this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.get(id);
  }

  setTags(id: string, add: string[], remove: string[]): void {
    this.db.transaction(() => {
      for (const t of remove) this.db.prepare('DELETE FROM run_tags WHERE run_id = ? AND tag = ?').run(id, t);
      for (const t of add) this.db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)').run(id, t);
    })();
  }

  parentOf(id: string): { parentId: string | null; parentKind: 'resume' | 'fork' | null } {
    const r = this.db.prepare('SELECT parent_id AS parentId, parent_kind AS parentKind FROM runs WHERE id = ?').get(id) as
      | { parentId: string | null; parentKind: 'resume' | 'fork' | null }
      | undefined;
    return r ?? { parentId: null, parentKind: null };
  }

  /** Resolves a full id or a unique prefix of one. */
  resolveId(idOrPrefix: string): string {
    const rows = this.db
      .prepare("SELECT id FROM runs WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6")
      .all(idOrPrefix, idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%') as { id: string }[];
    const exact = rows.find((r) => r.id === idOrPrefix);
    if (exact) return exact.id;
    if (rows.length === 1) return rows[0].id;
    if (rows.length > 1) throw new StudioError(`run "${idOrPrefix}" is ambiguous: ${rows.slice(0, 5).map((r) => r.id).join(', ')}`);
    throw new StudioError(`no run "${idOrPrefix}"; \`gan-studio runs\` lists them`);
  }

  /** The run with exactly this id, or null. */
  find(id: string): RunRecord | null {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row ? this.reconcile(toRecord(row)) : null;
  }

  get(idOrPrefix: string): RunRecord {
    const id = this.resolveId(idOrPrefix);
    return this.reconcile(toRecord(this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(id) as RunRow));
  }

  list(): RunRecord[] {
    return (this.db.prepare(`${SELECT_RUN} ORDER BY r.created_at, r.id`).all() as RunRow[]).map((r) => this.reconcile(toRecord(r)));
  }

  /** A run whose training process died without saying so was interrupted; the record says so from now on. */
  private reconcile(r: RunRecord): RunRecord {
    // A remote run's process is a worker elsewhere: its stream says how it is.
    if (r.remote?.active) return r;
    if ((r.status === 'running' || r.status === 'paused') && (r.pid == null || !isAlive(r.pid))) {
      this.db.prepare("UPDATE runs SET status = 'interrupted', pid = NULL WHERE id = ? AND status = ?").run(r.id, r.status);
      return { ...r, status: 'interrupted', pid: null };
    }
    return r;
  }

  /** Start-up sweep: every run a crash left running becomes interrupted. Returns how many. */
  markInterrupted(): number {
    const live = this.db.prepare("SELECT id FROM runs WHERE status IN ('running', 'paused')").all() as { id: string }[];
    return live.filter(({ id }) => this.get(id).status === 'interrupted').length;
  }

  // ---- metrics ----

  appendMetrics(id: string, rows: StepMetrics[]): void {
    if (rows.length === 0) return;
    // An upsert, not a replace: a step's evaluation may already be in its row.
    const insert = this.db.prepare(
      `INSERT INTO metrics (run_id, step, d_loss, g_loss, d_real, d_fake, images_per_s, ms, d_acc_real, d_acc_fake, content_loss, encoder_loss, augment_p) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, step) DO UPDATE SET d_loss = excluded.d_loss, g_loss = excluded.g_loss, d_real = excluded.d_real, d_fake = excluded.d_fake,
         images_per_s = excluded.images_per_s, ms = excluded.ms, d_acc_real = excluded.d_acc_real, d_acc_fake = excluded.d_acc_fake, content_loss = excluded.content_loss,
         encoder_loss = excluded.encoder_loss, augment_p = excluded.augment_p`,
    );
    this.db.transaction(() => {
      for (const m of rows) insert.run(id, m.step, m.dLoss, m.gLoss, m.dReal, m.dFake, m.imagesPerSec, m.ms, m.accReal, m.accFake, m.content ?? null, m.encoder ?? null, m.augmentP ?? null);
      rollUp(
        this.db,
        id,
        METRICS,
        rows.map((m) => ({
          step: m.step,
          values: { d_loss: m.dLoss, g_loss: m.gLoss, d_real: m.dReal, d_fake: m.dFake, images_per_s: m.imagesPerSec, ms: m.ms, d_acc_real: m.accReal, d_acc_fake: m.accFake, content_loss: m.content ?? null, encoder_loss: m.encoder ?? null, augment_p: m.augmentP ?? null },
        })),
      );
    })();
  }

  /** The judges' figures at a step, into that step's row (made if training has not written it yet). */
  recordEvaluation(id: string, e: Evaluation): void {
    const values: Record<string, number | null> = {
      fid: e.fid,
      kid: e.kid,
      diversity: e.diversity,
      near_duplicates: e.nearDuplicates,
      memorised: e.memorised ?? null,
      classes_covered: e.classesCovered,
      class_accuracy: e.classAccuracy,
    };
    // Each family's own columns; where two families share one (psnr), a figure wins over an empty one.
    for (const columns of FAMILY_METRIC_COLUMNS) {
      for (const [k, v] of Object.entries(columns.write(e))) if (v != null || !(k in values)) values[k] = v;
    }
    const columns = [...Object.keys(values), 'class_balance'];
    const balance = e.classes ? JSON.stringify(e.classes) : null;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO metrics (run_id, step, ${columns.join(', ')}) VALUES (?, ?, ${columns.map(() => '?').join(', ')})
           ON CONFLICT (run_id, step) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
        )
        .run(id, e.step, ...Object.values(values), balance);
      rollUp(this.db, id, METRICS, [{ step: e.step, values }]);
    })();
  }

  /** The newest evaluation of a run, or null before its first. */
  lastEvaluation(id: string): Omit<Evaluation, 'judge' | 'ms' | 'numClasses'> | null {
    const own = [...new Set(FAMILY_METRIC_COLUMNS.flatMap((c) => c.names))];
    const row = this.db
      .prepare(
        `SELECT step, fid, kid, diversity, near_duplicates AS nearDuplicates, memorised, classes_covered AS classesCovered, class_accuracy AS classAccuracy, class_balance AS classBalance${own.map((c) => `, ${c}`).join('')}
         FROM metrics WHERE run_id = ? AND (${['diversity', ...own].map((c) => `${c} IS NOT NULL`).join(' OR ')}) ORDER BY step DESC LIMIT 1`,
      )
      .get(id) as (Pick<Evaluation, 'step' | 'fid' | 'kid' | 'diversity' | 'nearDuplicates' | 'classesCovered' | 'classAccuracy'> & { memorised: number | null } & { classBalance: string | null } & Record<string, number | null>) | undefined;
    if (!row) return null;
    const { step, fid, kid, diversity, nearDuplicates, memorised, classesCovered, classAccuracy, classBalance } = row;
    // A figure SQLite could not hold (NaN: too few patches to compare) reads back as null.
    const number = (v: number | null) => (v == null ? Number.NaN : v);
    const base = {
      step,
      classesCovered,
      classAccuracy,
      fid: number(fid),
      kid: number(kid),
      diversity: number(diversity),
      nearDuplicates: number(nearDuplicates),
      ...(memorised != null ? { memorised } : {}),
      ...(classBalance ? { classes: JSON.parse(classBalance) as ClassBalance } : {}),
    };
    for (const columns of FAMILY_METRIC_COLUMNS) {
      const part = columns.read(row, number);
      if (part) return { ...base, ...part };
    }
    return base;
  }

  /** One metric over a step range, downsampled to at most `points` points keeping minima and maxima. */
  series(id: string, metric: MetricName, opts: { from?: number; to?: number; points?: number } = {}): SeriesPoint[] {
    return metricSeries(this.db, id, METRICS, metric, opts);
  }

  /** The newest step's metrics, without reading the series. */
  lastMetrics(id: string): StepMetrics | null {
    return (
      (this.db
        .prepare(
          `SELECT ${STEP_COLUMNS} FROM metrics WHERE run_id = ? AND ms IS NOT NULL ORDER BY step DESC LIMIT 1`,
        )
        .get(id) as StepMetrics | undefined) ?? null
    );
  }

  /** The last `n` steps' metrics, oldest first. */
  recentMetrics(id: string, n: number): StepMetrics[] {
    const rows = this.db.prepare(`SELECT ${STEP_COLUMNS} FROM metrics WHERE run_id = ? AND ms IS NOT NULL ORDER BY step DESC LIMIT ?`).all(id, n) as StepMetrics[];
    return rows.reverse();
  }

  readMetrics(id: string): StepMetrics[] {
    return this.db
      .prepare(`SELECT ${STEP_COLUMNS} FROM metrics WHERE run_id = ? AND ms IS NOT NULL ORDER BY step`)
      .all(id) as StepMetrics[];
  }

  /**
   * Drops metrics past `step`: after a crash, steps trained since the last
   * checkpoint are trained again on resume and must not appear twice.
   */
  truncateMetrics(id: string, step: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(id, step);
      trimRollups(this.db, id, METRICS, step);
    })();
    // The evaluations deleted with those rows had pictures.
    discardNearestPicturesAfter(this.dir(id), step);
  }

  // ---- checkpoints ----

  checkpointPath(id: string, step: number): string {
    return join(this.dir(id), 'checkpoints', `step-${pad(step, 8)}.ckpt`);
  }

  /** The run's encoder for the generator of the checkpoint at `step` (trained on request, see latent.encoder). */
  encoderPath(id: string, step: number): string {
    return join(this.dir(id), 'encoders', `step-${pad(step, 8)}.enc`);
  }

  /** A checkpoint's file and what was made from it. */
  private removeCheckpointFiles(id: string, step: number): void {
    rmSync(this.checkpointPath(id, step), { force: true });
    rmSync(this.encoderPath(id, step), { force: true });
  }

  checkpointSteps(id: string): number[] {
    return (this.db.prepare('SELECT step FROM checkpoints WHERE run_id = ? ORDER BY step').all(id) as { step: number }[]).map((r) => r.step);
  }

  saveCheckpoint(id: string, data: CheckpointData): string {
    const path = this.checkpointPath(id, data.step);
    writeCheckpoint(path, data);
    const pinned = familyOfConfig(data.config).pinnedSteps?.(data.config) ?? [];
    const old = this.checkpointSteps(id).filter((s) => s !== data.step && !pinned.includes(s));
    const drop = old.slice(0, Math.max(0, old.length + 1 - KEEP_CHECKPOINTS));
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, path, size, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, data.step, path, statSync(path).size, new Date().toISOString());
      for (const s of drop) this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step = ?').run(id, s);
    })();
    // Files go only once no row names them.
    for (const s of drop) this.removeCheckpointFiles(id, s);
    return path;
  }

  checkpoints(id: string): { step: number; path: string; size: number; createdAt: string }[] {
    return this.db
      .prepare('SELECT step, path, size, created_at AS createdAt FROM checkpoints WHERE run_id = ? ORDER BY step')
      .all(id) as { step: number; path: string; size: number; createdAt: string }[];
  }

  /**
   * Forgets checkpoints newer than the one a run resumes from (they failed to
   * read back); their files stay beside the others as *.damaged for inspection.
   */
  discardCheckpointsAfter(id: string, step: number): void {
    for (const s of this.checkpointSteps(id).filter((x) => x > step)) {
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step = ?').run(id, s);
      const path = this.checkpointPath(id, s);
      if (existsSync(path)) renameSync(path, `${path}.damaged`);
    }
  }

  deleteCheckpoint(id: string, step: number): boolean {
    const gone = this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step = ?').run(id, step).changes > 0;
    if (gone) this.removeCheckpointFiles(id, step);
    return gone;
  }

  /**
   * The newest checkpoint that reads back intact; a damaged newer one is
   * reported through `onSkip` and the one before it is used.
   */
  latestCheckpoint(id: string, onSkip?: (message: string) => void): CheckpointData | null {
    for (const s of this.checkpointSteps(id).reverse()) {
      try {
        return readCheckpoint(this.checkpointPath(id, s));
      } catch (err) {
        onSkip?.(messageOf(err));
      }
    }
    return null;
  }

  // ---- samples ----

  samplePath(id: string, step: number): string {
    return join(this.dir(id), 'samples', `step-${pad(step, 8)}.png`);
  }

  /** Records a sample snapshot whose file is already complete on disk. */
  addSample(id: string, step: number, seed: number, file: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO samples (run_id, step, seed, file, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, step, seed, file, new Date().toISOString());
  }

  sampleSteps(id: string): number[] {
    return (this.db.prepare('SELECT step FROM samples WHERE run_id = ? ORDER BY step').all(id) as { step: number }[]).map((r) => r.step);
  }

  /** Deletes a run, its rows and its files. */
  delete(id: string): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    if (existsSync(this.dir(id))) rmSync(this.dir(id), { recursive: true, force: true });
  }
}

