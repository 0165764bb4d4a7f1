/**
 * One playground session: trains in short slices, yielding to the event
 * loop between them so pause, step and stop are heard within a slice, and
 * sends a frame at most every FRAME_MS. It runs wherever its messages can
 * go: in the playground worker, or in-process in tests.
 */
import { Rng } from '../engine/rng.js';
import { COVERAGE_SAMPLES, coverage, type Coverage } from './coverage.js';
import { distribution } from './distributions.js';
import type { PlaygroundAction, PlaygroundFrame, PlaygroundState, WorkerMessage } from './protocol.js';
import { recipeFor, type PlaygroundSettings } from './settings.js';
import { PointTrainer, type PointStepMetrics } from './trainer.js';

/** 12.5 frames a second: smooth to watch, and drawing them costs a few percent of the training. */
export const FRAME_MS = 80;
/** Training between looks at the mailbox. */
const SLICE_MS = 25;
export const SHOWN_POINTS = 500;
export const SURFACE_SIZE = 40;

/** Four decimals are finer than a pixel and keep a frame's JSON near 30 kB instead of 80. */
const brief = (values: ArrayLike<number>) => Array.from(values, (v) => Math.round(v * 1e4) / 1e4);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class PlaygroundSession {
  readonly trainer: PointTrainer;
  private readonly real: number[];
  private readonly evalZ: Float32Array;
  private paused: boolean;
  private stopRequested = false;
  private finished = false;
  private last: PointStepMetrics | null = null;
  private lastCoverage: Coverage | null = null;
  private readonly pauseWaiters: number[] = [];
  private readonly stepWaiters: number[] = [];
  private readonly stopWaiters: number[] = [];
  private wake: (() => void) | null = null;

  constructor(
    readonly id: string,
    readonly settings: PlaygroundSettings,
    private readonly backend: string,
    private readonly emit: (m: WorkerMessage) => void,
  ) {
    const data = distribution(settings.distribution, settings.points);
    this.trainer = new PointTrainer(recipeFor(settings), data);
    this.paused = settings.paused;
    // Fixed real points and latents, from seeds of their own, so frames differ only by what training changed.
    this.real = brief(data.sample(SHOWN_POINTS, Rng.fromSeed(settings.seed ^ 0x5eed)));
    this.evalZ = this.trainer.latents(COVERAGE_SAMPLES, settings.seed ^ 0xc0fe);
  }

  state(): PlaygroundState {
    return { session: this.id, step: this.trainer.step, paused: this.paused, finished: this.finished };
  }

  private reply(id: number): void {
    this.emit({ type: 'reply', id, ok: true, state: this.state() });
  }

  private refuse(id: number, code: 'NOT_FOUND' | 'CONFLICT', message: string): void {
    this.emit({ type: 'reply', id, ok: false, code, message });
  }

  control(id: number, action: PlaygroundAction): void {
    if (this.finished) return this.refuse(id, 'CONFLICT', `playground session ${this.id} has finished`);
    switch (action) {
      case 'pause':
        if (this.paused) return this.reply(id);
        this.paused = true;
        // Answered by the loop once it has stopped between slices: no frame follows the answer.
        this.pauseWaiters.push(id);
        break;
      case 'resume':
        this.paused = false;
        this.reply(id);
        break;
      case 'step':
        if (!this.paused) return this.refuse(id, 'CONFLICT', 'the session is running; pause it to go step by step');
        this.stepWaiters.push(id);
        break;
      case 'stop':
        this.stopRequested = true;
        this.stopWaiters.push(id);
        break;
    }
    this.wake?.();
  }

  frame(): PlaygroundFrame {
    const t = this.trainer;
    const points = t.generate(this.evalZ);
    this.lastCoverage = coverage(points, t.data);
    const m = this.last;
    return {
      session: this.id,
      step: t.step,
      steps: t.recipe.steps,
      real: this.real,
      generated: brief(points.subarray(0, 2 * SHOWN_POINTS)),
      surface: brief(t.surface(SURFACE_SIZE)),
      surfaceSize: SURFACE_SIZE,
      extent: t.data.extent,
      dLoss: m?.dLoss ?? null,
      gLoss: m?.gLoss ?? null,
      dReal: m?.dReal ?? null,
      dFake: m?.dFake ?? null,
      coverage: this.lastCoverage,
      paused: this.paused,
    };
  }

  private sendFrame(): void {
    this.emit({ type: 'frame', frame: this.frame() });
  }

  async run(): Promise<void> {
    const t = this.trainer;
    const steps = t.recipe.steps;
    const t0 = performance.now();
    this.emit({
      type: 'started',
      started: { session: this.id, distribution: this.settings.distribution, settings: this.settings, sigma: t.data.sigma, extent: t.data.extent, backend: this.backend },
    });
    this.sendFrame();
    let lastFrame = performance.now();
    let frameMs = 0;
    let error: string | null = null;
    try {
      while (t.step < steps && !this.stopRequested) {
        if (this.paused) {
          if (this.pauseWaiters.length) {
            // Frames are throttled, so the last one may be steps behind: show where training stopped.
            this.sendFrame();
            lastFrame = performance.now();
            for (const id of this.pauseWaiters.splice(0)) this.reply(id);
          }
          const id = this.stepWaiters.shift();
          if (id !== undefined) {
            this.last = t.trainStep();
            this.sendFrame();
            lastFrame = performance.now();
            this.reply(id);
            continue;
          }
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        const end = performance.now() + SLICE_MS;
        do this.last = t.trainStep();
        while (performance.now() < end && t.step < steps);
        // On a busy machine a frame can cost as much as several steps: they get no more than a sixth of the time.
        if (performance.now() - lastFrame >= Math.max(FRAME_MS, 5 * frameMs)) {
          const f0 = performance.now();
          this.sendFrame();
          lastFrame = performance.now();
          frameMs = lastFrame - f0;
        }
        await nextTurn();
      }
      this.sendFrame();
    } catch (err) {
      error = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
    this.finished = true;
    for (const id of [...this.pauseWaiters.splice(0), ...this.stopWaiters.splice(0)]) this.reply(id);
    for (const id of this.stepWaiters.splice(0)) this.refuse(id, 'CONFLICT', `playground session ${this.id} has finished`);
    this.emit({
      type: 'finished',
      summary: {
        session: this.id,
        status: error ? 'failed' : t.step >= steps ? 'completed' : 'stopped',
        step: t.step,
        steps,
        seconds: (performance.now() - t0) / 1000,
        coverage: this.lastCoverage,
        error,
      },
    });
    t.dispose();
  }
}
