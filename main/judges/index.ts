/** The studio's judges of GAN quality: one import for the training loop and the service. */
export { createJudge, judgeForward, judgeFeatures, judgeLogits, judgeSpec, JUDGE_FEATURES, type JudgeSpec } from './network.js';
export { disposeJudge, embedImages, imagesAt, judgeAccuracy, type Judge, type JudgeInfo, type JudgeOutputs } from './judge.js';
export { trainJudge, type JudgeData, type JudgeProgress, type TrainJudgeOptions } from './train.js';
export { builtinJudge, builtinJudgePath, decodeJudge, encodeJudge, hasBuiltinJudge, loadJudge, saveJudge } from './file.js';
export { featureStats, frechetDistance, type FeatureStats } from './frechet.js';
export { kernelDistance, kernelDistanceDetail, type KidOptions, type KidResult } from './kid.js';
export {
  meanPairwiseDistance,
  nearDuplicateShare,
  nearDuplicateThreshold,
  nearestNeighbourDistances,
  pairwiseSummary,
  quantile,
} from './diversity.js';
export { classCoverage, type ClassCoverage, type CoverageOptions } from './coverage.js';
export { evaluateOutputs, evaluateSamples, realReference, type RealReference, type SampleEvaluation } from './evaluate.js';
export { cropBorder, fidelity, luma, psnr, ssim, type Fidelity, type Plane } from './fidelity.js';
