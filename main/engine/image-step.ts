/** The figures of an image-to-image training step (super-resolution, pix2pix), read back from the device in one go. */
import type { StepMetrics } from './step-metrics.js';

/**
 * `v`, the step's one read-back: [L1, D loss, G adversarial loss, D(real),
 * D(fake), accuracy on real, accuracy on fake], or [L1] alone in a step
 * without a discriminator.
 */
export function imageStepMetrics(step: number, v: Float32Array, images: number, ms: number): StepMetrics {
  const adv = v.length > 1 ? v : null;
  return {
    step,
    // L1 of [-1, 1] images, halved: in units of the full pixel range.
    content: v[0] / 2,
    dLoss: adv && adv[1],
    gLoss: adv && adv[2],
    dReal: adv && adv[3],
    dFake: adv && adv[4],
    accReal: adv && adv[5],
    accFake: adv && adv[6],
    ms,
    imagesPerSec: (images * 1000) / ms,
  };
}
