import type { SkipReason } from '../../images/skip-file.js';

export { SKIP_REASONS, SkipFile, type SkipReason } from '../../images/skip-file.js';

export interface SkippedFile {
  file: string;
  reason: SkipReason;
  detail: string;
}

export interface ImportReport {
  name: string;
  size: number;
  channels: 1 | 3;
  fit: string;
  imported: number;
  /** Files with the same bytes as one imported before them. */
  duplicates: number;
  duplicateFiles: { file: string; sameAs: string }[];
  skipped: SkippedFile[];
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** Empty for an unlabelled dataset. */
  classes: { name: string; count: number }[];
  /** Paired imports: the pairs kept (each an A image followed by its B partner). */
  pairs?: number;
  /** Captions the import found: how many, of how many images, the words they use, and caption-file entries that name no imported image. */
  captions?: { count: number; images: number; vocabulary: number; fromClassNames: number; unmatched: string[] };
  /** Things worth knowing that did not stop an image, e.g. a PNG named .jpg. */
  notes: string[];
  seconds: number;
  imagesPerSec: number;
}

export interface ImportProgress {
  name: string;
  phase: 'scanning' | 'importing' | 'publishing';
  /** Files found so far; while importing, the total to process. */
  seen: number;
  processed: number;
  imported: number;
  skipped: number;
  duplicates: number;
  imagesPerSec: number;
}

/** Thrown by a step of the import for one file: that file is skipped, the import goes on. */

export function countByReason(skipped: SkippedFile[]): Partial<Record<SkipReason, number>> {
  const out: Partial<Record<SkipReason, number>> = {};
  for (const s of skipped) out[s.reason] = (out[s.reason] ?? 0) + 1;
  return out;
}
