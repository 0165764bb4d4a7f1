/**
 * The training run's side of its evaluation worker. One evaluation at a
 * time; a checkpoint that arrives while one runs waits, and a newer one
 * replaces it, so a slow judge falls behind by skipping steps, never by
 * holding training up.
 */
import { Worker } from 'node:worker_threads';
import type { Evaluation } from '../evaluation/evaluation.js';
import type { EvaluationRequest, EvaluatorReply } from '../evaluation/protocol.js';

export interface EvaluatorListener {
  result(e: Evaluation): void;
  /** Something a person should know (a judge being trained, an evaluation that failed). */
  note(message: string): void;
}

export class Evaluator {
  private worker: Worker | null = null;
  private busy = false;
  private waiting: EvaluationRequest | null = null;
  private idle: (() => void)[] = [];

  constructor(private readonly listener: EvaluatorListener) {}

  request(r: EvaluationRequest): void {
    if (this.busy) this.waiting = r;
    else this.send(r);
  }

  private send(r: EvaluationRequest): void {
    this.busy = true;
    this.ensureWorker().postMessage(r);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./evaluation-worker.js', import.meta.url));
    w.on('message', (m: EvaluatorReply) => {
      if (m.type === 'note') return this.listener.note(m.message);
      if (m.type === 'result') this.listener.result(m.evaluation);
      else this.listener.note(`evaluation at step ${m.step} failed: ${m.message}`);
      this.finished();
    });
    w.on('error', (err) => {
      this.listener.note(`the evaluation worker crashed: ${err.message}`);
      this.worker = null;
      this.finished();
    });
    this.worker = w;
    return w;
  }

  private finished(): void {
    this.busy = false;
    const next = this.waiting;
    this.waiting = null;
    if (next) return this.send(next);
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves when nothing is running or waiting, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.waiting = null;
    // The wasm backend's own threads would keep an idle worker alive.
    await this.worker?.terminate();
    this.worker = null;
  }
}
