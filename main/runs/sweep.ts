/**
 * A sweep: one base configuration and the values to try of a few settings,
 * expanded into every combination (a grid), each a run of its own with a
 * name that says what it tries and one tag the whole group shares.
 */
import { z } from 'zod';
import { LOSSES, PRESETS } from '../engine/config.js';
import { type TrainConfigInput } from '../families/run-config.js';
import { StudioError } from '../errors.js';

/** Runs a sweep may queue at once: as many as compare shows side by side. */
export const MAX_SWEEP = 16;

/** The settings a sweep varies; `lr` sets both networks' learning rates. */
export const SweepAxesSchema = z
  .object({
    preset: z.array(z.enum(PRESETS)).min(1).max(PRESETS.length).optional(),
    loss: z.array(z.enum(LOSSES)).min(1).max(LOSSES.length).optional(),
    lr: z.array(z.number().positive().max(1)).min(1).max(MAX_SWEEP).optional(),
    seed: z.array(z.number().int().min(0).max(2 ** 32 - 1)).min(1).max(MAX_SWEEP).optional(),
  })
  .strict();

export type SweepAxes = z.infer<typeof SweepAxesSchema>;
export const SWEEP_AXES = ['preset', 'loss', 'lr', 'seed'] as const satisfies readonly (keyof SweepAxes)[];

export interface SweepVariant {
  config: TrainConfigInput;
  /** What this variant tries, e.g. `loss=hinge lr=0.0002`. */
  label: string;
}

/** Every combination of the axes' values (repeats dropped), in the order given: the first axis varies slowest. */
export function expandSweep(base: TrainConfigInput, axes: SweepAxes): SweepVariant[] {
  const used = SWEEP_AXES.filter((a) => axes[a]?.length);
  if (used.length === 0) throw new StudioError('a sweep needs at least one setting to vary (preset, loss, lr or seed)', 'INVALID_INPUT');
  const values = used.map((a) => [...new Set(axes[a] as (string | number)[])]);
  const total = values.reduce((n, v) => n * v.length, 1);
  if (total < 2) throw new StudioError('a sweep needs at least two variants; give an axis two or more values', 'INVALID_INPUT');
  if (total > MAX_SWEEP) throw new StudioError(`that grid has ${total} runs; a sweep queues at most ${MAX_SWEEP} (drop a value or an axis)`, 'INVALID_INPUT');

  let combos: (string | number)[][] = [[]];
  for (const v of values) combos = combos.flatMap((c) => v.map((x) => [...c, x]));
  return combos.map((combo) => {
    const config: TrainConfigInput = { ...base };
    combo.forEach((x, i) => {
      const axis = used[i];
      if (axis === 'lr') Object.assign(config, { lrG: x, lrD: x });
      else Object.assign(config, { [axis]: x });
    });
    return { config, label: combo.map((x, i) => `${used[i]}=${x}`).join(' ') };
  });
}

/** The group's tag: `sweep-` and when it was queued, unique among `taken`. */
export function sweepTag(now: Date, taken: (tag: string) => boolean): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let tag = `sweep-${stamp}`;
  for (let i = 2; taken(tag); i++) tag = `sweep-${stamp}-${i}`;
  return tag;
}

/** A variant's run name: the sweep's name and what the variant tries, within the 100 characters a name may have. */
export function variantName(name: string, label: string): string {
  return `${name.slice(0, 40)} · ${label}`.slice(0, 100);
}
