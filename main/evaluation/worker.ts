/**
 * Worker-thread entry: measures a run's generator at a checkpoint with the
 * dataset's judge, beside the training thread, so training never waits for
 * its own report card. The judge and the real images' reference are made
 * once and kept.
 */
import { parentPort } from 'node:worker_threads';
import { useBackend } from '../engine/backends.js';
import { isSuperRes, isTextToImage, isTranslation, readCheckpoint, type CheckpointData } from '../engine/checkpoint.js';
import { TextGanTrainer } from '../engine/text/trainer.js';
import { drawCaptions, generateForCaptions } from './text.js';
import { CycleGanTrainer } from '../engine/translate/cyclegan.js';
import { Pix2PixTrainer } from '../engine/translate/pix2pix.js';
import type { TranslateSpec } from '../engine/translate/networks.js';
import { evaluateCycleGan, evaluatePix2Pix } from './translate.js';
import { SrTrainer } from '../engine/superres/trainer.js';
import type { Dataset } from '../datasets/dataset.js';
import { evaluateSuperRes, heldOutImages, type HeldOut } from './superres.js';
import { Trainer } from '../engine/trainer.js';
import { Rng } from '../engine/rng.js';
import { loadDataset } from '../datasets/index.js';
import { datasetDir } from '../datasets/store.js';
import { openDatabase } from '../db/database.js';
import { databasePath } from '../runs/store.js';
import { messageOf } from '../errors.js';
import { evaluateSamples, realReference, type Judge, type RealReference } from '../judges/index.js';
import { generateBatch } from '../engine/sampling.js';
import { judgeFor, type JudgeKind } from './judges.js';
import type { EvaluationRequest, EvaluatorReply } from './protocol.js';

/** Images per evaluation, generated and real: enough for stable 64-d statistics, a few seconds of CPU. */
export const EVALUATION_SAMPLES = 1000;
/** Fixed latents, so that successive evaluations differ only by the generator. */
const LATENT_SEED = 0x51ed;

const port = parentPort;
if (!port) throw new Error('evaluation worker must run in a worker thread');
const reply = (m: EvaluatorReply) => port.postMessage(m);

let ready: Promise<unknown> | null = null;
let cached: { dataset: string; judge: Judge; kind: JudgeKind; real: RealReference; data: Dataset } | null = null;

async function referenceFor(home: string, name: string) {
  if (cached?.dataset === name) return cached;
  const db = openDatabase(databasePath(home));
  try {
    const data = loadDataset(db, home, name);
    const { judge, kind } = await judgeFor(data, datasetDir(db, home, name), (message) => reply({ type: 'note', message }));
    cached = { dataset: name, judge, kind, real: await realReference(judge, data, EVALUATION_SAMPLES, 1), data };
    return cached;
  } finally {
    db.close();
  }
}

let heldOut: { key: string; data: Dataset; images: HeldOut } | null = null;

/** A super-resolution checkpoint: fidelity on the held-out images, loaded once per dataset and degradation. */
async function evaluateUpscaler(r: EvaluationRequest, checkpoint: CheckpointData) {
  const sr = checkpoint.config.superres!;
  const key = `${r.dataset}\0${sr.scale}\0${sr.downscale}`;
  if (heldOut?.key !== key) {
    const db = openDatabase(databasePath(r.home));
    try {
      const data = loadDataset(db, r.home, r.dataset);
      heldOut = { key, data, images: heldOutImages(data, sr) };
    } finally {
      db.close();
    }
  }
  const model = SrTrainer.fromCheckpoint(checkpoint);
  try {
    reply({ type: 'result', evaluation: await evaluateSuperRes(model, heldOut.data, heldOut.images, r.step) });
  } finally {
    model.dispose();
  }
}

let translationData: { key: string; data: Dataset; dataB: Dataset | null } | null = null;

/** A translation checkpoint: its held-out pairs or domains, the datasets loaded once per run's choice of them. */
async function evaluateTranslator(r: EvaluationRequest, checkpoint: CheckpointData) {
  const nameB = checkpoint.config.translate?.datasetB ?? null;
  const key = `${r.dataset}\0${nameB ?? ''}`;
  if (translationData?.key !== key) {
    const db = openDatabase(databasePath(r.home));
    try {
      translationData = { key, data: loadDataset(db, r.home, r.dataset), dataB: nameB ? loadDataset(db, r.home, nameB) : null };
    } finally {
      db.close();
    }
  }
  const { data, dataB } = translationData;
  const model = (checkpoint.spec as TranslateSpec).task === 'pix2pix' ? Pix2PixTrainer.create(checkpoint.config, data, checkpoint) : CycleGanTrainer.create(checkpoint.config, data, dataB, checkpoint);
  try {
    const evaluation = model instanceof Pix2PixTrainer ? await evaluatePix2Pix(model, data, r.step) : await evaluateCycleGan(model, r.step);
    reply({ type: 'result', evaluation });
  } finally {
    model.dispose();
  }
}

async function evaluate(r: EvaluationRequest) {
  ready ??= useBackend('auto');
  await ready;
  const checkpoint = readCheckpoint(r.checkpoint);
  if (isSuperRes(checkpoint.spec)) return evaluateUpscaler(r, checkpoint);
  if (isTranslation(checkpoint.spec)) return evaluateTranslator(r, checkpoint);
  const t0 = performance.now();
  const { judge, kind, real, data } = await referenceFor(r.home, r.dataset);
  const trainer = isTextToImage(checkpoint.spec) ? TextGanTrainer.fromCheckpoint(checkpoint) : Trainer.fromCheckpoint(checkpoint);
  try {
    const n = EVALUATION_SAMPLES;
    let labels: Int32Array | null;
    let batch;
    if (trainer instanceof TextGanTrainer) {
      // Captions of the dataset's images; the judge is asked whether each image shows its caption's image's class.
      const draw = drawCaptions(data, n, LATENT_SEED);
      labels = draw.labels;
      batch = await generateForCaptions(trainer, Array.from(draw.captions, (i) => data.captions!.texts[i]), LATENT_SEED);
    } else {
      const { zDim, numClasses } = trainer.spec;
      labels = numClasses > 0 ? Int32Array.from({ length: n }, (_, i) => i % numClasses) : null;
      batch = await generateBatch(trainer, Rng.fromSeed(LATENT_SEED).normal(n * zDim), labels);
    }
    const e = await evaluateSamples(judge, real, batch.data, n, labels ?? undefined);
    const classifier = kind !== 'random-features';
    reply({
      type: 'result',
      evaluation: {
        step: r.step,
        fid: e.fid,
        kid: e.kid,
        diversity: e.diversity,
        nearDuplicates: e.nearDuplicates,
        classesCovered: classifier ? e.classesCovered : null,
        numClasses: classifier ? judge.classNames.length : null,
        classAccuracy: classifier && e.classAccuracy !== undefined ? e.classAccuracy : null,
        ...(classifier
          ? { classes: { names: judge.classNames, generated: e.classHistogram, real: Array.from(real.coverage.histogram), confident: e.confident, realConfident: real.coverage.confident } }
          : {}),
        judge: kind,
        ms: performance.now() - t0,
      },
    });
  } finally {
    trainer.dispose();
  }
}

port.on('message', (r: EvaluationRequest) => {
  evaluate(r).catch((err) => reply({ type: 'failed', step: r.step, message: messageOf(err).split('\n')[0] }));
});
