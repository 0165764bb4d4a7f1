/**
 * Which judge measures a dataset: the one shipped with the studio
 * (builtin:mnist), one trained on the dataset's own labels and kept beside
 * its images, or, for unlabelled data, a fixed random network — random
 * convolutional features still separate images well enough to rank
 * generators, though their figures do not compare with a trained judge's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../engine/rng.js';
import type { Dataset } from '../core/dataset.js';
import { builtinJudge, builtinJudgePath, createJudge, hasBuiltinJudge, judgeSpec, loadJudge, saveJudge, trainJudge, type Judge } from '../judges/index.js';
import { judgeDigest } from '../judges/judge.js';

export type JudgeKind = 'shipped' | 'trained' | 'random-features';

const JUDGE_FILE = 'judge.bin';
const RANDOM_SEED = 0x6a756467;

/** Where a dataset's judge is kept, or ships: null when the dataset has none (yet). */
export function judgeFileOf(dataset: string, datasetDir: string | null): string | null {
  if (hasBuiltinJudge(dataset)) return builtinJudgePath(dataset);
  return datasetDir ? join(datasetDir, JUDGE_FILE) : null;
}

export async function judgeFor(
  data: Dataset,
  datasetDir: string | null,
  onTraining?: (message: string) => void,
): Promise<{ judge: Judge; kind: JudgeKind }> {
  if (hasBuiltinJudge(data.name)) return { judge: builtinJudge(data.name), kind: 'shipped' };
  if (data.labels && data.classNames.length >= 2) {
    const file = datasetDir ? join(datasetDir, JUDGE_FILE) : null;
    if (file && existsSync(file)) {
      try {
        return { judge: loadJudge(file), kind: 'trained' };
      } catch (err) {
        // A damaged judge is trained again rather than failing every evaluation.
        onTraining?.(`the saved judge of ${data.name} is unreadable (${(err as Error).message}); training it again`);
      }
    }
    onTraining?.(`training a judge on the ${data.classNames.length} classes of ${data.name} (once)`);
    const judge = await trainJudge(data, { seed: 1 });
    if (file) await saveJudge(file, judge);
    return { judge, kind: 'trained' };
  }
  return { judge: await randomFeaturesJudge(data.size, data.channels, data.name), kind: 'random-features' };
}

/** A fixed random network's features for images of this size: they rank models of one dataset, not across datasets. */
export async function randomFeaturesJudge(size: number, channels: number, dataset: string): Promise<Judge> {
  const spec = judgeSpec(size, channels, 2);
  const params = createJudge(spec, Rng.fromSeed(RANDOM_SEED));
  let id: string;
  try {
    id = await judgeDigest(spec, params);
  } catch (err) {
    params.dispose();
    throw err;
  }
  return {
    spec,
    params,
    classNames: [],
    accuracy: Number.NaN,
    heldOut: new Int32Array(0),
    info: { dataset, trainCount: 0, epochs: 0, seed: RANDOM_SEED, seconds: 0 },
    id,
  };
}
