import type { Database } from 'better-sqlite3';

/**
 * Augmentation studies: a dataset's classifiers trained on K real images per
 * class with and without a GAN's images, their settings, the GAN run of each
 * subset (`runs`: JSON, subset key → run id, kept when a run is deleted so
 * the report still says which run it was), and one row per classifier
 * measured, written as each finishes so a restart loses no finished cell.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE augment_studies (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      dataset TEXT NOT NULL,
      settings TEXT NOT NULL,
      runs TEXT NOT NULL DEFAULT '{}',
      status TEXT NOT NULL,
      error TEXT,
      pid INTEGER,
      created_at TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;
    CREATE TABLE augment_cells (
      study_id TEXT NOT NULL REFERENCES augment_studies (id) ON DELETE CASCADE,
      per_class TEXT NOT NULL,
      seed INTEGER NOT NULL,
      arm TEXT NOT NULL,
      multiplier REAL NOT NULL,
      accuracy REAL NOT NULL,
      per_class_accuracy TEXT NOT NULL,
      real_count INTEGER NOT NULL,
      synthetic_count INTEGER NOT NULL,
      run_id TEXT,
      ms REAL NOT NULL,
      PRIMARY KEY (study_id, per_class, seed, arm, multiplier)
    ) STRICT;
  `);
}
