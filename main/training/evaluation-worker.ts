/**
 * Worker-thread entry: measures a run's generator at a checkpoint with the
 * dataset's judge, beside the training thread, so training never waits for
 * its own report card. The judge and the real images' reference are made
 * once and kept.
 */
import { parentPort } from 'node:worker_threads';
import type { Dataset } from '../core/dataset.js';
import { loadDataset } from '../datasets/index.js';
import { datasetDir } from '../datasets/store.js';
import { databasePath, openDatabase } from '../db/database.js';
import { useBackend } from '../engine/backends.js';
import { messageOf } from '../errors.js';
import { judgeFor } from '../evaluation/judges.js';
import type { EvaluationRequest, EvaluatorReply } from '../evaluation/protocol.js';
import type { EvaluationSources, JudgedReference } from '../families/family.js';
import { EVALUATION_SAMPLES } from '../families/noise-evaluation.js';
import { familyOfSpec } from '../families/registry.js';
import { readCheckpoint } from '../families/run-checkpoint.js';
import { realReference } from '../judges/index.js';

const port = parentPort;
if (!port) throw new Error('evaluation worker must run in a worker thread');
const reply = (m: EvaluatorReply) => port.postMessage(m);

let ready: Promise<unknown> | null = null;
let judged: { dataset: string; ref: JudgedReference } | null = null;
const datasets = new Map<string, Dataset>();

/** What a family's evaluation reads besides its checkpoint: datasets and the judged reference, each loaded once and kept. */
function sourcesOf(home: string): EvaluationSources {
  const dataset = (name: string) => {
    let d = datasets.get(name);
    if (d) {
      datasets.delete(name);
      datasets.set(name, d);
    } else {
      const db = openDatabase(databasePath(home));
      try {
        d = loadDataset(db, home, name);
      } finally {
        db.close();
      }
      datasets.set(name, d);
      // A run reads one or two datasets; one that has not been asked for since two others were goes.
      if (datasets.size > 2) datasets.delete(datasets.keys().next().value!);
    }
    return d;
  };
  return {
    dataset,
    judged: async (name) => {
      if (judged?.dataset === name) return judged.ref;
      const data = dataset(name);
      const db = openDatabase(databasePath(home));
      let dir;
      try {
        dir = datasetDir(db, home, name);
      } finally {
        db.close();
      }
      const { judge, kind } = await judgeFor(data, dir, (message) => reply({ type: 'note', message }));
      judged = { dataset: name, ref: { judge, kind, real: await realReference(judge, data, EVALUATION_SAMPLES, 1), data } };
      return judged.ref;
    },
  };
}

async function evaluate(r: EvaluationRequest) {
  ready ??= useBackend('auto');
  await ready;
  const checkpoint = readCheckpoint(r.checkpoint);
  const host = await familyOfSpec(checkpoint.spec).host();
  const evaluation = await host.evaluate(checkpoint, r.step, sourcesOf(r.home));
  reply({ type: 'result', evaluation });
}

port.on('message', (r: EvaluationRequest) => {
  evaluate(r).catch((err) => reply({ type: 'failed', step: r.step, message: messageOf(err).split('\n')[0] }));
});
