/**
 * Worker-thread entry: a run's training speed on this machine before the run
 * exists. It builds the trainer a run of these settings would get, on the
 * backend it would train on, trains warm-up steps for a few seconds (kernels
 * compiled, buffers allocated, the JIT settled) and times the next ones, then throws it all away.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../datasets/index.js';
import { applySubset } from '../datasets/subset.js';
import { databasePath, openDatabase } from '../db/database.js';
import { useBackend } from '../engine/backends.js';
import { messageOf } from '../errors.js';
import { createTrainer, familyOfConfig } from '../families/registry.js';
import type { SpeedReply, SpeedRequest } from './speed-protocol.js';

const port = parentPort;
if (!port) throw new Error('the speed worker must run in a worker thread');
const reply = (m: SpeedReply) => port.postMessage(m);

/** Warm-up lasts at least this long (and r.warmup steps), at most MAX_WARMUP steps. */
const WARMUP_MS = 3000;
const MAX_WARMUP = 40;

async function measure(r: SpeedRequest): Promise<void> {
  const backend = await useBackend(r.config.backend);
  const db = openDatabase(databasePath(r.home));
  let data, dataB;
  try {
    data = applySubset(loadDataset(db, r.home, r.config.dataset), r.config.subset);
    const nameB = familyOfConfig(r.config).secondDataset?.(r.config);
    dataB = nameB ? loadDataset(db, r.home, nameB) : null;
  } finally {
    db.close();
  }
  const trainer = createTrainer(r.config, data, undefined, dataB);
  const ms: number[] = [];
  let warmup = r.warmup;
  try {
    const t0 = performance.now();
    for (let i = 0; i < warmup + r.timed; i++) {
      const m = await trainer.trainStep();
      // The step's own figure, the one a run stores: what the estimate is checked against.
      if (i >= warmup) ms.push(m.ms);
      else if (i === r.warmup - 1) {
        // Small networks keep speeding up for many steps (the JIT, the allocator): warm up for a while, not a count.
        const per = (performance.now() - t0) / r.warmup;
        warmup = Math.max(r.warmup, Math.min(MAX_WARMUP, Math.ceil(WARMUP_MS / per)));
      }
      reply({ type: 'step', done: i + 1, total: warmup + r.timed });
    }
  } finally {
    trainer.dispose();
  }
  reply({ type: 'done', backend, warmup, ms });
}

measure(workerData as SpeedRequest).catch((err) => reply({ type: 'failed', message: messageOf(err).split('\n')[0] }));
