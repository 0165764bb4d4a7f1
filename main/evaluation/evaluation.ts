/** What the judges say of a run's generator at one step. */
export interface Evaluation {
  step: number;
  /** Fréchet distance to the real images in the judge's feature space; lower is better. */
  fid: number;
  /** Kernel (MMD²) distance in the same space; lower is better, ~0 for the real data itself. */
  kid: number;
  /** Mean pairwise feature distance of generated images over that of real ones: ~1 is as varied as the data, near 0 is collapse. */
  diversity: number;
  /** Share of generated images with a near-twin among them (closer than almost any two real images are). */
  nearDuplicates: number;
  /** Classes the judge finds among the generated images, of numClasses; null without a classifier. */
  classesCovered: number | null;
  numClasses: number | null;
  /** Conditional runs: share of images the judge assigns the class they were asked for. */
  classAccuracy: number | null;
  /** Super-resolution runs: PSNR and SSIM (luma, border cropped) on the held-out images, the model's and bicubic upscaling's. */
  fidelity?: { psnr: number; ssim: number; psnrBicubic: number; ssimBicubic: number; fidBicubic: number; images?: number };
  /** The feature space: a classifier trained on the dataset's labels, or random features for unlabelled data. */
  judge: string;
  ms: number;
}
