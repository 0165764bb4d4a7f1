/** The one place the engine imports TensorFlow.js from, with the wasm backend registered. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerZeroGradients } from './zero-gradients.js';

registerZeroGradients();

export { tf };

/** A tensor's values, read back asynchronously (GPU backends cannot read synchronously), and the tensor released. */
export async function takeData(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
export type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable, Scalar } from '@tensorflow/tfjs';
