/** The judges' figures at a step as one line a person reads: the CLI prints it, the run view shows it. */
import type { ClassBalance, Evaluation } from './evaluation.js';

/** One line a person can read: the judges' figures of a generator's samples at a step (a family with figures of its own describes them: families/describe-evaluation.ts). */
export function describeSamples(e: Evaluation): string {
  const parts = [`FID ${e.fid.toFixed(2)}`, `KID ${e.kid.toFixed(3)}`, `diversity ${e.diversity.toFixed(2)}`, `near-duplicates ${(e.nearDuplicates * 100).toFixed(1)}%`];
  if (e.memorised != null) parts.push(`copies of training images ${(e.memorised * 100).toFixed(1)}% (real images: 1%)`);
  if (e.classesCovered != null) parts.push(`classes ${e.classesCovered}/${e.numClasses}${e.classes ? balanceNote(e.classes) : ''}`);
  if (e.classAccuracy != null) parts.push(`class accuracy ${(e.classAccuracy * 100).toFixed(0)}%`);
  if (e.judge === 'random-features') parts.push('(random-feature judge: unlabelled data)');
  return parts.join(', ');
}

/**
 * The classes drawn furthest from the real images' mix, as " (7 1.5× its
 * share, 4 0.6×)"; nothing when every class is within 20% of it.
 */
export function balanceNote(c: ClassBalance): string {
  const n = c.generated.reduce((a, b) => a + b, 0);
  const m = c.real.reduce((a, b) => a + b, 0);
  const ratios = c.names.map((name, i) => ({ name, r: c.real[i] > 0 ? c.generated[i] / n / (c.real[i] / m) : Number.NaN })).filter((x) => Number.isFinite(x.r));
  if (ratios.length < 2) return '';
  const hi = ratios.reduce((a, b) => (b.r > a.r ? b : a));
  const lo = ratios.reduce((a, b) => (b.r < a.r ? b : a));
  const out = [hi.r > 1.2 ? `${hi.name} ${hi.r.toFixed(1)}× its share` : null, lo.r < 0.8 ? `${lo.name} ${lo.r.toFixed(1)}×` : null].filter(Boolean);
  return out.length ? ` (${out.join(', ')})` : '';
}
