import { tf } from './tf.js';
import type { ParamSet } from './params.js';
import { blend } from './fused-kernels.js';

/**
 * Moves `average` (a clone of `source`, see ParamSet.clone) towards
 * `source` after update number `step`. The decay is short early on, as
 * TensorFlow's ExponentialMovingAverage with num_updates: a long average over
 * the first steps would mostly be the random init.
 */
export function updateAverage(source: ParamSet, average: ParamSet, decay: number, step: number): void {
  const d = Math.min(decay, (1 + step) / (10 + step));
  tf.tidy(() => {
    for (const [name, v] of source.all()) {
      const target = average.get(name.slice(source.prefix.length + 1));
      // Running statistics are copied: averaging them would describe no real network.
      target.assign(source.state.has(name) ? v : blend(target, v, d));
    }
  });
}
