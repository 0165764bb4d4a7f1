/**
 * Kernels that do in one program what the CPU engines do op by op. Only the
 * WebGPU engine registers them (webgpu/fused-updates.ts), where each op is a
 * launch; elsewhere the op-by-op form is as fast and stays the reference.
 */
import { tf } from './tf.js';

/** x, g, m, v → [x', m', v'] with attrs beta1, beta2, stepSize, eps. */
export const ADAM_KERNEL = 'GanStudioAdam';
/** average, source → average·decay + source·(1 − decay), attr decay. */
export const EMA_KERNEL = 'GanStudioEma';

/** Whether the active backend has `kernel` for a variable of this rank (the programs index flat tensors, not scalars). */
export function fusedFor(kernel: string, x: tf.Tensor): boolean {
  return x.rank > 0 && x.dtype === 'float32' && tf.getKernel(kernel, tf.getBackend()) != null;
}

/** average·decay + source·(1 − decay): a weight average's or a running statistic's step, one launch where the engine fuses it. */
export function blend(average: tf.Tensor, source: tf.Tensor, decay: number): tf.Tensor {
  if (fusedFor(EMA_KERNEL, average)) return tf.engine().runKernel(EMA_KERNEL, { average, source }, { decay }) as tf.Tensor;
  return tf.add(tf.mul(average, decay), tf.mul(source, 1 - decay));
}
