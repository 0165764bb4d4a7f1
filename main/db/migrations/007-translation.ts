import type { Database } from 'better-sqlite3';

/**
 * Translation runs (pix2pix, CycleGAN), at each evaluation on held-out
 * images. Paired: L1 to the target (PSNR and SSIM go in psnr and ssim), and
 * the input-as-output baseline's L1, PSNR, SSIM and FID. Unpaired: the L1 of
 * each cycle, the FID of B→A against A (A→B's is in fid), the shares of
 * outputs read as their target domain, that reader's accuracy on real
 * held-out images, and the FIDs and shares of the held-out images
 * untranslated. Other runs leave them empty.
 */
export const TRANSLATION_COLUMNS = [
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

export function up(db: Database): void {
  for (const column of TRANSLATION_COLUMNS) db.exec(`ALTER TABLE metrics ADD COLUMN ${column} REAL`);
}
