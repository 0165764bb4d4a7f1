/**
 * A translation checkpoint measured on held-out images (never trained on).
 * Paired (pix2pix): L1, PSNR and SSIM of each output to its target, over all
 * channels (colour is what colourisation adds; luma alone would hide it),
 * and the judge's FID of the outputs against the real targets; beside them
 * the same figures of the input itself where it is a fair baseline
 * (colourisation's gray, inpainting's masked image). Unpaired (CycleGAN):
 * how well each cycle returns to its start, the FID of A→B outputs against
 * real B (and of B→A against A), and the share of outputs that a classifier
 * of the two domains, fitted on the judge features of real training images,
 * reads as the target domain.
 */
import type { Dataset } from '../../core/dataset.js';
import { psnr, ssim } from '../../judges/fidelity.js';
import { disposeJudge, embedImages, evaluateOutputs, realReference, type Judge, type JudgeData } from '../../judges/index.js';
import { fitDomainClassifier, shareJudgedB } from '../../judges/domain.js';
import { asChannels } from './base.js';
import type { CycleGanTrainer } from './cyclegan.js';
import type { Pix2PixTrainer } from './pix2pix.js';
import { randomFeaturesJudge } from '../../evaluation/judges.js';
import type { Evaluation } from '../../evaluation/evaluation.js';

export interface PairedScores {
  l1: number;
  psnr: number;
  ssim: number;
}

/** Mean L1 (0–1 units), PSNR (dB, all channels) and SSIM (mean over channels) of outputs against targets, n images of side × side × c. */
export function pairedScores(out: Float32Array, target: Float32Array, n: number, side: number, c: number): PairedScores {
  const per = side * side * c;
  let l1 = 0;
  let p = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = out.subarray(i * per, (i + 1) * per);
    const b = target.subarray(i * per, (i + 1) * per);
    let sum = 0;
    for (let j = 0; j < per; j++) sum += Math.abs(a[j] - b[j]);
    l1 += sum / per / 255;
    // A perfect output would be infinitely many dB: capped at 100 so one image cannot swamp the mean.
    p += Math.min(100, psnr(a, b));
    let ss = 0;
    for (let ch = 0; ch < c; ch++) {
      const pa = new Float64Array(side * side);
      const pb = new Float64Array(side * side);
      for (let q = 0; q < side * side; q++) {
        pa[q] = a[q * c + ch];
        pb[q] = b[q * c + ch];
      }
      ss += ssim(pa, pb, side, side);
    }
    s += ss / c;
  }
  return { l1: l1 / n, psnr: p / n, ssim: s / n };
}

const toUnit = (x: Float32Array) => Float32Array.from(x, (v) => v / 127.5 - 1);
const toBytes = (x: Float32Array) => Uint8Array.from(x, (v) => Math.round(Math.min(255, Math.max(0, v))));

function judgeData(name: string, pixels: Float32Array, count: number, size: number, channels: number): JudgeData {
  return { name, pixels: toBytes(pixels), count, size, channels, labels: null, classNames: [] };
}

/** FID of n images (0–255) against a real reference of the same judge. */
async function fidOf(judge: Judge, real: Awaited<ReturnType<typeof realReference>>, images: Float32Array, n: number) {
  return evaluateOutputs(judge, real, await embedImages(judge, toUnit(images), n));
}

export async function evaluatePix2Pix(model: Pix2PixTrainer, data: Dataset, step: number): Promise<Evaluation> {
  const t0 = performance.now();
  if (!model.split) throw new Error('this trainer was restored for translating only');
  const { size, inChannels, outChannels } = model.spec;
  const held = Array.from(model.split.heldOut);
  const n = held.length;
  const inputs = new Float32Array(n * size * size * inChannels);
  const targets = new Float32Array(n * size * size * outChannels);
  held.forEach((k, i) => {
    const p = model.heldOutPair(k);
    inputs.set(p.a, i * p.a.length);
    targets.set(p.b, i * p.b.length);
  });
  const outputs = await model.translateAll(inputs, n, 'AtoB');
  const scores = pairedScores(outputs, targets, n, size, outChannels);
  const source = model.config.translate!.source;
  // The input is a fair baseline where it is the target with something taken away.
  const baselineInput = source === 'gray' || source === 'mask' ? asChannels(inputs, inChannels, outChannels) : null;
  let judged: Pick<Evaluation, 'fid' | 'kid' | 'diversity' | 'nearDuplicates'> = { fid: Number.NaN, kid: Number.NaN, diversity: Number.NaN, nearDuplicates: Number.NaN };
  let fidBaseline = Number.NaN;
  if (n >= 2) {
    const judge = await randomFeaturesJudge(size, outChannels, data.name);
    try {
      const real = await realReference(judge, judgeData(data.name, targets, n, size, outChannels), n, 1);
      const e = await fidOf(judge, real, outputs, n);
      judged = { fid: e.fid, kid: e.kid, diversity: e.diversity, nearDuplicates: e.nearDuplicates };
      if (baselineInput) fidBaseline = (await fidOf(judge, real, baselineInput, n)).fid;
    } finally {
      disposeJudge(judge);
    }
  }
  const base = baselineInput ? pairedScores(baselineInput, targets, n, size, outChannels) : null;
  return {
    step,
    ...judged,
    classesCovered: null,
    numClasses: null,
    classAccuracy: null,
    translation: {
      images: n,
      ...scores,
      ...(base ? { baseline: { name: 'input', ...base, fid: fidBaseline } } : {}),
    },
    judge: 'random-features',
    ms: performance.now() - t0,
  };
}

/** Up to `max` of a domain's training images (never its held-out ones), 0–255 bytes, as the judge takes a dataset. */
function domainData(side: NonNullable<CycleGanTrainer['sides']>[number], max: number): JudgeData {
  const { domain: d, split } = side;
  const { size, channels } = d.data;
  const per = size * size * channels;
  const count = Math.min(max, split.train.length);
  const pixels = new Uint8Array(count * per);
  // Spread over the domain, not its first images.
  for (let i = 0; i < count; i++) {
    const k = d.indices[split.train[Math.floor((i * split.train.length) / count)]];
    pixels.set(d.data.pixels.subarray(k * per, (k + 1) * per), i * per);
  }
  return { name: d.label, pixels, count, size, channels, labels: null, classNames: [] };
}

/** Real training images per domain for the FID reference and the domain classifier. */
const DOMAIN_REFERENCE = 1000;

export async function evaluateCycleGan(model: CycleGanTrainer, step: number): Promise<Evaluation> {
  const t0 = performance.now();
  if (!model.sides) throw new Error('this trainer was restored for translating only');
  const { size, inChannels: c } = model.spec;
  const A = model.heldOutImages(0);
  const B = model.heldOutImages(1);
  const fakeB = await model.translateAll(A.data, A.count, 'AtoB');
  const recA = await model.translateAll(fakeB, A.count, 'BtoA');
  const fakeA = await model.translateAll(B.data, B.count, 'BtoA');
  const recB = await model.translateAll(fakeA, B.count, 'AtoB');
  const cycle = (x: Float32Array, y: Float32Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
    return s / x.length / 255;
  };
  const judge = await randomFeaturesJudge(size, c, model.sides[1].domain.label);
  try {
    const F = judge.spec.features;
    const realA = await realReference(judge, domainData(model.sides[0], DOMAIN_REFERENCE), DOMAIN_REFERENCE, 1);
    const realB = await realReference(judge, domainData(model.sides[1], DOMAIN_REFERENCE), DOMAIN_REFERENCE, 1);
    const outB = await embedImages(judge, toUnit(fakeB), A.count);
    const outA = await embedImages(judge, toUnit(fakeA), B.count);
    const toB = A.count >= 2 ? evaluateOutputs(judge, realB, outB) : null;
    const toA = B.count >= 2 ? evaluateOutputs(judge, realA, outA) : null;
    const classifier = fitDomainClassifier(realA.features, realB.features, F);
    // Held-out real images say how far the classifier's reading can be trusted.
    const heldA = await embedImages(judge, toUnit(A.data), A.count);
    const heldB = await embedImages(judge, toUnit(B.data), B.count);
    const aAsB = shareJudgedB(classifier, heldA.features, F);
    const bAsA = 1 - shareJudgedB(classifier, heldB.features, F);
    const domainAccuracy = ((1 - aAsB) * A.count + (1 - bAsA) * B.count) / (A.count + B.count);
    // The images as they are, against the other domain: where translation starts from.
    const asIs = {
      fid: A.count >= 2 ? evaluateOutputs(judge, realB, heldA).fid : Number.NaN,
      fidReverse: B.count >= 2 ? evaluateOutputs(judge, realA, heldB).fid : Number.NaN,
      shareTarget: aAsB,
      shareTargetReverse: bAsA,
    };
    return {
      step,
      fid: toB?.fid ?? Number.NaN,
      kid: toB?.kid ?? Number.NaN,
      diversity: toB?.diversity ?? Number.NaN,
      nearDuplicates: toB?.nearDuplicates ?? Number.NaN,
      classesCovered: null,
      numClasses: null,
      classAccuracy: null,
      translation: {
        images: A.count + B.count,
        cycleA: cycle(recA, A.data),
        cycleB: cycle(recB, B.data),
        fidReverse: toA?.fid ?? Number.NaN,
        shareTarget: shareJudgedB(classifier, outB.features, F),
        shareTargetReverse: 1 - shareJudgedB(classifier, outA.features, F),
        domainAccuracy,
        untranslated: asIs,
      },
      judge: 'random-features',
      ms: performance.now() - t0,
    };
  } finally {
    disposeJudge(judge);
  }
}
