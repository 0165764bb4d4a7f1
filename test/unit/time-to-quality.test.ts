/** The time-to-quality table read by hand: which runs are alike, and the steps and time they needed to reach a quality. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachOf, similarRuns, type QualityRecord } from '../../main/runs/time-to-quality.js';

const record = (id: string, over: Partial<QualityRecord>): QualityRecord => ({
  id,
  name: id,
  dataset: 'faces',
  task: 'fastgan',
  model: 'dcgan',
  size: 64,
  channels: 3,
  images: 1000,
  steps: 1000,
  backend: 'wasm',
  msPerStep: 100,
  bestFid: 0,
  bestFidStep: 0,
  fids: [],
  ...over,
});

const kind = { task: 'fastgan', model: 'dcgan', size: 64, channels: 3, dataset: 'faces', images: 1000 };

test('alike: the same family, network, size and channels; the same dataset first, then the nearest in size', () => {
  const records = [
    record('far', { dataset: 'cats', images: 20_000 }),
    record('near', { dataset: 'dogs', images: 1500 }),
    record('own', {}),
    record('grey', { channels: 1 }),
    record('128', { size: 128 }),
    record('gan', { task: 'generate' }),
  ];
  assert.deepEqual(similarRuns(records, kind).map((r) => r.id), ['own', 'near', 'far']);
  assert.deepEqual(similarRuns(records, kind, 2).map((r) => r.id), ['own', 'near']);
});

test('reach: the median of the steps where each run first scored the FID, at the speed measured now', () => {
  const a = record('a', { msPerStep: 200, bestFid: 20, fids: [{ step: 100, fid: 80 }, { step: 200, fid: 30 }, { step: 300, fid: 20 }] });
  const b = record('b', { msPerStep: 100, bestFid: 10, fids: [{ step: 100, fid: 40 }, { step: 200, fid: 35 }, { step: 300, fid: 10 }] });
  const c = record('c', { msPerStep: 100, bestFid: 50, fids: [{ step: 100, fid: 60 }, { step: 400, fid: 50 }] });
  // Asked 30: a at 200, b at 300; c never.
  assert.deepEqual(reachOf([a, b, c], 'faces', 30, 50), { fid: 30, asked: true, sameDataset: true, runs: 3, reached: 2, steps: 250, seconds: 12.5, theirSeconds: 35 });
  // By default the worst best-FID, 50: a at 200, b at 100, c at 400 → 200 steps.
  assert.deepEqual(reachOf([a, b, c], 'faces', undefined, null), { fid: 50, asked: false, sameDataset: true, runs: 3, reached: 3, steps: 200, seconds: null, theirSeconds: 40 });
  // Runs on the new run's dataset are read alone when there are any.
  const other = record('o', { dataset: 'cats', bestFid: 99, fids: [{ step: 50, fid: 99 }] });
  assert.equal(reachOf([other, a], 'faces', undefined, null)?.fid, 20);
  assert.deepEqual(reachOf([other], 'faces', undefined, null)?.sameDataset, false);
  assert.equal(reachOf([], 'faces', 30, 50), null);
});
