import type { Database } from 'better-sqlite3';

/**
 * Super-resolution runs: the reconstruction (L1) loss every step, and at
 * each evaluation PSNR and SSIM on held-out images for the model and for
 * bicubic upscaling beside it, and the patch FID of bicubic upscaling (the
 * model's is in fid). GAN runs leave them empty.
 */
export function up(db: Database): void {
  for (const column of ['content_loss', 'psnr', 'ssim', 'psnr_bicubic', 'ssim_bicubic', 'fid_bicubic']) {
    db.exec(`ALTER TABLE metrics ADD COLUMN ${column} REAL`);
  }
}
