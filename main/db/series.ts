/**
 * Metric series for charts: every point of a short range, or two points per
 * bucket (the minimum and the maximum, in step order) of a long one, so spikes
 * and collapses stay visible at any zoom.
 */
import { StudioError } from '../errors.js';
import type { Db } from './database.js';

export const STEP_METRICS = ['d_loss', 'g_loss', 'd_real', 'd_fake', 'images_per_s', 'ms', 'd_acc_real', 'd_acc_fake', 'content_loss', 'encoder_loss', 'augment_p'] as const;
/**
 * Measured by the judges every few hundred steps, not every step. These are
 * every family's; a family's own columns come from the model-family registry
 * (runs/store.ts passes the whole list to the functions here).
 */
export const SHARED_EVALUATION_METRICS = ['fid', 'kid', 'diversity', 'near_duplicates', 'classes_covered', 'class_accuracy', 'memorised'] as const;
/** A column of the metrics table; `metrics` below lists the ones there are. */
export type MetricName = string;

/** Bucket sizes of metric_rollups, finest first. */
export const ROLLUP_SIZES = [64, 4096] as const;

export interface SeriesPoint {
  step: number;
  value: number;
}

/** Folds new metric rows into the rollups; call inside the transaction that inserts them. */
export function rollUp(db: Db, runId: string, metrics: readonly MetricName[], rows: { step: number; values: Partial<Record<MetricName, number | null>> }[]): void {
  const upsert = db.prepare(`
    INSERT INTO metric_rollups (run_id, metric, size, bucket, lo_step, lo, hi_step, hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (run_id, metric, size, bucket) DO UPDATE SET
      lo_step = CASE WHEN excluded.lo < lo THEN excluded.lo_step ELSE lo_step END,
      lo = min(lo, excluded.lo),
      hi_step = CASE WHEN excluded.hi > hi THEN excluded.hi_step ELSE hi_step END,
      hi = max(hi, excluded.hi)`);
  for (const { step, values } of rows) {
    for (const metric of metrics) {
      const v = values[metric];
      if (v == null || !Number.isFinite(v)) continue;
      for (const size of ROLLUP_SIZES) upsert.run(runId, metric, size, Math.floor(step / size), step, v, step, v);
    }
  }
}

/** Rebuilds the rollups of the buckets that held steps after `step`, once those metrics are deleted. */
export function trimRollups(db: Db, runId: string, metrics: readonly MetricName[], step: number): void {
  for (const size of ROLLUP_SIZES) {
    const bucket = Math.floor((step + 1) / size);
    db.prepare('DELETE FROM metric_rollups WHERE run_id = ? AND size = ? AND bucket >= ?').run(runId, size, bucket);
    for (const metric of metrics) {
      const range = [runId, bucket * size, (bucket + 1) * size - 1] as const;
      const lo = db.prepare(`SELECT step, min(${metric}) AS v FROM metrics WHERE run_id = ? AND step BETWEEN ? AND ? AND ${metric} IS NOT NULL`).get(...range) as { step: number | null; v: number | null };
      const hi = db.prepare(`SELECT step, max(${metric}) AS v FROM metrics WHERE run_id = ? AND step BETWEEN ? AND ? AND ${metric} IS NOT NULL`).get(...range) as { step: number; v: number };
      if (lo.v == null || lo.step == null) continue;
      db.prepare('INSERT INTO metric_rollups (run_id, metric, size, bucket, lo_step, lo, hi_step, hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(runId, metric, size, bucket, lo.step, lo.v, hi.step, hi.v);
    }
  }
}

function minMaxPoints(rows: [number, number, number, number][]): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const [loStep, lo, hiStep, hi] of rows) {
    if (loStep === hiStep) out.push({ step: loStep, value: lo });
    else if (loStep < hiStep) out.push({ step: loStep, value: lo }, { step: hiStep, value: hi });
    else out.push({ step: hiStep, value: hi }, { step: loStep, value: lo });
  }
  return out;
}

/**
 * At most `points` points of one metric over steps [from, to]. Reads raw rows
 * when the range holds few enough, else the finest rollup that still gives a
 * bucket per two points, merged down to `points`.
 */
export function metricSeries(db: Db, runId: string, metrics: readonly MetricName[], metric: MetricName, opts: { from?: number; to?: number; points?: number } = {}): SeriesPoint[] {
  // The name goes into SQL: only a column of the list.
  if (!metrics.includes(metric)) throw new StudioError(`no metric ${JSON.stringify(metric).slice(0, 60)}: there are ${metrics.length}, ${metrics.slice(0, 6).join(', ')} and more`, 'INVALID_INPUT');
  const points = Math.max(2, opts.points ?? 2000);
  // Two subqueries: SQLite answers a lone min() or max() from the index, but scans for both at once.
  const bounds = db
    .prepare('SELECT (SELECT min(step) FROM metrics WHERE run_id = ?) AS lo, (SELECT max(step) FROM metrics WHERE run_id = ?) AS hi')
    .get(runId, runId) as { lo: number | null; hi: number | null };
  if (bounds.lo == null || bounds.hi == null) return [];
  const from = Math.max(opts.from ?? bounds.lo, bounds.lo);
  const to = Math.min(opts.to ?? bounds.hi, bounds.hi);
  if (to < from) return [];
  const span = to - from + 1;
  const buckets = Math.floor(points / 2);
  if (span <= points) {
    return db
      .prepare(`SELECT step, ${metric} AS value FROM metrics WHERE run_id = ? AND step BETWEEN ? AND ? AND ${metric} IS NOT NULL ORDER BY step`)
      .all(runId, from, to) as SeriesPoint[];
  }
  const width = span / buckets;
  const size = [...ROLLUP_SIZES].reverse().find((s) => s <= width);
  // Each output bucket takes the extreme of the rollup buckets (or raw rows) inside it.
  const source = size
    ? { sql: `SELECT lo_step, lo, hi_step, hi FROM metric_rollups WHERE run_id = ? AND metric = '${metric}' AND size = ${size} AND bucket BETWEEN ? AND ? ORDER BY bucket`, args: [runId, Math.floor(from / size), Math.floor(to / size)] }
    : { sql: `SELECT step, ${metric}, step, ${metric} FROM metrics WHERE run_id = ? AND step BETWEEN ? AND ? AND ${metric} IS NOT NULL ORDER BY step`, args: [runId, from, to] };
  const merged = new Map<number, [number, number, number, number]>();
  for (const [loStep, lo, hiStep, hi] of db.prepare(source.sql).raw().iterate(...source.args) as Iterable<[number, number, number, number]>) {
    const key = Math.min(buckets - 1, Math.floor((Math.max(loStep, from) - from) / width));
    const m = merged.get(key);
    if (!m) merged.set(key, [loStep, lo, hiStep, hi]);
    else {
      if (lo < m[1]) [m[0], m[1]] = [loStep, lo];
      if (hi > m[3]) [m[2], m[3]] = [hiStep, hi];
    }
  }
  // Rollup buckets at the edges may reach past the range.
  return minMaxPoints([...merged.values()]).filter((p) => p.step >= from && p.step <= to);
}
