/**
 * Each evaluation's memorisation pictures (evaluation/nearest-pictures.ts),
 * one small JSON file per evaluated step in the run's `nearest` folder: kept
 * beside the samples, gone with the run, and read back by runs.memorisation.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NearestPictures } from '../evaluation/evaluation.js';
import { writeFileAtomic } from '../fsx.js';

const FILE = /^step-(\d{8})\.json$/;

const folder = (runDir: string) => join(runDir, 'nearest');
const file = (runDir: string, step: number) => join(folder(runDir), `step-${String(step).padStart(8, '0')}.json`);

export function saveNearestPictures(runDir: string, p: NearestPictures): void {
  mkdirSync(folder(runDir), { recursive: true });
  writeFileAtomic(file(runDir, p.step), Buffer.from(JSON.stringify(p)));
}

/** The steps that have pictures, oldest first. */
export function nearestPictureSteps(runDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(folder(runDir));
  } catch {
    return [];
  }
  return names.flatMap((n) => (FILE.test(n) ? [Number(FILE.exec(n)![1])] : [])).sort((a, b) => a - b);
}

/** The pictures of a step (the newest without one); null when there are none, or the file cannot be read (it is only a picture: the numbers stay in the database). */
export function readNearestPictures(runDir: string, step?: number): NearestPictures | null {
  const steps = nearestPictureSteps(runDir);
  const at = step ?? steps.at(-1);
  if (at === undefined || !steps.includes(at)) return null;
  try {
    const p = JSON.parse(readFileSync(file(runDir, at), 'utf8')) as NearestPictures;
    return Array.isArray(p.pairs) ? p : null;
  } catch {
    return null;
  }
}

/** A run resumed at `step` retrains what came after it: those evaluations' pictures go with their metrics. */
export function discardNearestPicturesAfter(runDir: string, step: number): void {
  for (const s of nearestPictureSteps(runDir)) if (s > step) rmSync(file(runDir, s), { force: true });
}
