/**
 * What the studio's own finished runs say about how long a new one takes:
 * each run that trained and was judged, with its family, resolution, dataset
 * size, steps, best FID and speed, read from the runs and metrics tables it
 * already keeps (so a deleted run leaves the table, and nothing is copied
 * that could disagree with the run itself). From the runs like a new one,
 * the steps they needed to reach a quality, and the wall time that is on
 * this machine.
 */
import { median } from '../core/median.js';
import type { Db } from '../db/database.js';
import type { DatasetInfo } from '../datasets/store.js';
import type { RunRecord } from './store.js';

export interface QualityRecord {
  id: string;
  name: string;
  dataset: string;
  task: string;
  model: string;
  size: number;
  channels: number;
  /** The dataset's images when the run trained (a subset's count is not known here: the whole set's). */
  images: number;
  steps: number;
  backend: string | null;
  /** Median milliseconds of its training steps. */
  msPerStep: number;
  bestFid: number;
  bestFidStep: number;
  /** Every evaluation's FID, by step. */
  fids: { step: number; fid: number }[];
}

/** How a new run compares: the same network at the same size and channel count. */
export interface RunKind {
  task: string;
  model: string;
  size: number;
  channels: number;
  dataset: string;
  images: number;
}

const DONE = new Set(['completed', 'stopped', 'interrupted']);

/** The finished runs that were judged at least once, newest first. */
export function qualityRecords(db: Db, runs: RunRecord[], dataset: (name: string) => DatasetInfo | null): QualityRecord[] {
  const fids = db.prepare('SELECT step, fid FROM metrics WHERE run_id = ? AND fid IS NOT NULL ORDER BY step');
  const count = db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ? AND ms IS NOT NULL');
  const nth = db.prepare('SELECT ms FROM metrics WHERE run_id = ? AND ms IS NOT NULL ORDER BY ms LIMIT 1 OFFSET ?');
  const out: QualityRecord[] = [];
  for (const r of runs) {
    if (!DONE.has(r.status)) continue;
    const d = dataset(r.config.dataset);
    if (!d) continue;
    const series = (fids.all(r.id) as { step: number; fid: number }[]).filter((p) => Number.isFinite(p.fid));
    const { n } = count.get(r.id) as { n: number };
    if (!series.length || n === 0) continue;
    const best = series.reduce((a, b) => (b.fid < a.fid ? b : a));
    out.push({
      id: r.id,
      name: r.name,
      dataset: r.config.dataset,
      task: r.config.task,
      model: r.config.model,
      size: d.size,
      channels: d.channels,
      images: d.imageCount,
      steps: r.step,
      backend: r.backend,
      msPerStep: (nth.get(r.id, Math.floor(n / 2)) as { ms: number }).ms,
      bestFid: best.fid,
      bestFidStep: best.step,
      fids: series,
    });
  }
  return out.reverse();
}

/** The records of runs like `kind`, most alike first: the same dataset, then datasets nearest in size. */
export function similarRuns(records: QualityRecord[], kind: RunKind, limit = 8): QualityRecord[] {
  const alike = records.filter((r) => r.task === kind.task && r.model === kind.model && r.size === kind.size && r.channels === kind.channels);
  const distance = (r: QualityRecord) => (r.dataset === kind.dataset ? -1 : Math.abs(Math.log(r.images / Math.max(1, kind.images))));
  return alike
    .map((r, i) => ({ r, d: distance(r), i }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.r);
}

export interface QualityReach {
  /** The FID aimed at: the one asked for, or the worst best-FID among the runs it is read from (a quality every one of them reached). */
  fid: number;
  asked: boolean;
  /**
   * Whether those runs trained on this dataset: FID is measured by each
   * dataset's own judge, so figures from other datasets are a rough guide.
   */
  sameDataset: boolean;
  runs: number;
  reached: number;
  /** Median steps the runs that reached it needed (null when none did). */
  steps: number | null;
  /** Those steps at the speed measured now; null without a measurement. */
  seconds: number | null;
  /** Median wall time they needed at their own speed. */
  theirSeconds: number | null;
}

/**
 * The steps the similar runs needed to first score `fid` or better (by
 * default, the worst of their best FIDs), and what that takes at
 * `msPerStep`. Runs on the new run's own dataset are used when there are
 * any, since their FIDs are measured by the same judge.
 */
export function reachOf(similar: QualityRecord[], dataset: string, fid: number | undefined, msPerStep: number | null): QualityReach | null {
  const own = similar.filter((r) => r.dataset === dataset);
  const from = own.length ? own : similar;
  if (!from.length) return null;
  const target = fid ?? Math.max(...from.map((r) => r.bestFid));
  const hits = from.flatMap((r) => {
    const at = r.fids.find((p) => p.fid <= target);
    return at ? [{ steps: at.step, ms: at.step * r.msPerStep }] : [];
  });
  if (!hits.length) return { fid: target, asked: fid !== undefined, sameDataset: own.length > 0, runs: from.length, reached: 0, steps: null, seconds: null, theirSeconds: null };
  const steps = median(hits.map((h) => h.steps));
  return {
    fid: target,
    asked: fid !== undefined,
    sameDataset: own.length > 0,
    runs: from.length,
    reached: hits.length,
    steps,
    seconds: msPerStep == null ? null : (steps * msPerStep) / 1000,
    theirSeconds: median(hits.map((h) => h.ms)) / 1000,
  };
}
