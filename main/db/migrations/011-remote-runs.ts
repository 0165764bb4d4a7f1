import type { Database } from 'better-sqlite3';

/**
 * Runs that train on remote workers (BullMQ on Redis): the queued job, how
 * far the studio has read the run's event stream (so that a studio closed
 * while the run trained catches up from there, and reads nothing twice), the
 * worker training it, and whether the studio still follows it. No Redis
 * address or password is stored.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE remote_runs (
      run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      job_id TEXT NOT NULL,
      cursor TEXT NOT NULL DEFAULT '0-0',
      worker TEXT,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      queued_at TEXT NOT NULL
    ) STRICT;
  `);
}
