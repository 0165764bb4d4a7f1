import type { Database } from 'better-sqlite3';

/**
 * Imported datasets: where their packed pixels live, the options and report
 * of their import, and one row per image (its source file, content hash and
 * class) so the gallery can say where an image came from.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE datasets ADD COLUMN dir TEXT;
    ALTER TABLE datasets ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE datasets ADD COLUMN report TEXT;

    CREATE TABLE dataset_images (
      dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      file TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      label INTEGER,
      PRIMARY KEY (dataset_id, idx)
    ) STRICT, WITHOUT ROWID;
  `);
}
