import type { Database } from 'better-sqlite3';

/**
 * Each evaluation's share of generated images closer to a training image
 * than real images are to one another (the memorisation check). Earlier
 * evaluations, and runs judged otherwise, leave it empty.
 */
export function up(db: Database): void {
  db.exec('ALTER TABLE metrics ADD COLUMN memorised REAL');
}
