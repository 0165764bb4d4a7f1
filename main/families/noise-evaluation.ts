/**
 * What every family that draws from noise (or from a prompt) is scored by: FID, KID,
 * diversity and near-duplicates in the judge's features, and with a
 * classifier judge the classes covered, the class accuracy of a conditional
 * run, and the mix of classes read against the real images'.
 */
import { Rng } from '../engine/rng.js';
import { generateBatch, type NoiseModel } from '../engine/sampling.js';
import type { ImageBatch } from '../core/image-batch.js';
import { evaluateSamples } from '../judges/index.js';
import type { Evaluation } from '../evaluation/evaluation.js';
import { nearestPictures } from '../evaluation/nearest-pictures.js';
import type { Dataset } from '../core/dataset.js';
import type { EvaluationSources, JudgedReference } from './family.js';
import type { CheckpointData } from './run-checkpoint.js';

/** Images per evaluation, generated and real: enough for stable 64-d statistics, a few seconds of CPU. */
export const EVALUATION_SAMPLES = 1000;
/** Fixed latents, so that successive evaluations differ only by the generator. */
const LATENT_SEED = 0x51ed;

/** A batch of generated images scored against the reference; labels: the class each was asked for (a conditional run's), if any. */
async function judgedEvaluation(step: number, ref: JudgedReference, batch: ImageBatch, labels: Int32Array | null, t0: number): Promise<Evaluation> {
  const { judge, kind, real } = ref;
  const e = await evaluateSamples(judge, real, batch.data, batch.count, labels ?? undefined);
  const classifier = kind !== 'random-features';
  const nearest = await nearestPictures(step, batch, ref.data, real.indices, real.nearDuplicateThreshold, e);
  return {
    step,
    fid: e.fid,
    kid: e.kid,
    diversity: e.diversity,
    nearDuplicates: e.nearDuplicates,
    memorised: e.memorised,
    ...(nearest ? { nearest } : {}),
    classesCovered: classifier ? e.classesCovered : null,
    numClasses: classifier ? judge.classNames.length : null,
    classAccuracy: classifier && e.classAccuracy !== undefined ? e.classAccuracy : null,
    ...(classifier
      ? { classes: { names: judge.classNames, generated: e.classHistogram, real: Array.from(real.coverage.histogram), confident: e.confident, realConfident: real.coverage.confident } }
      : {}),
    judge: kind,
    ms: performance.now() - t0,
  };
}

type Draw<M> = (model: M, n: number, seed: number, data: Dataset) => Promise<{ batch: ImageBatch; labels: Int32Array | null }>;

/** A checkpoint's model loaded, EVALUATION_SAMPLES images drawn from it with fixed latents, and judged against the dataset's reference. */
export async function evaluateAgainst<M extends { dispose(): void }>(c: CheckpointData, step: number, sources: EvaluationSources, load: (c: CheckpointData) => M, draw: Draw<M>): Promise<Evaluation> {
  const t0 = performance.now();
  const ref = await sources.judged(c.config.dataset);
  const model = load(c);
  try {
    const { batch, labels } = await draw(model, EVALUATION_SAMPLES, LATENT_SEED, ref.data);
    return await judgedEvaluation(step, ref, batch, labels, t0);
  } finally {
    model.dispose();
  }
}

/** Images from fixed latents, a conditional run's classes in turn. */
export const drawFromNoise: Draw<NoiseModel> = async (trainer, n, seed) => {
  const { zDim, numClasses } = trainer.spec;
  const labels = numClasses > 0 ? Int32Array.from({ length: n }, (_, i) => i % numClasses) : null;
  return { labels, batch: await generateBatch(trainer, Rng.fromSeed(seed).normal(n * zDim), labels) };
};
