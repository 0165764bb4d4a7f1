import type { TrainConfigInput } from '../main/families/run-config.js';

/** `preset+key=value+…` (as `quality+spectralNorm=true+r1=0.1`) → the config input it names. */
export function variantConfig(variant: string): Partial<TrainConfigInput> {
  const [preset, ...changes] = variant.split('+');
  const out: Record<string, unknown> = { preset };
  for (const c of changes) {
    const [k, v] = c.split('=');
    out[k] = v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out as Partial<TrainConfigInput>;
}
