/**
 * The 2D data sets of the playground. Ring and grid are the mode-collapse
 * benchmarks of the literature (PacGAN, VEEGAN): 8 Gaussians on a circle of
 * radius 2 with σ = 0.02, and 25 on {-4,-2,0,2,4}² with σ = 0.05. Spiral
 * and drawn data have a continuous support instead of discrete modes.
 */
import type { Rng } from '../engine/rng.js';

export const DISTRIBUTIONS = ['ring', 'grid', 'spiral', 'drawn'] as const;
export type DistributionName = (typeof DISTRIBUTIONS)[number];

/** Drawn points live in the square the canvas shows for them. */
export const DRAWN_EXTENT = 5;
export const MAX_DRAWN_POINTS = 2000;
export const MIN_DRAWN_POINTS = 3;

export interface Distribution {
  name: DistributionName;
  /** Points are shown, and D's surface drawn, over [-extent, extent]². */
  extent: number;
  /** Spread of the Gaussian noise around each mode or support point. */
  sigma: number;
  /** Mode centres as x,y pairs for ring and grid; null where there are no discrete modes. */
  modes: Float64Array | null;
  /** Noise-free points the data lies around (the modes, or a dense trace of the curve or drawing). */
  support: Float64Array;
  /** n points as x,y pairs. */
  sample(n: number, rng: Rng): Float32Array;
}

/** Picks a support point uniformly and adds isotropic Gaussian noise: every set here is such a mixture. */
function mixture(centres: Float64Array, sigma: number) {
  const count = centres.length / 2;
  return (n: number, rng: Rng): Float32Array => {
    const out = rng.normal(2 * n, 0, sigma);
    for (let i = 0; i < n; i++) {
      const k = rng.int(count);
      out[2 * i] += centres[2 * k];
      out[2 * i + 1] += centres[2 * k + 1];
    }
    return out;
  };
}

export function ring(): Distribution {
  const modes = new Float64Array(16);
  for (let i = 0; i < 8; i++) {
    modes[2 * i] = 2 * Math.cos((2 * Math.PI * i) / 8);
    modes[2 * i + 1] = 2 * Math.sin((2 * Math.PI * i) / 8);
  }
  return { name: 'ring', extent: 3, sigma: 0.02, modes, support: modes, sample: mixture(modes, 0.02) };
}

export function grid(): Distribution {
  const modes = new Float64Array(50);
  let i = 0;
  for (const x of [-4, -2, 0, 2, 4]) for (const y of [-4, -2, 0, 2, 4]) ((modes[i++] = x), (modes[i++] = y));
  return { name: 'grid', extent: 5, sigma: 0.05, modes, support: modes, sample: mixture(modes, 0.05) };
}

/**
 * Two turns of an Archimedean spiral (the 2D Swiss roll, t ∈ [1.5π, 4.5π]),
 * scaled to reach radius 4. Sampling t uniformly puts more points per unit
 * length on the inner turns, as the usual Swiss roll does.
 */
export function spiral(): Distribution {
  const tMin = 1.5 * Math.PI;
  const tMax = 4.5 * Math.PI;
  const scale = 4 / tMax;
  // Dense enough that the gap between trace points (≈ 0.006) is small against 3σ = 0.15.
  const n = 4000;
  const support = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = tMin + ((tMax - tMin) * i) / (n - 1);
    support[2 * i] = scale * t * Math.cos(t);
    support[2 * i + 1] = scale * t * Math.sin(t);
  }
  const sigma = 0.05;
  const sample = (count: number, rng: Rng): Float32Array => {
    const out = rng.normal(2 * count, 0, sigma);
    for (let i = 0; i < count; i++) {
      const t = tMin + (tMax - tMin) * rng.uniform();
      out[2 * i] += scale * t * Math.cos(t);
      out[2 * i + 1] += scale * t * Math.sin(t);
    }
    return out;
  };
  return { name: 'spiral', extent: 5, sigma, modes: null, support, sample };
}

/**
 * Noise for a drawing: half the median gap between neighbouring points, so a
 * dragged stroke reads as a continuous band and isolated clicks stay blobs,
 * bounded so a sparse drawing is not smeared across the canvas.
 */
export function drawnSigma(points: Float64Array): number {
  const n = points.length / 2;
  const gaps: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = points[2 * i] - points[2 * j];
      const dy = points[2 * i + 1] - points[2 * j + 1];
      best = Math.min(best, dx * dx + dy * dy);
    }
    gaps.push(Math.sqrt(best));
  }
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] ?? 0;
  return Math.min(0.25, Math.max(0.03, median / 2));
}

export function drawn(points: ReadonlyArray<readonly [number, number]>): Distribution {
  if (points.length < MIN_DRAWN_POINTS) throw new Error(`a drawn distribution needs at least ${MIN_DRAWN_POINTS} points`);
  const support = Float64Array.from(points.flat());
  const sigma = drawnSigma(support);
  return { name: 'drawn', extent: DRAWN_EXTENT, sigma, modes: null, support, sample: mixture(support, sigma) };
}

export function distribution(name: DistributionName, points?: ReadonlyArray<readonly [number, number]>): Distribution {
  switch (name) {
    case 'ring':
      return ring();
    case 'grid':
      return grid();
    case 'spiral':
      return spiral();
    case 'drawn':
      return drawn(points ?? []);
  }
}
