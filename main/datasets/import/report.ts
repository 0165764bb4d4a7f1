/** Why a file was not imported: a code for counting and a sentence for people. */
export const SKIP_REASONS = {
  empty: 'empty file',
  'not-image': 'not an image',
  unreadable: 'cannot be read',
  corrupt: 'corrupt or truncated image',
  'too-many-pixels': 'more pixels than the limit (decompression bomb?)',
  'too-large': 'file larger than the limit',
  unsupported: 'image format this decoder does not support',
  'symlink-loop': 'symlink loop',
  'unsafe-path': 'unsafe path inside the archive',
  'zip-bomb': 'suspicious compression (zip bomb?)',
  'bad-name': 'name is not valid UTF-8',
  'no-class': 'not inside a class folder',
  'no-partner': 'no partner in the other folder of a paired import',
  'nested-archive': 'archive inside a folder or archive',
  'bad-archive': 'archive cannot be read',
  hidden: 'hidden or system file',
  'too-small': 'smaller than one tile',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

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
export class SkipFile extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly detail: string = SKIP_REASONS[reason],
  ) {
    super(detail);
  }
}

export function countByReason(skipped: SkippedFile[]): Partial<Record<SkipReason, number>> {
  const out: Partial<Record<SkipReason, number>> = {};
  for (const s of skipped) out[s.reason] = (out[s.reason] ?? 0) + 1;
  return out;
}
