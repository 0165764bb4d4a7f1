/**
 * The host side of a training worker: start a job, steer it, hear its events.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { StudioError } from '../errors.js';
import type { ControlMessage, RunSummary, TrainJob, TrainingEvent } from './protocol.js';

export class TrainingSession {
  /** Resolves with the summary when the run completes or is stopped; rejects with a StudioError if it fails. */
  readonly done: Promise<RunSummary>;
  private readonly worker: Worker;
  private finished = false;

  private constructor(job: TrainJob, listener: (e: TrainingEvent) => void, enginePort?: () => Promise<MessagePort | undefined>) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url));
    let refuse: (message: string) => void = () => {};
    this.done = new Promise<RunSummary>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.finished = true;
        fn();
      };
      refuse = (message) => {
        settle(() => reject(new StudioError(message)));
        void this.worker.terminate();
      };
      this.worker.on('message', (e: TrainingEvent) => {
        listener(e);
        if (e.type !== 'done' && e.type !== 'error') return;
        // The wasm backend's own threads would keep a finished worker alive.
        void this.worker.terminate();
        if (e.type === 'done') settle(() => resolve(e.summary));
        else settle(() => reject(new StudioError(e.message)));
      });
      this.worker.on('error', (err) => settle(() => reject(new StudioError(`training worker crashed: ${err.message}`))));
      this.worker.on('exit', (code) =>
        settle(() => reject(new StudioError(`training worker exited (code ${code}) before the run finished; resume it to continue from its last checkpoint`))),
      );
    });
    if (!enginePort) this.send({ type: 'start', job });
    else {
      enginePort().then(
        (port) => (port ? this.worker.postMessage({ type: 'start', job, enginePort: port } satisfies ControlMessage, [port]) : this.send({ type: 'start', job })),
        // Refused before it started: the worker was told nothing and goes.
        (err: Error) => refuse(err.message),
      );
    }
  }

  /** `enginePort`: where the steps run when not in the worker itself (the desktop app's GPU engine), or undefined for here. */
  static start(job: TrainJob, listener: (e: TrainingEvent) => void = () => {}, enginePort?: () => Promise<MessagePort | undefined>): TrainingSession {
    return new TrainingSession(job, listener, enginePort);
  }

  get running(): boolean {
    return !this.finished;
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  /** Asks the run to stop after the current step; it saves a checkpoint first. */
  stop(): Promise<RunSummary> {
    this.send({ type: 'stop' });
    return this.done;
  }


  private send(msg: ControlMessage): void {
    if (!this.finished) this.worker.postMessage(msg);
  }
}
