import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diversityAlarm, trainingStatus, WARM_UP_STEPS } from '../../main/evaluation/status.js';

/** 50 steps ending at `last`, every one with the given verdicts and accuracies. */
function steps(dReal: number, dFake: number, acc = 0.5, last = 400) {
  return Array.from({ length: 50 }, (_, i) => ({ step: last - 49 + i, dLoss: 1, gLoss: 1, dReal, dFake, accReal: acc, accFake: acc }));
}
const fine = { diversity: 0.95, nearDuplicates: 0.01, classesCovered: 10, numClasses: 10 };

test('D near 0.5 on both is balanced; a confident, accurate D is winning; a fooled D is losing', () => {
  assert.equal(trainingStatus(steps(0.52, 0.47), fine).state, 'balanced');
  assert.equal(trainingStatus(steps(0.95, 0.04, 0.98), fine).state, 'discriminator-winning');
  assert.equal(trainingStatus(steps(0.3, 0.8), fine).state, 'generator-winning');
  assert.equal(trainingStatus(steps(0.75, 0.25, 0.8), fine).state, 'learning');
});

test('too few steps is warming up, whatever the verdicts', () => {
  assert.equal(trainingStatus(steps(0.99, 0.01, 1, WARM_UP_STEPS - 1)).state, 'warming-up');
  assert.equal(trainingStatus([]).state, 'warming-up');
  // An untrained generator's sameness is not collapse yet.
  assert.equal(trainingStatus(steps(0.5, 0.5, 0.5, 10).slice(-5), { ...fine, diversity: 0.01 }).state, 'warming-up');
  assert.equal(diversityAlarm([], { step: WARM_UP_STEPS - 1, diversity: 0.01, nearDuplicates: 1 }), null);
});

test('collapse is read from the judges: low diversity, many near-twins, or few classes', () => {
  for (const e of [
    { ...fine, diversity: 0.3 },
    { ...fine, nearDuplicates: 0.5 },
    { ...fine, classesCovered: 3 },
  ]) {
    const s = trainingStatus(steps(0.5, 0.5), e);
    assert.equal(s.state, 'collapsed', JSON.stringify(e));
    assert.match(s.detail, /mode collapse/);
  }
  // A random-feature judge has no classes: only diversity speaks.
  assert.equal(trainingStatus(steps(0.5, 0.5), { ...fine, classesCovered: null, numClasses: null }).state, 'balanced');
});

test('non-finite losses read as diverged', () => {
  const s = steps(0.5, 0.5);
  s[s.length - 1].dLoss = Number.NaN;
  assert.equal(trainingStatus(s).state, 'diverged');
});

test('the diversity alarm fires on collapse and on a fall from the best so far, not on noise', () => {
  assert.equal(diversityAlarm([], { step: 200, diversity: 0.95, nearDuplicates: 0.01 }), null);
  assert.match(diversityAlarm([], { step: 200, diversity: 0.4, nearDuplicates: 0.01 })!, /possible mode collapse at step 200/);
  assert.match(diversityAlarm([{ diversity: 1.0 }, { diversity: 0.95 }], { step: 600, diversity: 0.7, nearDuplicates: 0.02 })!, /falling at step 600: 0\.70, down from 1\.00/);
  assert.equal(diversityAlarm([{ diversity: 1.0 }], { step: 600, diversity: 0.9, nearDuplicates: 0.02 }), null);
});
