import type { Database } from 'better-sqlite3';

/** Latents a person saved from a run's explorer, with a name, and the class for conditional runs. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE favorites (
      id INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      latent TEXT NOT NULL,
      class_label INTEGER,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX favorites_by_run ON favorites (run_id);
  `);
}
