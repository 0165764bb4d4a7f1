/**
 * The service's side of the playground: one worker thread that runs the
 * sessions, started on first use. While a session runs the worker keeps the
 * process alive (a CLI waits for it); idle, it does not.
 */
import { Worker } from 'node:worker_threads';
import { StudioError } from '../errors.js';
import type { PlaygroundAction, PlaygroundFrame, PlaygroundStarted, PlaygroundState, PlaygroundSummary, WorkerMessage } from './protocol.js';
import type { PlaygroundSettings } from './settings.js';

export interface PlaygroundListener {
  frame(frame: PlaygroundFrame): void;
  finished(summary: PlaygroundSummary): void;
}

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

export class PlaygroundHost {
  private worker: Worker | null = null;
  private readonly starting = new Map<string, Waiter<PlaygroundStarted>>();
  private readonly replies = new Map<number, Waiter<PlaygroundState>>();
  private readonly live = new Set<string>();
  private nextSession = 1;
  private nextReply = 1;
  private closed = false;

  constructor(private readonly listener: PlaygroundListener) {}

  /** Resolves once the session has built its networks and sent its first frame. */
  start(settings: PlaygroundSettings): Promise<PlaygroundStarted> {
    if (this.closed) return Promise.reject(new StudioError('the studio is closing', 'UNAVAILABLE'));
    const session = `pg-${this.nextSession++}`;
    const w = this.ensureWorker();
    this.live.add(session);
    w.ref();
    return new Promise((resolve, reject) => {
      this.starting.set(session, { resolve, reject });
      w.postMessage({ type: 'start', session, settings });
    });
  }

  control(session: string, action: PlaygroundAction): Promise<PlaygroundState> {
    if (!this.worker || !this.live.has(session)) return Promise.reject(new StudioError(`no playground session ${session} is running`, 'NOT_FOUND'));
    const id = this.nextReply++;
    const w = this.worker;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      w.postMessage({ type: 'control', id, session, action });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker.js', import.meta.url));
    w.unref();
    w.on('message', (m: WorkerMessage) => this.onMessage(m));
    const fail = (message: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const p of this.starting.values()) p.reject(new StudioError(message));
      for (const p of this.replies.values()) p.reject(new StudioError(message));
      this.starting.clear();
      this.replies.clear();
      for (const session of this.live) this.listener.finished({ session, status: 'failed', step: 0, steps: 0, seconds: 0, coverage: null, error: message });
      this.live.clear();
    };
    w.on('error', (err) => fail(`the playground worker crashed: ${err.message}`));
    w.on('exit', () => fail('the playground worker stopped'));
    this.worker = w;
    return w;
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.type) {
      case 'started':
        this.starting.get(m.started.session)?.resolve(m.started);
        this.starting.delete(m.started.session);
        return;
      case 'frame':
        return this.listener.frame(m.frame);
      case 'finished': {
        const { session } = m.summary;
        const waiting = this.starting.get(session);
        this.starting.delete(session);
        if (waiting) waiting.reject(new StudioError(m.summary.error ?? 'the session did not start'));
        this.live.delete(session);
        if (this.live.size === 0) this.worker?.unref();
        if (!waiting) this.listener.finished(m.summary);
        return;
      }
      case 'reply': {
        const p = this.replies.get(m.id);
        if (!p) return;
        this.replies.delete(m.id);
        if (m.ok) p.resolve(m.state);
        else p.reject(new StudioError(m.message, m.code));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}
