/**
 * How well generated points match the data, as the mode-collapse literature
 * counts it (VEEGAN, PacGAN): 2,500 samples; a sample is high quality when
 * it lies within 3σ of its nearest mode; a mode is covered when it is the
 * nearest mode of at least one high-quality sample. Spiral and drawn data
 * have no discrete modes: there a sample is high quality within 3σ of the
 * nearest point of the noise-free support, and the figure reported beside it
 * is the share of the support that has a high-quality sample within 3σ.
 */

/** Samples the published figures are taken over. */
export const COVERAGE_SAMPLES = 2500;

export interface Coverage {
  /** 'modes' for data made of discrete modes; 'support' for a curve or drawing. */
  kind: 'modes' | 'support';
  /** Number of modes; null for support data. */
  modes: number | null;
  /** Modes covered; null for support data. */
  covered: number | null;
  /** Percentage of samples within `radius` of the data. */
  highQualityPct: number;
  /** Support data: percentage of the support's points with a high-quality sample within `radius`; null for modes. */
  supportCoveredPct: number | null;
  /** 3σ: the distance that makes a sample high quality. */
  radius: number;
  samples: number;
}

function nearest(x: number, y: number, centres: ArrayLike<number>): { index: number; d2: number } {
  let index = -1;
  let d2 = Infinity;
  for (let k = 0; k < centres.length / 2; k++) {
    const dx = x - centres[2 * k];
    const dy = y - centres[2 * k + 1];
    const d = dx * dx + dy * dy;
    if (d < d2) ((d2 = d), (index = k));
  }
  return { index, d2 };
}

/** Points as x,y pairs; a sample exactly 3σ from its mode counts as high quality. */
export function modeCoverage(samples: ArrayLike<number>, modes: ArrayLike<number>, sigma: number): Coverage {
  const radius = 3 * sigma;
  const n = samples.length / 2;
  const hit = new Uint8Array(modes.length / 2);
  let good = 0;
  for (let i = 0; i < n; i++) {
    const { index, d2 } = nearest(samples[2 * i], samples[2 * i + 1], modes);
    if (d2 <= radius * radius) {
      good++;
      hit[index] = 1;
    }
  }
  const covered = hit.reduce((a, b) => a + b, 0);
  return { kind: 'modes', modes: hit.length, covered, highQualityPct: n ? (100 * good) / n : 0, supportCoveredPct: null, radius, samples: n };
}

/**
 * Buckets points into square cells of side `radius`, so every point within
 * `radius` of a query lies in the query's cell or one of its 8 neighbours.
 */
class CellIndex {
  private readonly cells = new Map<string, number[]>();

  constructor(private readonly points: ArrayLike<number>, private readonly radius: number) {
    for (let i = 0; i < points.length / 2; i++) {
      const key = this.key(Math.floor(points[2 * i] / radius), Math.floor(points[2 * i + 1] / radius));
      let list = this.cells.get(key);
      if (!list) this.cells.set(key, (list = []));
      list.push(i);
    }
  }

  private key(cx: number, cy: number): string {
    return `${cx},${cy}`;
  }

  /** Indices of the points within `radius` of (x, y), boundary included. */
  within(x: number, y: number, visit: (index: number) => void): void {
    const cx = Math.floor(x / this.radius);
    const cy = Math.floor(y / this.radius);
    const r2 = this.radius * this.radius;
    for (let ox = -1; ox <= 1; ox++) {
      for (let oy = -1; oy <= 1; oy++) {
        for (const i of this.cells.get(this.key(cx + ox, cy + oy)) ?? []) {
          const dx = x - this.points[2 * i];
          const dy = y - this.points[2 * i + 1];
          if (dx * dx + dy * dy <= r2) visit(i);
        }
      }
    }
  }
}

export function supportCoverage(samples: ArrayLike<number>, support: ArrayLike<number>, sigma: number): Coverage {
  const radius = 3 * sigma;
  const n = samples.length / 2;
  const index = new CellIndex(support, radius);
  const reached = new Uint8Array(support.length / 2);
  let good = 0;
  for (let i = 0; i < n; i++) {
    let near = false;
    index.within(samples[2 * i], samples[2 * i + 1], (k) => {
      near = true;
      reached[k] = 1;
    });
    if (near) good++;
  }
  const supportCoveredPct = reached.length ? (100 * reached.reduce((a, b) => a + b, 0)) / reached.length : 0;
  return { kind: 'support', modes: null, covered: null, highQualityPct: n ? (100 * good) / n : 0, supportCoveredPct, radius, samples: n };
}

export function coverage(samples: ArrayLike<number>, data: { modes: ArrayLike<number> | null; support: ArrayLike<number>; sigma: number }): Coverage {
  return data.modes ? modeCoverage(samples, data.modes, data.sigma) : supportCoverage(samples, data.support, data.sigma);
}
