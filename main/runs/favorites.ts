/** Latents saved from a run's explorer, kept in the studio database. */
import type { Db } from '../db/database.js';

export interface Favorite {
  id: number;
  name: string;
  latent: number[];
  classLabel: number | null;
  createdAt: string;
}

interface Row {
  id: number;
  name: string;
  latent: string;
  class_label: number | null;
  created_at: string;
}

const fromRow = (r: Row): Favorite => ({ id: r.id, name: r.name, latent: JSON.parse(r.latent) as number[], classLabel: r.class_label, createdAt: r.created_at });

export function listFavorites(db: Db, runId: string): Favorite[] {
  return (db.prepare('SELECT id, name, latent, class_label, created_at FROM favorites WHERE run_id = ? ORDER BY id').all(runId) as Row[]).map(fromRow);
}

export function saveFavorite(db: Db, runId: string, f: { name: string; latent: number[]; classLabel?: number }): Favorite {
  const createdAt = new Date().toISOString();
  const { lastInsertRowid } = db
    .prepare('INSERT INTO favorites (run_id, name, latent, class_label, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(runId, f.name, JSON.stringify(f.latent), f.classLabel ?? null, createdAt);
  return { id: Number(lastInsertRowid), name: f.name, latent: f.latent, classLabel: f.classLabel ?? null, createdAt };
}

export function deleteFavorite(db: Db, runId: string, id: number): boolean {
  return db.prepare('DELETE FROM favorites WHERE run_id = ? AND id = ?').run(runId, id).changes > 0;
}
