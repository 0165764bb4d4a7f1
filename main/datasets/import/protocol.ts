/** Messages between an import worker and the process that hosts it. */
import type { ImportOptions } from './options.js';
import type { ImportProgress, ImportReport } from './report.js';

export type ImportControlMessage = { type: 'start'; home: string; options: ImportOptions } | { type: 'cancel' };

export type ImportEvent =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; report: ImportReport }
  | { type: 'error'; message: string; code: string };
