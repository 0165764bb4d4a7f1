/** What a D step of the DCGAN-shaped networks draws before it runs: dropout masks, spectral-norm vectors, and R1's cadence. */
import { tf } from './tf.js';
import { dropoutShapes, spectralLayers, type NetSpec } from './networks.js';
import type { ParamSet } from './params.js';
import type { Rng } from './rng.js';
import { powerIterate } from './spectral.js';
import type { Mode } from './layers.js';

/** Inverted-dropout keep masks (0 or 1/keep) for one pass of n images through D, drawn from rng. */
export function dropoutMode(rng: Rng, spec: NetSpec, n: number): Mode {
  const rate = spec.dropout;
  const shapes = dropoutShapes(spec);
  if (rate <= 0 || shapes.length === 0) return { training: true };
  const keep = 1 - rate;
  const threshold = rate * 4294967296;
  const scale = 1 / keep;
  const masks = shapes.map((s) => {
    const size = n * s.reduce((a, b) => a * b, 1);
    const m = new Float32Array(size);
    for (let i = 0; i < size; i++) m[i] = rng.uint32() >= threshold ? scale : 0;
    return tf.tensor4d(m, [n, s[0], s[1], s[2]]);
  });
  return { training: true, dropoutMasks: masks };
}

/** One power iteration of every spectrally normalised weight of D, before a D update; undefined when D has none. */
export function spectralVectorsOf(D: ParamSet, spec: NetSpec): Mode['spectral'] {
  const names = spectralLayers(spec);
  return names.length ? powerIterate(D, names) : undefined;
}

/** R1 is applied every few D updates at a proportionally larger weight (StyleGAN2's lazy regularisation): the penalty moves slowly. */
export const R1_INTERVAL = 4;
