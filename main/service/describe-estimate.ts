/** A runs.estimate answer in words, the same in New run and on the command line. */
import { duration } from '../core/duration.js';
import type { TimeEstimate } from './contract-estimate.js';

export function describeSpeed(e: TimeEstimate): string | null {
  const s = e.speed;
  if (!s) return null;
  const busy = s.busyRuns ? ` while ${s.busyRuns} other run${s.busyRuns > 1 ? 's' : ''} trained (alone it is faster)` : '';
  return (
    `${s.secondsPerStep.toFixed(s.secondsPerStep < 1 ? 3 : 2)} s a step on ${s.backend} (median of ${s.timedSteps} after ${s.warmupSteps} warm-up, ` +
    `${s.range[0].toFixed(2)}–${s.range[1].toFixed(2)} s)${busy}: ${e.steps} steps ≈ ${duration(e.totalSeconds ?? Number.NaN)}, evaluations and previews besides`
  );
}

export function describeReach(e: TimeEstimate): string {
  const r = e.reach;
  // A GAN's model names its network; every later family has one network, named by its task.
  const network = e.task === 'generate' ? e.model : e.task;
  if (!r) return `no finished run of this kind (${network}, ${e.size} px, ${e.channels === 1 ? 'grey' : 'colour'}) to learn from yet: the studio learns from each one you finish`;
  const where = r.sameDataset ? `on ${e.dataset}` : `on other datasets (each judged by its own judge: a rough guide)`;
  const aim = r.asked ? `FID ${r.fid.toFixed(2)}` : `FID ${r.fid.toFixed(2)} (the quality all of them reached)`;
  if (r.steps == null) return `none of ${r.runs} similar run${r.runs > 1 ? 's' : ''} ${where} reached ${aim}`;
  const here = r.seconds != null ? `≈ ${duration(r.seconds)} here` : `${duration(r.theirSeconds ?? Number.NaN)} at their speed`;
  return `${r.reached} of ${r.runs} similar run${r.runs > 1 ? 's' : ''} ${where} reached ${aim}: in a median ${r.steps} steps, ${here}`;
}
