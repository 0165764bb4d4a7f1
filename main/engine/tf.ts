/** The one place the engine imports TensorFlow.js from, with the wasm backend registered. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerZeroGradients } from './zero-gradients.js';

registerZeroGradients();

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable, Scalar } from '@tensorflow/tfjs';
