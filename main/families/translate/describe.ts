/** A translation run's held-out figures as one line a person reads (pure: the run view shares it). */
import type { Evaluation } from '../../evaluation/evaluation.js';

export function describeTranslation(e: Pick<Evaluation, 'fid' | 'translation'>): string | undefined {
  const t = e.translation;
  if (!t) return undefined;
  const held = Number.isFinite(t.images) ? ` on ${t.images} held-out images` : '';
  if (t.cycleA != null) {
    const pct = (v: number | undefined) => `${((v ?? Number.NaN) * 100).toFixed(0)}%`;
    const u = t.untranslated;
    const was = (v: number | undefined, digits: number, f: (x: number | undefined) => string = (x) => (x ?? Number.NaN).toFixed(digits)) => (u ? ` (untranslated ${f(v)})` : '');
    return (
      `cycle L1 A→B→A ${t.cycleA.toFixed(4)}, B→A→B ${(t.cycleB ?? Number.NaN).toFixed(4)}; ` +
      `FID A→B ${e.fid.toFixed(3)}${was(u?.fid, 3)}, B→A ${(t.fidReverse ?? Number.NaN).toFixed(3)}${was(u?.fidReverse, 3)}; ` +
      `judged as the target domain ${pct(t.shareTarget)}${was(u?.shareTarget, 0, pct)} (A→B), ${pct(t.shareTargetReverse)}${was(u?.shareTargetReverse, 0, pct)} (B→A)${held}`
    );
  }
  const b = t.baseline;
  const vs = (v: number | undefined, w: number | undefined, digits: number) => `${(v ?? Number.NaN).toFixed(digits)}${b ? ` (${b.name} ${(w ?? Number.NaN).toFixed(digits)})` : ''}`;
  return `L1 ${vs(t.l1, b?.l1, 4)}, PSNR ${vs(t.psnr, b?.psnr, 2)} dB, SSIM ${vs(t.ssim, b?.ssim, 4)}, FID ${vs(e.fid, b?.fid, 3)}${held}`;
}
