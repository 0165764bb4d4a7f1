/** A super-resolution run's held-out figures against bicubic's, as one line a person reads (pure: the run view shares it). */
import type { Evaluation } from '../../evaluation/evaluation.js';

export function describeFidelity(e: Pick<Evaluation, 'fid' | 'fidelity'>): string | undefined {
  const f = e.fidelity;
  if (!f) return undefined;
  const patches = Number.isFinite(e.fid) ? `, patch FID ${e.fid.toFixed(3)} (bicubic ${f.fidBicubic.toFixed(3)})` : '';
  return `PSNR ${f.psnr.toFixed(2)} dB (bicubic ${f.psnrBicubic.toFixed(2)}), SSIM ${f.ssim.toFixed(4)} (bicubic ${f.ssimBicubic.toFixed(4)}) on ${f.images ?? 'the'} held-out image${f.images === 1 ? '' : 's'}${patches}`;
}
