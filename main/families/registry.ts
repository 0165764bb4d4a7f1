/**
 * The model families, one line each: every "which family?" question in the
 * studio is answered here (docs/families.md walks through adding one).
 */
import type { Dataset } from '../core/dataset.js';
import { StudioError } from '../errors.js';
import { type Capability, type LoadedModel, type MetricColumns, type ModelFamily } from './family.js';
import { ganFamily } from './gan/family.js';
import { mlpFamily } from './mlp/family.js';
import type { CheckpointData, ModelSpec, RunTrainer } from './run-checkpoint.js';
import type { TrainConfig } from './run-config.js';
import { superResFamily } from './superres/family.js';
import { fastGanFamily } from './fastgan/family.js';
import { textFamily } from './text/family.js';
import { cycleGanFamily, pix2pixFamily } from './translate/family.js';

/** Every family, one line each. ModelFamily<any>: each keeps its own model type; callers ask for capabilities, not types. */
export const FAMILIES: readonly ModelFamily<any>[] = [ganFamily, textFamily, superResFamily, pix2pixFamily, cycleGanFamily, mlpFamily, fastGanFamily];

/** The family of a task; an unknown one is a configuration this version cannot train. */
export function familyOf(task: string): ModelFamily<LoadedModel> {
  const f = FAMILIES.find((x) => x.task === task);
  if (!f) throw new StudioError(`unknown task "${task}": this version trains ${FAMILIES.map((x) => x.task).join(', ')}`, 'INVALID_INPUT');
  return f;
}

export const familyOfConfig = (config: Pick<TrainConfig, 'task'>) => familyOf(config.task);

/** The family of a checkpoint's networks (a GAN's spec names no task). */
export const familyOfSpec = (spec: ModelSpec) => familyOf(('task' in spec && typeof spec.task === 'string' ? spec.task : undefined) ?? 'generate');

/** What a run of the task can do; none for a task this version does not know (a newer studio's run), so listing never fails on it. */
export function capabilitiesOf(task: string): readonly Capability[] {
  return FAMILIES.find((f) => f.task === task)?.can ?? [];
}

/** The families that can do something, for the message that says which run to use instead. */
export function familiesThatCan(what: Capability): ModelFamily<LoadedModel>[] {
  return FAMILIES.filter((f) => f.can.includes(what));
}

/** "an" before a vowel sound, letters of an acronym included (an MLP, an SRGAN): "a" otherwise. */
export const article = (word: string) => ((/^[aeiou]/i.test(word) && !/^(eu|uni|use)/i.test(word)) || /^[FHLMNRSX][A-Z]/.test(word) ? 'an' : 'a');

/**
 * Refuses, in the family's words, a model asked for what it cannot do:
 * "run … is a super-resolution run: it upscales images (gan-studio upscale), not a GAN, MLP GAN or FastGAN run".
 */
export function requireCapability(family: ModelFamily<LoadedModel>, what: Capability, run?: string): void {
  if (family.can.includes(what)) return;
  const who = run ? `run ${run}` : 'this';
  const others = [...new Set(familiesThatCan(what).map((f) => f.label))];
  const instead = others.length ? `not ${article(others[0])} ${others.length > 1 ? `${others.slice(0, -1).join(', ')} or ${others.at(-1)}` : others[0]} run` : `and no model family here does ${what}`;
  throw new StudioError(`${who} is ${article(family.label)} ${family.label} run: ${family.does}, ${instead}`, 'INVALID_INPUT');
}

/** The trainer a run's task calls for, built from its dataset(s) (and the checkpoint it continues from); dataB: a second dataset the run names (CycleGAN's domain B). */
export function createTrainer(config: TrainConfig, data: Dataset, from?: CheckpointData, dataB: Dataset | null = null): RunTrainer {
  return familyOfConfig(config).createTrainer(config, data, from, dataB);
}

/** The metrics columns of every family, each set once (two families may share one). */
export const FAMILY_METRIC_COLUMNS: readonly MetricColumns[] = [...new Set(FAMILIES.flatMap((f) => (f.metricColumns ? [f.metricColumns] : [])))];
