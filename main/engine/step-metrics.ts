/** What one training step reports, for every family: the fields a family does not compute are null or absent. */
export interface StepMetrics {
  step: number;
  /** D's and G's adversarial losses; null in a step without a discriminator (super-resolution's PSNR phase). */
  dLoss: number | null;
  gLoss: number | null;
  /** Mean D(x) on the real batch, as a probability. */
  dReal: number | null;
  /** Mean D(G(z)) on the generated batch, as a probability. */
  dFake: number | null;
  /** D's accuracy: the share of real images it judges real, and of generated ones it judges generated. */
  accReal: number | null;
  accFake: number | null;
  /** Image-to-image runs: the reconstruction (L1) loss, in [0, 1] pixel units. */
  content?: number | null;
  /** Text-to-image runs' first phase: the image–text encoder's contrastive loss. */
  encoder?: number | null;
  /** ADA runs: the augmentation probability this step's batches were drawn with. */
  augmentP?: number | null;
  ms: number;
  imagesPerSec: number;
}

/** A step with every adversarial figure (the noise-drawing families'). */
export interface AdversarialStepMetrics extends StepMetrics {
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
  accReal: number;
  accFake: number;
}

/**
 * A noise-drawing step's figures from its one read-back: `m` starts [D loss,
 * G loss, D(real), D(fake), accuracy on real, accuracy on fake].
 */
export function adversarialMetrics(step: number, m: ArrayLike<number>, images: number, ms: number): AdversarialStepMetrics {
  return { step, dLoss: m[0], gLoss: m[1], dReal: m[2], dFake: m[3], accReal: m[4], accFake: m[5], ms, imagesPerSec: (images * 1000) / ms };
}
