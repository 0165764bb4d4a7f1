/** Pause, resume and stop for a run, as flags the step loop reads and as changes a remote engine forwards. */
import type { StepControl } from '../engine/step-loop.js';

export type ControlChange = 'pause' | 'resume' | 'stop';

export class RunControl implements StepControl {
  stopRequested = false;
  pauseRequested = false;
  private wake: (() => void) | null = null;
  private readonly listeners = new Set<(what: ControlChange) => void>();

  waitForResume(): Promise<void> {
    if (!this.pauseRequested || this.stopRequested) return Promise.resolve();
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  pause(): void {
    this.pauseRequested = true;
    this.tell('pause');
  }

  resume(): void {
    this.pauseRequested = false;
    this.wake?.();
    this.tell('resume');
  }

  stop(): void {
    this.stopRequested = true;
    this.wake?.();
    this.tell('stop');
  }

  onChange(listener: (what: ControlChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(what: ControlChange): void {
    for (const l of this.listeners) l(what);
  }
}
