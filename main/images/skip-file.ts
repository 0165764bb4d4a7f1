/** Why an image file was not read: a code for counting and a sentence for people (the import reports them, projection refuses with them). */
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

/** Thrown by a decoder for one file: the import counts it and goes on. */
export class SkipFile extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly detail: string = SKIP_REASONS[reason],
  ) {
    super(detail);
  }
}
