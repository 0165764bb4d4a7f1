import type { Database } from 'better-sqlite3';

/**
 * The studio's settings that outlive a session, by name, each a JSON value
 * (the first: the remote workers' Redis, its address without a password).
 * Nothing secret goes here: a password stays in memory, or in the OS
 * keychain where the desktop app has one.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value)),
      updated_at TEXT NOT NULL
    ) STRICT;
  `);
}
