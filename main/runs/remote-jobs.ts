/** The studio's record of its runs on remote workers (migration 011): which job, how far their streams are read. */
import type { Db } from '../db/database.js';

export interface RemoteRunRow {
  runId: string;
  jobId: string;
  /** The id of the last stream entry ingested. */
  cursor: string;
  worker: string | null;
}

/** Starts (or restarts) following a run's stream from `cursor`. */
export function followRemote(db: Db, runId: string, jobId: string, cursor: string, now = new Date()): void {
  db.prepare(
    `INSERT INTO remote_runs (run_id, job_id, cursor, worker, active, queued_at) VALUES (?, ?, ?, NULL, 1, ?)
     ON CONFLICT (run_id) DO UPDATE SET job_id = excluded.job_id, cursor = excluded.cursor, worker = NULL, active = 1, queued_at = excluded.queued_at`,
  ).run(runId, jobId, cursor, now.toISOString());
}

export function followedRemoteRuns(db: Db): RemoteRunRow[] {
  return db.prepare('SELECT run_id AS runId, job_id AS jobId, cursor, worker FROM remote_runs WHERE active = 1 ORDER BY queued_at').all() as RemoteRunRow[];
}

export function remoteRun(db: Db, runId: string): RemoteRunRow | null {
  return (db.prepare('SELECT run_id AS runId, job_id AS jobId, cursor, worker FROM remote_runs WHERE run_id = ?').get(runId) as RemoteRunRow | undefined) ?? null;
}

export function setRemoteCursor(db: Db, runId: string, cursor: string): void {
  db.prepare('UPDATE remote_runs SET cursor = ? WHERE run_id = ?').run(cursor, runId);
}

export function setRemoteWorker(db: Db, runId: string, worker: string): void {
  db.prepare('UPDATE remote_runs SET worker = ? WHERE run_id = ?').run(worker, runId);
}

/** The run finished (or was given up): the studio stops reading its stream. */
export function unfollowRemote(db: Db, runId: string): void {
  db.prepare('UPDATE remote_runs SET active = 0 WHERE run_id = ?').run(runId);
}
