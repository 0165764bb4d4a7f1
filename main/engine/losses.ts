/**
 * GAN objectives on raw discriminator outputs (logits). The non-saturating
 * BCE default is the seeds' game: D learns real→1 and fake→0, G wants its
 * fakes scored 1. WGAN-GP's gradient penalty lives in the trainer, because
 * it needs the discriminator itself.
 */
import { tf } from './tf.js';
import type { Loss } from './config.js';

export function discriminatorLoss(loss: Loss, real: tf.Tensor1D, fake: tf.Tensor1D): tf.Scalar {
  switch (loss) {
    case 'bce':
      // −log σ(r) − log(1 − σ(f)) written with softplus to stay finite.
      return tf.add(tf.mean(tf.softplus(tf.neg(real))), tf.mean(tf.softplus(fake)));
    case 'hinge':
      return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake))));
    case 'lsgan':
      return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))));
    case 'wgan-gp':
      return tf.sub(tf.mean(fake), tf.mean(real));
  }
}

export function generatorLoss(loss: Loss, fake: tf.Tensor1D): tf.Scalar {
  switch (loss) {
    case 'bce':
      return tf.mean(tf.softplus(tf.neg(fake)));
    case 'hinge':
    case 'wgan-gp':
      return tf.neg(tf.mean(fake)) as tf.Scalar;
    case 'lsgan':
      return tf.mul(0.5, tf.mean(tf.square(tf.sub(fake, 1))));
  }
}

/**
 * What users watch approach 0.5: the discriminator's verdict as a
 * probability. LSGAN's output is regressed onto 0/1 directly, so it is
 * clipped rather than squashed.
 */
export function verdict(loss: Loss, logits: tf.Tensor1D): tf.Tensor1D {
  return loss === 'lsgan' ? tf.clipByValue(logits, 0, 1) : tf.sigmoid(logits);
}

/** λ·E[(‖∇x̂ D(x̂)‖₂ − 1)²] on random interpolates of real and fake images. */
export function gradientPenalty(
  critic: (x: tf.Tensor4D) => tf.Tensor1D,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  eps: tf.Tensor4D,
  weight: number,
): tf.Scalar {
  const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor4D;
  const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(mixed);
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(g), [1, 2, 3]), 1e-12));
  return tf.mul(weight, tf.mean(tf.square(tf.sub(norms, 1))));
}
