/**
 * The host side of an import worker. The worker is never terminated while it
 * works: a cancel is a message it acts on between images, so sharp is never
 * killed mid-decode and the temporary folder is always cleaned up.
 */
import { Worker } from 'node:worker_threads';
// Loaded here too so its native libraries stay loaded after a worker that used them exits (sharp's advice for worker threads).
import 'sharp';
import { StudioError } from '../../errors.js';
import type { ImportOptions } from './options.js';
import type { ImportControlMessage, ImportEvent } from './protocol.js';
import type { ImportProgress, ImportReport } from './report.js';

export class ImportSession {
  readonly done: Promise<ImportReport>;
  private readonly worker: Worker;
  private finished = false;

  constructor(home: string, options: ImportOptions, onProgress: (p: ImportProgress) => void = () => {}) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url));
    this.done = new Promise<ImportReport>((resolve, reject) => {
      const settle = (fn: () => void) => {
        if (this.finished) return;
        this.finished = true;
        fn();
      };
      this.worker.on('message', (e: ImportEvent) => {
        if (e.type === 'progress') onProgress(e.progress);
        else if (e.type === 'done') settle(() => resolve(e.report));
        else settle(() => reject(new StudioError(e.message, e.code)));
      });
      this.worker.on('error', (err) => settle(() => reject(new StudioError(`import worker crashed: ${err.message}; nothing was saved`))));
      this.worker.on('exit', (code) => settle(() => reject(new StudioError(`import worker exited (code ${code}) before finishing; nothing was saved`))));
    });
    this.send({ type: 'start', home, options });
  }

  /** Stops after the images being decoded now; resolves when the temporary files are gone. */
  cancel(): Promise<unknown> {
    this.send({ type: 'cancel' });
    return this.done.catch(() => undefined);
  }

  private send(msg: ImportControlMessage): void {
    if (!this.finished) this.worker.postMessage(msg);
  }
}
