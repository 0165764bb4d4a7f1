/** The playground through the studio service: start, frames, pause, one step, stop, and refused inputs. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { StudioService } from '../../main/service/studio-service.js';
import type { CommandName, CommandResult, PlaygroundFrame, PlaygroundSummary } from '../../main/service/contract.js';
import { EVENT_NAMES } from '../../main/service/contract.js';
import { tempDir } from '../support/helpers.js';

const service = new StudioService(tempDir('gan-pg'));
after(() => service.close());

async function ok<C extends CommandName>(name: C, input: unknown) {
  const r: CommandResult<C> = await service.call(name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function refused(name: CommandName, input: unknown, code: string, pattern: RegExp) {
  const r = await service.call(name, input);
  assert.equal(r.ok, false, `${name} ${JSON.stringify(input).slice(0, 80)} was accepted`);
  if (!r.ok) {
    assert.equal(r.error.code, code, r.error.message);
    assert.match(r.error.message, pattern);
  }
}

const frames: PlaygroundFrame[] = [];
const finished: PlaygroundSummary[] = [];
service.on('playground.frame', (f) => frames.push(f));
service.on('playground.finished', (s) => finished.push(s));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(pred: () => boolean, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('the browser mode forwards the playground events', () => {
  assert.ok(EVENT_NAMES.includes('playground.frame'));
  assert.ok(EVENT_NAMES.includes('playground.finished'));
});

test('start → frames with the right shapes → pause stops them → step advances exactly one → stop', { timeout: 120_000 }, async () => {
  const started = await ok('playground.start', { distribution: 'ring', steps: 100_000, seed: 3 });
  assert.match(started.session, /^pg-\d+$/);
  assert.deepEqual([started.distribution, started.sigma, started.extent], ['ring', 0.02, 3]);
  const mine = () => frames.filter((f) => f.session === started.session);
  await waitFor(() => mine().length >= 3 && mine().at(-1)!.step > 0, 'frames of a running session');

  const f = mine().at(-1)!;
  assert.equal(f.real.length % 2, 0);
  assert.ok(f.real.length / 2 >= 200 && f.real.length / 2 <= 1000, `${f.real.length / 2} real points`);
  assert.ok(f.generated.length / 2 >= 200 && f.generated.length / 2 <= 1000, `${f.generated.length / 2} generated points`);
  assert.equal(f.surface.length, f.surfaceSize * f.surfaceSize);
  assert.ok(f.surfaceSize >= 20);
  assert.ok(f.surface.every((p) => p >= 0 && p <= 1));
  assert.ok([...f.real, ...f.generated, ...f.surface].every((v) => typeof v === 'number' && Number.isFinite(v)));
  assert.equal(f.extent, 3);
  assert.equal(f.steps, 100_000);
  assert.equal(f.coverage?.kind, 'modes');
  assert.equal(f.coverage?.modes, 8);
  assert.equal(f.coverage?.samples, 2500);
  for (const v of [f.dLoss, f.gLoss, f.dReal, f.dFake]) assert.ok(Number.isFinite(v));

  // Throttled to one per 80 ms at most (fewer when a frame is slow to draw), yet still flowing.
  const n0 = mine().length;
  await sleep(1000);
  const perSecond = mine().length - n0;
  assert.ok(perSecond >= 1 && perSecond <= 14, `${perSecond} frames in a second`);

  const paused = await ok('playground.control', { session: started.session, action: 'pause' });
  assert.equal(paused.paused, true);
  const count = mine().length;
  await sleep(600);
  assert.equal(mine().length, count, 'a paused session kept sending frames');
  assert.equal(mine().at(-1)!.step, paused.step, 'the last frame before the pause shows where it paused');

  await refused('playground.control', { session: 'pg-999999', action: 'step' }, 'NOT_FOUND', /no playground session/);
  const stepped = await ok('playground.control', { session: started.session, action: 'step' });
  assert.equal(stepped.step, paused.step + 1);
  assert.equal(mine().length, count + 1, 'one step, one frame');
  assert.equal(mine().at(-1)!.step, paused.step + 1);
  const again = await ok('playground.control', { session: started.session, action: 'step' });
  assert.equal(again.step, paused.step + 2);

  await ok('playground.control', { session: started.session, action: 'resume' });
  await refused('playground.control', { session: started.session, action: 'step' }, 'CONFLICT', /pause it/);
  await waitFor(() => mine().at(-1)!.step > again.step, 'training to go on after resume');

  const stopped = await ok('playground.control', { session: started.session, action: 'stop' });
  assert.equal(stopped.finished, true);
  await waitFor(() => finished.some((s) => s.session === started.session), 'playground.finished');
  const summary = finished.find((s) => s.session === started.session)!;
  assert.equal(summary.status, 'stopped');
  assert.equal(summary.step, mine().at(-1)!.step);
  assert.equal(summary.coverage?.modes, 8);
  await refused('playground.control', { session: started.session, action: 'resume' }, 'NOT_FOUND', /no playground session/);
});

test('a session that reaches its steps finishes as completed; a paused start waits at step 0', { timeout: 60_000 }, async () => {
  const s = await ok('playground.start', { distribution: 'drawn', points: [[0, 0], [1, 1], [2, 0], [3, 1]], steps: 3, paused: true });
  await waitFor(() => frames.some((f) => f.session === s.session), 'the first frame');
  await sleep(300);
  const mine = frames.filter((f) => f.session === s.session);
  assert.deepEqual(mine.map((f) => f.step), [0]);
  assert.equal(mine[0].coverage?.kind, 'support');
  assert.equal(mine[0].extent, 5);
  await ok('playground.control', { session: s.session, action: 'resume' });
  await waitFor(() => finished.some((x) => x.session === s.session), 'the end of the session');
  const summary = finished.find((x) => x.session === s.session)!;
  assert.deepEqual([summary.status, summary.step, summary.steps], ['completed', 3, 3]);
});

test('starting a session stops the one before it', { timeout: 60_000 }, async () => {
  const a = await ok('playground.start', { distribution: 'grid', paused: true });
  const b = await ok('playground.start', { distribution: 'spiral', paused: true });
  assert.notEqual(a.session, b.session);
  await waitFor(() => finished.some((x) => x.session === a.session), 'the first session to stop');
  assert.equal(finished.find((x) => x.session === a.session)!.status, 'stopped');
  await ok('playground.control', { session: b.session, action: 'stop' });
});

test('inputs are checked before anything runs', async () => {
  await refused('playground.start', { distribution: 'drawn' }, 'INVALID_INPUT', /points: a drawn distribution needs its points/);
  await refused('playground.start', { distribution: 'ring', points: [[0, 0], [1, 1], [2, 2]] }, 'INVALID_INPUT', /only for the drawn/);
  await refused('playground.start', { distribution: 'drawn', points: [[0, 0], [1, 1]] }, 'INVALID_INPUT', /at least 3/);
  await refused('playground.start', { distribution: 'drawn', points: [[0, 0], [1, 1], [9, 0]] }, 'INVALID_INPUT', /points/);
  await refused('playground.start', { distribution: 'drawn', points: Array.from({ length: 2001 }, () => [0, 0]) }, 'INVALID_INPUT', /at most 2000/);
  await refused('playground.start', { distribution: 'moons' }, 'INVALID_INPUT', /distribution/);
  await refused('playground.start', { dSteps: 0 }, 'INVALID_INPUT', /dSteps/);
  await refused('playground.start', { lrG: -1 }, 'INVALID_INPUT', /lrG/);
  await refused('playground.start', { steps: 1.5 }, 'INVALID_INPUT', /steps/);
  await refused('playground.start', { extra: 1 }, 'INVALID_INPUT', /extra/);
  await refused('playground.control', { session: 'pg-1', action: 'rewind' }, 'INVALID_INPUT', /action/);
  await refused('playground.control', { session: '../x', action: 'stop' }, 'INVALID_INPUT', /session/);
});
