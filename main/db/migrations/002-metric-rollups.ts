import type { Database } from 'better-sqlite3';

/**
 * Per-bucket minima and maxima of every metric at two bucket sizes, kept up
 * to date as metrics arrive, so a long series downsamples without reading
 * every row.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE metric_rollups (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      metric TEXT NOT NULL,
      size INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      lo_step INTEGER NOT NULL,
      lo REAL NOT NULL,
      hi_step INTEGER NOT NULL,
      hi REAL NOT NULL,
      PRIMARY KEY (run_id, metric, size, bucket)
    ) STRICT, WITHOUT ROWID;
  `);
  // Rows written before this migration get their rollups now.
  for (const size of [64, 4096]) {
    for (const metric of ['d_loss', 'g_loss', 'd_real', 'd_fake', 'images_per_s', 'ms']) {
      db.exec(`
        INSERT INTO metric_rollups (run_id, metric, size, bucket, lo_step, lo, hi_step, hi)
        SELECT lo.run_id, '${metric}', ${size}, lo.bucket, lo.step, lo.v, hi.step, hi.v
        FROM (SELECT run_id, step / ${size} AS bucket, step, min(${metric}) AS v FROM metrics WHERE ${metric} IS NOT NULL GROUP BY run_id, bucket) lo
        JOIN (SELECT run_id, step / ${size} AS bucket, step, max(${metric}) AS v FROM metrics WHERE ${metric} IS NOT NULL GROUP BY run_id, bucket) hi
        USING (run_id, bucket);
      `);
    }
  }
}
