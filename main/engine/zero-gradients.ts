import * as tf from '@tensorflow/tfjs';

/**
 * Comparisons are flat almost everywhere, so their gradient is zero; tfjs
 * registers none, which breaks second-order gradients (WGAN-GP's penalty
 * differentiates LeakyReLU's gradient, built from Greater).
 */
const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'];

export function registerZeroGradients(): void {
  for (const kernelName of COMPARISONS) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as tf.Tensor[];
        return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
      },
    });
  }
}
