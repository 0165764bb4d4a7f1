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
  /**
   * Share of generated images closer to a training image than almost any two
   * real images are (≈ 0.01 for fresh real images, 1 for copies); absent in
   * evaluations of earlier versions and of families judged otherwise.
   */
  memorised?: number | null;
  /**
   * The most typical and the most novel sample beside their nearest training
   * images; the recorder keeps it in the run's folder (runs.memorisation) and
   * sends the evaluation on without it.
   */
  nearest?: NearestPictures;
  /** Classes the judge finds among the generated images, of numClasses; null without a classifier. */
  classesCovered: number | null;
  numClasses: number | null;
  /** Conditional runs: share of images the judge assigns the class they were asked for. */
  classAccuracy: number | null;
  /** Judges that classify: which class the judge read each sample as, beside the real images' mix. */
  classes?: ClassBalance;
  /** Super-resolution runs: PSNR and SSIM (luma, border cropped) on the held-out images, the model's and bicubic upscaling's. */
  fidelity?: { psnr: number; ssim: number; psnrBicubic: number; ssimBicubic: number; fidBicubic: number; images?: number };
  /** Translation runs, on held-out images. */
  translation?: TranslationScores;
  /** The feature space: a classifier trained on the dataset's labels, or random features for unlabelled data. */
  judge: string;
  ms: number;
}

/** One sample beside the training image nearest to it in the judge's features and the one nearest in pixels, as base64 PNGs. */
export interface NearestPair {
  /** typical: the sample nearest to a training image; novel: the one farthest from every training image. */
  kind: 'typical' | 'novel';
  sample: string;
  byFeatures: string;
  /** Distance in the judge's features; at or below the threshold counts as a copy. */
  featureDistance: number;
  byPixels: string;
  /** Root-mean-square pixel difference, 0–255. */
  pixelRms: number;
}

export interface NearestPictures {
  step: number;
  /** The near-duplicate threshold of the real images (1st percentile of their nearest-neighbour distances). */
  threshold: number;
  pairs: NearestPair[];
}

/**
 * How often the judge reads the samples as each class, against real images
 * read the same way: an unconditional generator that favours some classes
 * shows it here before FID says much. Counts of the evaluation's samples
 * and of the real reference's images; the shares each classifies with
 * probability ≥ 0.9.
 */
export interface ClassBalance {
  names: string[];
  generated: number[];
  real: number[];
  confident: number;
  realConfident: number;
}

/**
 * pix2pix: L1 (0–1), PSNR and SSIM of outputs to targets, and the same for
 * the input itself where it is a baseline (fid is then the model's FID).
 * CycleGAN: each cycle's L1 (A→B→A, B→A→B), FID of B→A against real A
 * (fid is A→B's against B), and the shares of A→B outputs a domain
 * classifier reads as B and of B→A outputs it reads as A, with its
 * accuracy on held-out real images, and those figures for the held-out
 * images untranslated.
 */
export interface TranslationScores {
  images: number;
  l1?: number;
  psnr?: number;
  ssim?: number;
  baseline?: { name: string; l1: number; psnr: number; ssim: number; fid: number };
  cycleA?: number;
  cycleB?: number;
  fidReverse?: number;
  shareTarget?: number;
  shareTargetReverse?: number;
  domainAccuracy?: number;
  /** CycleGAN: the same figures for the held-out images as they are, untranslated: where translation starts from. */
  untranslated?: { fid: number; fidReverse: number; shareTarget: number; shareTargetReverse: number };
}
