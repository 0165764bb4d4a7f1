/** The judges' figures at a step as one line a person reads: the CLI prints it, the run view shows it. */
import type { ClassBalance, Evaluation } from './evaluation.js';

/** One line a person can read: the judges' figures at a step. */
export function describeEvaluation(e: Evaluation): string {
  if (e.fidelity) {
    const f = e.fidelity;
    const patches = Number.isFinite(e.fid) ? `, patch FID ${e.fid.toFixed(3)} (bicubic ${f.fidBicubic.toFixed(3)})` : '';
    return `PSNR ${f.psnr.toFixed(2)} dB (bicubic ${f.psnrBicubic.toFixed(2)}), SSIM ${f.ssim.toFixed(4)} (bicubic ${f.ssimBicubic.toFixed(4)}) on ${f.images ?? 'the'} held-out image${f.images === 1 ? '' : 's'}${patches}`;
  }
  if (e.translation) return describeTranslation(e, e.translation);
  const parts = [`FID ${e.fid.toFixed(2)}`, `KID ${e.kid.toFixed(3)}`, `diversity ${e.diversity.toFixed(2)}`, `near-duplicates ${(e.nearDuplicates * 100).toFixed(1)}%`];
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

export function describeTranslation(e: Pick<Evaluation, 'fid'>, t: NonNullable<Evaluation['translation']>): string {
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
