/**
 * The studio's SQLite database: WAL, foreign keys, schema by numbered
 * migrations applied in one transaction and recorded in user_version.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StudioError, messageOf } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** The studio's database in its home folder. */
export const databasePath = (home: string) => join(home, 'studio.db');

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations above the database's version, all or none. */
export function migrate(db: Db, migrations: Migration[] = MIGRATIONS): void {
  const target = migrations.length;
  const current = schemaVersion(db);
  if (current > target) {
    throw new StudioError(
      `the database was written by a newer GAN Studio (schema ${current}; this version knows up to ${target}); update GAN Studio to open it`,
      'DB_TOO_NEW',
    );
  }
  if (current === target) return;
  db.transaction(() => {
    for (const m of migrations.slice(current)) m.up(db);
    db.pragma(`user_version = ${target}`);
  }).immediate();
}

/**
 * The desktop app started from a checkout (`npm start`) loads a copy of
 * better-sqlite3 built for Electron's ABI, named here by the launcher
 * (electron/launcher.ts): the copy in node_modules stays built for Node. The
 * variable reaches worker threads, which open the database too.
 */
function databaseOptions(): Database.Options {
  const binding = process.env.GAN_STUDIO_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

export function openDatabase(path: string, migrations: Migration[] = MIGRATIONS): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path, databaseOptions());
  } catch (err) {
    throw new StudioError(`cannot open the database ${path}: ${messageOf(err)}`);
  }
  try {
    // Read the version before changing anything, so a newer database is left exactly as it was.
    if (schemaVersion(db) > migrations.length) migrate(db, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // FULL: a committed checkpoint row survives power loss, not only a killed process.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StudioError) throw err;
    throw new StudioError(`the database ${path} cannot be used: ${messageOf(err)}`);
  }
}

export { SCHEMA_VERSION };
