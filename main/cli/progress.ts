import type { StepMetrics } from '../engine/step-metrics.js';
import { stepFigures } from '../evaluation/status.js';
import { duration } from '../core/duration.js';

export { stepFigures };


/** One status line: bar, step, losses, the two probabilities users watch, speed and time left. */
export function progressLine(m: StepMetrics, start: number, target: number, msPerStep: number, width = 24): string {
  const bar = barOf((m.step - start) / Math.max(1, target - start), width);
  const eta = ((target - m.step) * msPerStep) / 1000;
  return `${bar} ${m.step}/${target}  ${stepFigures(m)}  ${m.imagesPerSec.toFixed(0)} img/s  ETA ${duration(eta)}`;
}

export function barOf(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Redraws one line on a terminal, at most ten times a second. */
export class StatusLine {
  private lastDraw = 0;

  constructor(protected readonly out: NodeJS.WriteStream) {}

  draw(line: string, force = false): void {
    const now = performance.now();
    if (now - this.lastDraw < 100 && !force) return;
    this.lastDraw = now;
    this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns || 120) - 1)}`);
  }

  /** Moves below the bar so the next message starts on its own line. */
  interrupt(message: string): void {
    this.out.write(`\r\x1b[2K${message}\n`);
    this.lastDraw = 0;
  }

  end(): void {
    this.out.write('\n');
  }
}

/** The training progress bar. */
export class ProgressBar extends StatusLine {
  private smoothedMs = 0;

  constructor(
    out: NodeJS.WriteStream,
    private readonly start: number,
    private readonly target: number,
  ) {
    super(out);
  }

  update(m: StepMetrics): void {
    this.smoothedMs = this.smoothedMs === 0 ? m.ms : 0.9 * this.smoothedMs + 0.1 * m.ms;
    this.draw(progressLine(m, this.start, this.target, this.smoothedMs, 24), m.step >= this.target);
  }
}
