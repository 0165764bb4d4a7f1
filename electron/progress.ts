/**
 * The taskbar/dock progress bar follows one run: the one that reported last.
 * Training reports every step, so only changes the user could see (0.1 %) go
 * through to the window.
 */
export interface ProgressEvent {
  id: string;
  metrics: { step: number };
  target: number;
}

/** What to pass to BrowserWindow.setProgressBar: a fraction, or -1 to remove the bar. */
export type ProgressUpdate = number;

export class RunProgress {
  private active: string | null = null;
  private shown: number | null = null;

  /** The new bar value, or null when the visible bar would not change. */
  progress(e: ProgressEvent): ProgressUpdate | null {
    this.active = e.id;
    const fraction = e.target > 0 ? Math.min(1, Math.max(0, e.metrics.step / e.target)) : 0;
    const rounded = Math.round(fraction * 1000) / 1000;
    if (rounded === this.shown) return null;
    this.shown = rounded;
    return rounded;
  }

  /** -1 when the run on the bar ended; null for any other run. */
  finished(id: string): ProgressUpdate | null {
    if (id !== this.active) return null;
    this.active = null;
    this.shown = null;
    return -1;
  }
}
