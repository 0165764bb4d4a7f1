/**
 * Every judge figure for one batch of generated images, against a real-data
 * reference computed once per (judge, dataset, n, seed) and cached by the caller.
 */
import { Rng } from '../engine/rng.js';
import { StudioError } from '../errors.js';
import { classCoverage, type ClassCoverage } from './coverage.js';
import { pairwiseSummary, quantile, shareWithin } from './diversity.js';
import { featureStats, frechetDistance, type FeatureStats } from './frechet.js';
import { embedImages, imagesAt, type Judge, type JudgeOutputs } from './judge.js';
import { kernelDistanceDetail, sample } from './kid.js';
import { memorisation, nearestTraining, type NearestSample } from './memorisation.js';
import type { JudgeData } from './train.js';

export interface RealReference {
  /** The judge it was computed with; evaluateSamples refuses another. */
  judgeId: string;
  dataset: string;
  n: number;
  /** Which dataset images were used. */
  indices: Int32Array;
  /** [n × F] */
  features: Float32Array;
  stats: FeatureStats;
  meanPairwiseDistance: number;
  /** Nearest-neighbour distance below which a sample counts as a near-duplicate. */
  nearDuplicateThreshold: number;
  /** The quantile of real nearest-neighbour distances the threshold is. */
  nearDuplicateQuantile: number;
  /** The judge's class histogram of the real images: what full coverage looks like. */
  coverage: ClassCoverage;
}

export interface ReferenceOptions {
  /** Quantile of real nearest-neighbour distances taken as the near-duplicate threshold (default 0.01). */
  nearDuplicateQuantile?: number;
}

/** n images drawn without replacement (seeded) from the dataset, embedded by the judge. */
export async function realReference(judge: Judge, dataset: JudgeData, n: number, seed: number, opts: ReferenceOptions = {}): Promise<RealReference> {
  const { size, channels, features: F, numClasses: C } = judge.spec;
  if (dataset.size !== size || dataset.channels !== channels) {
    throw new StudioError(`the judge takes ${size} px ×${channels} images; dataset ${dataset.name ?? ''} has ${dataset.size} px ×${dataset.channels}`);
  }
  const count = Math.min(n, dataset.count);
  if (count < 2) throw new StudioError('a real-data reference needs at least 2 images');
  const indices = sample(dataset.count, count, Rng.fromSeed(seed));
  const out = await embedImages(judge, imagesAt(dataset, indices), count);
  const pairs = pairwiseSummary(out.features, F);
  const q = opts.nearDuplicateQuantile ?? 0.01;
  return {
    judgeId: judge.id,
    dataset: dataset.name ?? '',
    n: count,
    indices,
    features: out.features,
    stats: featureStats(out.features, F),
    meanPairwiseDistance: pairs.meanDistance,
    nearDuplicateThreshold: quantile(pairs.nearest, q),
    nearDuplicateQuantile: q,
    coverage: classCoverage(out.probs, C),
  };
}

export interface SampleEvaluation {
  n: number;
  /** Fréchet distance to the real reference in judge-feature space (0 = same Gaussian statistics). */
  fid: number;
  /** Kernel distance (unbiased MMD², cubic kernel); ≈ 0 for the real distribution. */
  kid: number;
  kidStd: number;
  /** Mean pairwise feature distance over the real reference's: ≈ 1 as diverse as real data, → 0 collapsed. */
  diversity: number;
  meanPairwiseDistance: number;
  /** Share of samples with a near copy in the batch (real data: ≈ the reference's quantile, 1%). */
  nearDuplicates: number;
  /** Share of samples closer to a training image than real images are to one another (copies: 1; fresh real images: ≈ 1%). */
  memorised: number;
  /** The samples nearest to and farthest from the training images, with the reference row (real.indices) of each one's nearest. */
  typical: NearestSample;
  novel: NearestSample;
  classesCovered: number;
  /** Normalised entropy of the judged class histogram, 1 = all classes equally often. */
  classEvenness: number;
  classHistogram: number[];
  /** Share of samples the judge classifies with probability ≥ 0.9 (compare with the real reference's coverage.confident). */
  confident: number;
  /** Conditional runs: share of samples judged to be the class they were generated for. */
  classAccuracy?: number;
  /** Where the time went, in milliseconds. */
  ms: { features: number; fid: number; kid: number; diversity: number };
}

/** images: n NHWC images in [-1, 1] of the judge's size; labels: the class each was generated for (conditional runs). */
export async function evaluateSamples(
  judge: Judge,
  real: RealReference,
  images: Float32Array,
  n: number,
  labels?: ArrayLike<number>,
): Promise<SampleEvaluation> {
  if (real.judgeId !== judge.id) throw new StudioError('the real-data reference was computed with another judge; compute it again');
  const t0 = performance.now();
  const out = await embedImages(judge, images, n);
  const ms = performance.now() - t0;
  const result = evaluateOutputs(judge, real, out, labels);
  result.ms.features = ms;
  return result;
}

/** The same figures from judge outputs already computed (e.g. in another thread). */
export function evaluateOutputs(judge: Judge, real: RealReference, out: JudgeOutputs, labels?: ArrayLike<number>): SampleEvaluation {
  const { features: F, numClasses: C } = judge.spec;
  const n = out.features.length / F;
  if (n < 2) throw new StudioError('evaluating samples needs at least 2 of them');
  let t = performance.now();
  const fid = frechetDistance(featureStats(out.features, F), real.stats);
  const tFid = performance.now() - t;
  t = performance.now();
  const kid = kernelDistanceDetail(out.features, real.features, F);
  const tKid = performance.now() - t;
  t = performance.now();
  const pairs = pairwiseSummary(out.features, F);
  const copies = memorisation(nearestTraining(out.features, real.features, F), real.nearDuplicateThreshold);
  const tDiv = performance.now() - t;
  const coverage = classCoverage(out.probs, C, labels ? { requested: labels } : {});
  const result: SampleEvaluation = {
    n,
    fid,
    kid: kid.kid,
    kidStd: kid.std,
    diversity: pairs.meanDistance / real.meanPairwiseDistance,
    meanPairwiseDistance: pairs.meanDistance,
    nearDuplicates: shareWithin(pairs.nearest, real.nearDuplicateThreshold),
    memorised: copies.share,
    typical: copies.typical,
    novel: copies.novel,
    classesCovered: coverage.classesCovered,
    classEvenness: coverage.evenness,
    classHistogram: Array.from(coverage.histogram),
    confident: coverage.confident,
    ms: { features: 0, fid: tFid, kid: tKid, diversity: tDiv },
  };
  if (coverage.accuracy !== undefined) result.classAccuracy = coverage.accuracy;
  return result;
}
