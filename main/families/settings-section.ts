/**
 * A family's own section of a run's settings (config.superres, …), defined
 * in its settings.ts beside its schema, with how its evaluation figures read:
 * pure, so the renderer's New run form and run view share it. run-config.ts
 * lists the sections; nothing else names them.
 */
import { z } from 'zod';
import type { Evaluation } from '../evaluation/evaluation.js';

/**
 * A run's settings as resolveConfig parsed them: the shared ones with what
 * the user left out still absent, and the section of the run's family as given.
 */
export type ParsedSettings = { task: string; model: string; preset: string; loss?: string; steps?: number } & Record<string, unknown>;

/** The GAN's own resolution, for a section whose family trains a GAN (text-to-image): its defaults for the loss and steps. */
export type ResolveGan = (parsed: ParsedSettings, defaults: { loss?: string; steps?: number }) => Record<string, unknown>;

export interface SettingsSection<K extends string = string, S extends z.ZodTypeAny = z.ZodTypeAny, R = unknown> {
  /** Its key in a run's configuration. */
  readonly key: K;
  /** The tasks whose runs carry it; a run of another task that gives it is refused with `needs`. */
  readonly tasks: readonly string[];
  readonly schema: S;
  /** "super-resolution settings need task superres". */
  readonly needs: string;
  /** A run asked for the way an older version asked for it, as it is asked for now (refused when it cannot be one): before anything else is checked. */
  normalize?(parsed: ParsedSettings): ParsedSettings;
  /** A configuration as an older version stored it, in today's form. */
  upgradeStored?<C extends { task: string; model: string }>(stored: C): C;
  /** The whole configuration of a run of one of its tasks, its section filled in and the shared settings defaulted as the family trains best. */
  resolve(parsed: ParsedSettings, gan: ResolveGan): Record<string, unknown>;
  /** Its runs' own evaluation figures as one line a person reads; undefined for an evaluation that has none of them (the judges' sample figures are read the shared way). */
  describe?(e: OwnFigures): string | undefined;
  /** Type only: the section once resolved (TrainConfig's field). */
  readonly resolved?: R;
}

/** What of an evaluation a family's own figures are read from. */
export type OwnFigures = Pick<Evaluation, 'fid' | 'fidelity' | 'translation'>;

/** A setting refused as the schema would refuse it: the same ZodError, so the service says `config.<path>: message`. */
export const settingsIssue = (path: string[], message: string) => new z.ZodError([{ code: 'custom', path, message }]);

/** A section whose resolved settings are R: defineSection<R>()({ key, tasks, schema, … }). */
export const defineSection =
  <R>() =>
  <K extends string, S extends z.ZodTypeAny>(section: SettingsSection<K, S, R>): SettingsSection<K, S, R> =>
    section;
