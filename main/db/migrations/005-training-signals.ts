import type { Database } from 'better-sqlite3';

/**
 * Signals of how training goes: D's accuracy on real and generated images
 * every step, and the judges' figures (Fréchet and kernel distances,
 * diversity, near-duplicates, classes covered) at the steps they were
 * evaluated. Older rows have none of them, which reads as "not measured".
 */
export function up(db: Database): void {
  for (const column of ['d_acc_real', 'd_acc_fake', 'fid', 'kid', 'diversity', 'near_duplicates', 'classes_covered', 'class_accuracy']) {
    db.exec(`ALTER TABLE metrics ADD COLUMN ${column} REAL`);
  }
}
