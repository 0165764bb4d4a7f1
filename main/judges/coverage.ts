/**
 * Which classes the judge sees in a batch of samples: a generator that
 * collapsed onto a few modes draws a few classes, and a conditional one that
 * ignores its label draws the wrong ones.
 */
import { rows } from './frechet.js';

export interface ClassCoverage {
  /** Samples the judge assigns to each class (its most probable class). */
  histogram: Int32Array;
  /** Classes receiving at least minShare of the uniform share 1/C. */
  classesCovered: number;
  /**
   * Entropy of the class histogram over log C: 1 when every class is drawn
   * equally often, 0 when all samples are one class.
   */
  evenness: number;
  /** exp(entropy): how many equally frequent classes would give the same entropy. */
  effectiveClasses: number;
  /** For conditional runs: share of samples judged to be the class they were asked for. */
  accuracy?: number;
  /** Share of samples whose most likely class has probability ≥ CONFIDENT (meaningful for probabilities, not logits). */
  confident: number;
}

/** A sample the judge puts in one class with at least this probability reads clearly as that class. */
export const CONFIDENT = 0.9;

export interface CoverageOptions {
  /** The class each sample was generated for (conditional runs). */
  requested?: ArrayLike<number>;
  /** A class counts as covered with at least this fraction of the uniform share (default 0.1). */
  minShare?: number;
}

/** probs: [n × C] class probabilities (or logits: only the most likely class is used). */
export function classCoverage(probs: ArrayLike<number>, C: number, opts: CoverageOptions = {}): ClassCoverage {
  const n = rows(probs, C);
  if (n === 0) throw new Error('class coverage of no samples');
  const histogram = new Int32Array(C);
  let correct = 0;
  let confident = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
    histogram[best]++;
    if (probs[i * C + best] >= CONFIDENT) confident++;
    if (opts.requested && best === opts.requested[i]) correct++;
  }
  if (opts.requested && opts.requested.length !== n) throw new Error(`${opts.requested.length} requested labels for ${n} samples`);
  const minCount = ((opts.minShare ?? 0.1) * n) / C;
  let classesCovered = 0;
  let entropy = 0;
  for (let c = 0; c < C; c++) {
    if (histogram[c] > 0 && histogram[c] >= minCount) classesCovered++;
    const p = histogram[c] / n;
    if (p > 0) entropy -= p * Math.log(p);
  }
  const out: ClassCoverage = {
    histogram,
    classesCovered,
    evenness: C > 1 ? entropy / Math.log(C) : 1,
    effectiveClasses: Math.exp(entropy),
    confident: confident / n,
  };
  if (opts.requested) out.accuracy = correct / n;
  return out;
}
