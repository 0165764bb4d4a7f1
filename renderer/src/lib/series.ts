import type { SeriesPoint } from '../../../main/db/series';

export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
  /** Dots on the points: for sparse series such as evaluations. */
  markers?: boolean;
}

export const toXY = (points: SeriesPoint[]) => points.map((p) => ({ x: p.step, y: p.value }));
