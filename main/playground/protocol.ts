/** Messages between the playground worker and the process that hosts it, and what they carry to the UI. */
import type { Coverage } from './coverage.js';
import type { DistributionName } from './distributions.js';
import type { PlaygroundSettings } from './settings.js';

export type { Coverage };

export const PLAYGROUND_ACTIONS = ['pause', 'resume', 'step', 'stop'] as const;
export type PlaygroundAction = (typeof PLAYGROUND_ACTIONS)[number];

/** One picture of a session. Points are flat [x0, y0, x1, y1, …] in data units. */
export interface PlaygroundFrame {
  session: string;
  step: number;
  steps: number;
  /** A fixed sample of the data. */
  real: number[];
  /** The averaged generator's points from fixed latents, so the animation follows the same points. */
  generated: number[];
  /** D's verdict as probabilities, surfaceSize² values, row by row from the top (y = +extent), left to right. */
  surface: number[];
  surfaceSize: number;
  /** Everything shown lies in [-extent, extent]². */
  extent: number;
  dLoss: number | null;
  gLoss: number | null;
  dReal: number | null;
  dFake: number | null;
  /** Over 2,500 generated points; null only before the first measurement. */
  coverage: Coverage | null;
  paused: boolean;
}

export interface PlaygroundStarted {
  session: string;
  distribution: DistributionName;
  settings: PlaygroundSettings;
  /** The data's noise σ (for drawn data, derived from the drawing's spacing); 3σ makes a sample high quality. */
  sigma: number;
  extent: number;
  backend: string;
}

export interface PlaygroundSummary {
  session: string;
  status: 'completed' | 'stopped' | 'failed';
  step: number;
  steps: number;
  seconds: number;
  coverage: Coverage | null;
  error: string | null;
}

export interface PlaygroundState {
  session: string;
  step: number;
  paused: boolean;
  finished: boolean;
}

export type HostMessage =
  | { type: 'start'; session: string; settings: PlaygroundSettings }
  | { type: 'control'; id: number; session: string; action: PlaygroundAction };

export type WorkerMessage =
  | { type: 'started'; started: PlaygroundStarted }
  | { type: 'frame'; frame: PlaygroundFrame }
  | { type: 'finished'; summary: PlaygroundSummary }
  | { type: 'reply'; id: number; ok: true; state: PlaygroundState }
  | { type: 'reply'; id: number; ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };
