import type { Database } from 'better-sqlite3';

/**
 * The class mix of each evaluation's samples beside the real images'
 * (JSON: class names, counts of generated and of real images, the shares
 * classified with confidence ≥ 0.9), for evaluations by a classifying judge.
 */
export function up(db: Database): void {
  db.exec('ALTER TABLE metrics ADD COLUMN class_balance TEXT;');
}
