/**
 * GAN objectives on raw discriminator outputs (logits). The non-saturating
 * BCE default is the seeds' game: D learns real→1 and fake→0, G wants its
 * fakes scored 1. WGAN-GP's gradient penalty lives in the trainer, because
 * it needs the discriminator itself.
 */
import { tf } from './tf.js';
import type { Loss } from './config.js';

/**
 * `smoothing` > 0 is one-sided label smoothing (Salimans et al. 2016): real
 * images are aimed at 1 − smoothing rather than 1, so D is never rewarded for
 * unbounded confidence; generated ones stay at 0.
 */
export function discriminatorLoss(loss: Loss, real: tf.Tensor1D, fake: tf.Tensor1D, smoothing = 0): tf.Scalar {
  switch (loss) {
    case 'bce': {
      // −t·log σ(r) − (1−t)·log(1 − σ(r)) − log(1 − σ(f)), written with softplus to stay finite.
      const onReal = smoothing > 0 ? tf.add(tf.mul(1 - smoothing, tf.softplus(tf.neg(real))), tf.mul(smoothing, tf.softplus(real))) : tf.softplus(tf.neg(real));
      return tf.add(tf.mean(onReal), tf.mean(tf.softplus(fake)));
    }
    case 'hinge':
      return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake))));
    case 'lsgan':
      return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, 1 - smoothing))), tf.mean(tf.square(fake))));
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

/**
 * R1 (Mescheder et al. 2018): γ/2 · E[‖∇x D(x)‖²] on real images only. It
 * pushes D towards a flat surface around the data, where the GAN game has
 * a stable equilibrium, without touching what D says about fakes.
 */
export function r1Penalty(critic: (x: tf.Tensor4D) => tf.Tensor1D, real: tf.Tensor4D, gamma: number): tf.Scalar {
  const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(real);
  return tf.mul(gamma / 2, tf.mean(tf.sum(tf.square(g), [1, 2, 3])));
}

/** The share of logits D judges real (verdict ≥ ½), for its accuracy on real and on generated images. */
export function judgedReal(loss: Loss, logits: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.cast(tf.greaterEqual(verdict(loss, logits), 0.5), 'float32'));
}

/**
 * What the charts show of a patch discriminator's logits on real and
 * generated images: its mean verdicts (sigmoid) and its accuracy on each side.
 * Image-to-image trainers report these beside their losses.
 */
export function patchVerdicts(real: tf.Tensor, fake: tf.Tensor): tf.Scalar[] {
  return [
    tf.mean(tf.sigmoid(real)) as tf.Scalar,
    tf.mean(tf.sigmoid(fake)) as tf.Scalar,
    tf.mean(tf.cast(tf.greater(real, 0), 'float32')) as tf.Scalar,
    tf.mean(tf.cast(tf.less(fake, 0), 'float32')) as tf.Scalar,
  ];
}
