/**
 * The service's side of image generation: two worker threads, one for what
 * a person waits on (a sample, directions, a walk) and one for exports, so a
 * long export never stalls the explorer and neither runs on the thread that
 * serves the UI (in the desktop app, Electron's main process).
 */
import { Worker } from 'node:worker_threads';
import 'sharp';
import { StudioError } from '../errors.js';
import type { BackendChoice } from '../engine/config.js';
import type { GenerationRequest, GenerationResults, WorkerProgress, WorkerReply } from './protocol.js';

type Lane = 'interactive' | 'batch';

export class GenerationHost {
  private readonly workers = new Map<Lane, Worker>();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (done: number, total: number, detail: WorkerProgress) => void }>();
  private nextId = 1;
  private closed = false;

  /** `backend`: what the workers draw on (the CLI's --backend; the studio's own choice otherwise). */
  constructor(private readonly backend: BackendChoice = 'auto') {}

  request<K extends GenerationRequest['kind']>(
    request: Extract<GenerationRequest, { kind: K }>,
    progress?: (done: number, total: number, detail: WorkerProgress) => void,
  ): Promise<GenerationResults[K]> {
    if (this.closed) return Promise.reject(new StudioError('the studio is closing', 'UNAVAILABLE'));
    // Long work (exports, whole photos) keeps out of the explorer's way.
    const lane: Lane = request.kind.startsWith('export') || request.kind === 'upscale' || request.kind === 'encoder' || request.kind === 'augment-cell' ? 'batch' : 'interactive';
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.worker(lane).postMessage({ id, request });
    });
  }

  private worker(lane: Lane): Worker {
    let w = this.workers.get(lane);
    if (w) return w;
    w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { backend: this.backend } });
    // Idle generators must not keep a CLI process alive.
    w.unref();
    w.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) return p.progress?.(m.progress.done, m.progress.total, m.progress);
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new StudioError(m.message, m.code));
    });
    const fail = (message: string) => {
      this.workers.delete(lane);
      for (const [id, p] of this.pending) {
        p.reject(new StudioError(message));
        this.pending.delete(id);
      }
    };
    w.on('error', (err) => fail(`the image generator crashed: ${err.message}`));
    w.on('exit', () => this.workers.get(lane) === w && fail('the image generator stopped'));
    this.workers.set(lane, w);
    return w;
  }

  /** Asks the workers to stop the request with this ticket at its next step (a projection, an encoder's training). */
  cancel(ticket: string): void {
    for (const w of this.workers.values()) w.postMessage({ cancel: ticket });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers.values()].map((w) => w.terminate()));
    this.workers.clear();
  }
}
