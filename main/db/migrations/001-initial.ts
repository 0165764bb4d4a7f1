import type { Database } from 'better-sqlite3';

/** Datasets, runs with tags, metric series, checkpoints and sample snapshots. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE datasets (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      source TEXT NOT NULL,
      size INTEGER NOT NULL,
      channels INTEGER NOT NULL CHECK (channels IN (1, 3)),
      classes TEXT NOT NULL DEFAULT '[]',
      image_count INTEGER NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      dataset TEXT NOT NULL,
      config TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'interrupted', 'stopped')),
      backend TEXT,
      step INTEGER NOT NULL DEFAULT 0,
      target_steps INTEGER NOT NULL,
      pid INTEGER,
      error TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      ended_at TEXT,
      parent_id TEXT REFERENCES runs (id) ON DELETE SET NULL,
      parent_kind TEXT CHECK (parent_kind IN ('resume', 'fork')),
      notes TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX runs_by_status ON runs (status);

    CREATE TABLE run_tags (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      tag TEXT NOT NULL,
      PRIMARY KEY (run_id, tag)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE metrics (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      d_loss REAL,
      g_loss REAL,
      d_real REAL,
      d_fake REAL,
      images_per_s REAL,
      ms REAL,
      PRIMARY KEY (run_id, step)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE checkpoints (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      path TEXT NOT NULL,
      size INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (run_id, step)
    ) STRICT;

    CREATE TABLE samples (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      seed INTEGER NOT NULL,
      file TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (run_id, step, seed)
    ) STRICT;
  `);
}
