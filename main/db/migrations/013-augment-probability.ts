import type { Database } from 'better-sqlite3';

/** ADA runs: the augmentation probability p each step's batches were drawn with. Other runs leave it empty. */
export function up(db: Database): void {
  db.exec('ALTER TABLE metrics ADD COLUMN augment_p REAL');
}
