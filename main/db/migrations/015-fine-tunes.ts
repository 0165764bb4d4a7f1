import type { Database } from 'better-sqlite3';

/**
 * Where a fine-tuned run started: the run and checkpoint step its weights
 * came from, with the parent's name and dataset kept for when the parent is
 * deleted, and how many of D's blocks it froze (FreezeD).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE fine_tunes (
      run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      parent_id TEXT REFERENCES runs (id) ON DELETE SET NULL,
      parent_name TEXT NOT NULL,
      parent_dataset TEXT NOT NULL,
      parent_step INTEGER NOT NULL,
      freeze_d INTEGER NOT NULL DEFAULT 0
    ) STRICT;
  `);
}
