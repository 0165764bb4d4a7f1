import type { Database } from 'better-sqlite3';

/**
 * Captions of imported images (several per image allowed), kept with the
 * images, and the vocabulary the import built from them (JSON: words, most
 * frequent first, and their counts). Text-conditional runs tokenise with it.
 * A text run's first phase trains its image–text encoder, whose contrastive
 * loss is kept per step in encoder_loss.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE datasets ADD COLUMN vocab TEXT;

    CREATE TABLE dataset_captions (
      dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      caption TEXT NOT NULL
    ) STRICT;
    CREATE INDEX dataset_captions_image ON dataset_captions (dataset_id, idx);

    ALTER TABLE metrics ADD COLUMN encoder_loss REAL;
  `);
}
