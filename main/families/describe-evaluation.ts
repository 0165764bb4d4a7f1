/**
 * The judges' figures at a step as one line a person reads: the CLI prints
 * it, the run view shows it. A family whose evaluation has figures of its
 * own (PSNR against bicubic, a cycle's L1) says how they read in its
 * settings section; every other evaluation reads as the samples' figures.
 */
import { describeSamples } from '../evaluation/describe.js';
import type { Evaluation } from '../evaluation/evaluation.js';
import type { OwnFigures } from './settings-section.js';
import { SECTIONS } from './run-config.js';

/** The line of the family whose figures the evaluation holds; undefined for a generator's samples alone. */
export function describeOwnFigures(e: OwnFigures): string | undefined {
  for (const s of SECTIONS as readonly { describe?: (e: OwnFigures) => string | undefined }[]) {
    const line = s.describe?.(e);
    if (line !== undefined) return line;
  }
  return undefined;
}

export const describeEvaluation = (e: Evaluation): string => describeOwnFigures(e) ?? describeSamples(e);
