/**
 * The 2D playground's state, kept while the person visits other views: the
 * settings, the session on the Node side and its newest frame, and the
 * points of a drawn distribution.
 */
import type { Studio } from './studio.svelte';
import type { PlaygroundFrame, PlaygroundState, PlaygroundSummary } from '../../../main/service/contract';
import type { Coverage } from '../../../main/playground/coverage';
import { DRAWN_EXTENT, MAX_DRAWN_POINTS, type DistributionName } from '../../../main/playground/distributions';
import { DEFAULT_RECIPE } from '../../../main/playground/recipe';

/** What the canvas shows before a session's first frame says it. */
export const EXTENT: Record<DistributionName, number> = { ring: 3, grid: 5, spiral: 5, drawn: DRAWN_EXTENT };

/** Drawn points closer than this to the previous one are skipped: a slow drag would pile them up. */
const DRAW_SPACING = 0.12;

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | 'finished';

export class Playground {
  distribution = $state<DistributionName>('ring');
  seed = $state(DEFAULT_RECIPE.seed);
  dSteps = $state(DEFAULT_RECIPE.dSteps);
  lrG = $state(DEFAULT_RECIPE.lrG);
  lrD = $state(DEFAULT_RECIPE.lrD);
  steps = $state(DEFAULT_RECIPE.steps);
  drawn = $state<[number, number][]>([]);
  session = $state<string | null>(null);
  phase = $state<Phase>('idle');
  frame = $state.raw<PlaygroundFrame | null>(null);
  summary = $state.raw<PlaygroundSummary | null>(null);
  /** Frames that arrive before playground.start has answered with their session's id. */
  private early = new Map<string, PlaygroundFrame>();

  constructor(private readonly studio: Studio) {
    studio.api.subscribe((name, payload) => {
      if (name === 'playground.frame') {
        const f = payload as PlaygroundFrame;
        if (f.session === this.session) this.frame = f;
        else if (this.phase === 'starting') this.early.set(f.session, f);
      } else if (name === 'playground.finished') {
        const s = payload as PlaygroundSummary;
        if (s.session !== this.session) return;
        this.summary = s;
        this.phase = 'finished';
        if (s.status === 'failed') studio.notify('error', `The playground stopped: ${s.error}`);
      }
    });
  }

  get extent(): number {
    return this.frame?.extent ?? EXTENT[this.distribution];
  }

  get coverage(): Coverage | null {
    return this.frame?.coverage ?? null;
  }

  private apply(s: PlaygroundState | null): void {
    if (!s || s.session !== this.session) return;
    if (s.finished) this.phase = 'finished';
    else this.phase = s.paused ? 'paused' : 'running';
  }

  async start(paused: boolean): Promise<void> {
    if (this.distribution === 'drawn' && this.drawn.length < 3) {
      this.studio.notify('info', 'Draw at least 3 points on the canvas first (drag on it).');
      return;
    }
    this.phase = 'starting';
    this.early.clear();
    this.summary = null;
    const started = await this.studio.run('playground.start', {
      distribution: this.distribution,
      ...(this.distribution === 'drawn' ? { points: $state.snapshot(this.drawn) as [number, number][] } : {}),
      seed: this.seed,
      dSteps: this.dSteps,
      lrG: this.lrG,
      lrD: this.lrD,
      steps: this.steps,
      paused,
    });
    if (!started) {
      this.phase = 'idle';
      return;
    }
    this.session = started.session;
    this.frame = this.early.get(started.session) ?? null;
    this.early.clear();
    if (this.phase === 'starting') this.phase = paused ? 'paused' : 'running';
  }

  private async control(action: 'pause' | 'resume' | 'step' | 'stop'): Promise<void> {
    if (!this.session) return;
    this.apply(await this.studio.run('playground.control', { session: this.session, action }));
  }

  /** Play from nothing or after the end starts a new session; otherwise it continues. */
  async play(): Promise<void> {
    if (this.phase === 'paused') return this.control('resume');
    if (this.phase === 'idle' || this.phase === 'finished') return this.start(false);
  }

  pause(): Promise<void> {
    return this.control('pause');
  }

  /** One training step: k D updates and one G update. With no session yet, one starts paused first. */
  async step(): Promise<void> {
    if (this.phase === 'idle' || this.phase === 'finished') await this.start(true);
    if (this.phase === 'paused') await this.control('step');
  }

  async reset(): Promise<void> {
    const live = this.phase === 'running' || this.phase === 'paused';
    if (live) await this.control('stop');
    this.session = null;
    this.frame = null;
    this.summary = null;
    this.phase = 'idle';
  }

  /** A new distribution or recipe needs a new session; the old one is stopped. */
  async choose(distribution: DistributionName): Promise<void> {
    await this.reset();
    this.distribution = distribution;
  }

  addPoint(x: number, y: number): void {
    if (this.drawn.length >= MAX_DRAWN_POINTS) return;
    const e = DRAWN_EXTENT;
    const p: [number, number] = [Math.max(-e, Math.min(e, x)), Math.max(-e, Math.min(e, y))];
    const last = this.drawn[this.drawn.length - 1];
    if (last && Math.hypot(last[0] - p[0], last[1] - p[1]) < DRAW_SPACING) return;
    this.drawn.push(p);
  }

  /** A new stroke is not joined to the last: its first point is always kept. */
  startStroke(x: number, y: number): void {
    if (this.drawn.length >= MAX_DRAWN_POINTS) return;
    const e = DRAWN_EXTENT;
    this.drawn.push([Math.max(-e, Math.min(e, x)), Math.max(-e, Math.min(e, y))]);
  }

  async clearDrawing(): Promise<void> {
    await this.reset();
    this.drawn = [];
  }
}

const instances = new WeakMap<Studio, Playground>();

export function playgroundOf(studio: Studio): Playground {
  let p = instances.get(studio);
  if (!p) instances.set(studio, (p = new Playground(studio)));
  return p;
}
