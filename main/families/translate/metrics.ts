/**
 * Translation's metrics columns (migration 007 added them; a migration keeps
 * its own copy of the names, as it ran): paired runs' L1 and the
 * input-as-output baseline, unpaired runs' cycle losses, reverse FID and
 * domain shares. PSNR and SSIM of a paired run share super-resolution's columns.
 */
import type { Evaluation, TranslationScores } from '../../evaluation/evaluation.js';
import type { MetricColumns } from '../family.js';

const NAMES = [
  'l1',
  'l1_baseline',
  'psnr_baseline',
  'ssim_baseline',
  'fid_baseline',
  'cycle_a',
  'cycle_b',
  'fid_reverse',
  'share_target',
  'share_target_reverse',
  'domain_accuracy',
  'fid_untranslated',
  'fid_untranslated_reverse',
  'share_untranslated',
  'share_untranslated_reverse',
] as const;

function write(e: Evaluation): Record<string, number | null> {
  const t: TranslationScores | undefined = e.translation;
  const values: Record<string, number | null> = {
    l1: t?.l1 ?? null,
    l1_baseline: t?.baseline?.l1 ?? null,
    psnr_baseline: t?.baseline?.psnr ?? null,
    ssim_baseline: t?.baseline?.ssim ?? null,
    fid_baseline: t?.baseline?.fid ?? null,
    cycle_a: t?.cycleA ?? null,
    cycle_b: t?.cycleB ?? null,
    fid_reverse: t?.fidReverse ?? null,
    share_target: t?.shareTarget ?? null,
    share_target_reverse: t?.shareTargetReverse ?? null,
    domain_accuracy: t?.domainAccuracy ?? null,
    fid_untranslated: t?.untranslated?.fid ?? null,
    fid_untranslated_reverse: t?.untranslated?.fidReverse ?? null,
    share_untranslated: t?.untranslated?.shareTarget ?? null,
    share_untranslated_reverse: t?.untranslated?.shareTargetReverse ?? null,
  };
  if (t?.psnr != null) Object.assign(values, { psnr: t.psnr, ssim: t.ssim ?? null });
  return values;
}

function read(r: Record<string, number | null>, number: (v: number | null) => number): Partial<Evaluation> | null {
  if (r.l1 != null) {
    const baseline = r.l1_baseline == null ? {} : { baseline: { name: 'input', l1: r.l1_baseline, psnr: number(r.psnr_baseline), ssim: number(r.ssim_baseline), fid: number(r.fid_baseline) } };
    return { translation: { images: Number.NaN, l1: r.l1, psnr: number(r.psnr), ssim: number(r.ssim), ...baseline } };
  }
  if (r.cycle_a != null) {
    const untranslated = { fid: number(r.fid_untranslated), fidReverse: number(r.fid_untranslated_reverse), shareTarget: number(r.share_untranslated), shareTargetReverse: number(r.share_untranslated_reverse) };
    return {
      translation: {
        images: Number.NaN,
        cycleA: r.cycle_a,
        cycleB: number(r.cycle_b),
        fidReverse: number(r.fid_reverse),
        shareTarget: number(r.share_target),
        shareTargetReverse: number(r.share_target_reverse),
        domainAccuracy: number(r.domain_accuracy),
        untranslated,
      },
    };
  }
  return null;
}

export const translationColumns: MetricColumns = { names: NAMES, write, read };
