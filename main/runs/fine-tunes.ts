/** Where fine-tuned runs started (their lineage), kept in the studio database. */
import type { Db } from '../db/database.js';

export interface FineTuneOrigin {
  /** Null once the parent run is deleted; its name and dataset stay. */
  parentId: string | null;
  parentName: string;
  parentDataset: string;
  /** The parent's checkpoint the weights came from. */
  parentStep: number;
  freezeD: number;
}

export function saveFineTune(db: Db, runId: string, o: FineTuneOrigin): void {
  db.prepare('INSERT INTO fine_tunes (run_id, parent_id, parent_name, parent_dataset, parent_step, freeze_d) VALUES (?, ?, ?, ?, ?, ?)').run(
    runId,
    o.parentId,
    o.parentName,
    o.parentDataset,
    o.parentStep,
    o.freezeD,
  );
}

export function fineTuneOf(db: Db, runId: string): FineTuneOrigin | null {
  const r = db
    .prepare('SELECT parent_id AS parentId, parent_name AS parentName, parent_dataset AS parentDataset, parent_step AS parentStep, freeze_d AS freezeD FROM fine_tunes WHERE run_id = ?')
    .get(runId) as FineTuneOrigin | undefined;
  return r ?? null;
}
