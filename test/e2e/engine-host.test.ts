/**
 * Steps trained elsewhere: the service routes a run to an engine host (in the
 * desktop app, the hidden engine page on Chromium's WebGPU) while its
 * training worker keeps the files and rows. Here the host is this test: it
 * serves the engine end of engine-protocol.ts on a worker_threads port, on
 * the cpu backend — the same code the engine page runs. Also: the relay
 * between Node's ports and Electron's, with a stand-in for MessagePortMain.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { relay } from '../../electron/port-relay.js';
import { useBackend, type BackendStatus } from '../../main/engine/backends.js';
import { serveStepEngine } from '../../main/training/engine-server.js';
import { readCheckpoint } from '../../main/families/run-checkpoint.js';
import { StudioService } from '../../main/service/studio-service.js';
import { nodePort, type EngineHost } from '../../main/training/step-host.js';
import { tempDir } from '../support/helpers.js';
import { ok, until } from '../support/service.js';

const TINY = { dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, steps: 4, checkpointEvery: 2, emaDecay: 0 };

class TestHost implements EngineHost {
  connects = 0;
  constructor(private readonly status: BackendStatus) {}
  async probe() {
    return this.status;
  }
  async connect() {
    this.connects++;
    const { port1, port2 } = new MessageChannel();
    serveStepEngine(nodePort(port2), {
      probe: async () => this.status,
      setup: async () => {
        await useBackend('cpu');
        return this.status;
      },
    });
    return port1;
  }
  close() {}
}

const gpu = (software: boolean, available = true): BackendStatus => ({
  name: 'webgpu',
  available,
  detail: available ? 'WebGPU on the test engine' : 'WebGPU (Chromium)',
  ...(available ? { adapter: { vendor: 'test', architecture: 'engine', device: '', description: '', software } } : { reason: 'no adapter in the test engine' }),
});

function service(host: EngineHost): StudioService {
  const s = new StudioService(tempDir(), { previewEvery: 1, gpuEngine: host });
  after(() => s.close());
  return s;
}


test('auto with a hardware adapter on the host: the steps train there, the run is kept here, exactly as a local run', async () => {
  const host = new TestHost(gpu(false));
  const s = service(host);
  const backends = await ok(s, 'system.backends', {});
  assert.equal(backends.find((b) => b.name === 'webgpu')?.detail, 'WebGPU on the test engine', 'New run lists the host’s adapter');
  const samples: number[] = [];
  s.on('run.sample', (e) => samples.push(e.step));
  const run = await ok(s, 'runs.create', { name: 'remote', config: { ...TINY, backend: 'auto' } });
  const finished = await until(s, 'run.finished', (e) => e.id === run.id);
  assert.equal(finished.error, null);
  assert.equal(host.connects, 1);
  assert.equal(finished.summary?.backend, 'webgpu');

  const shown = await ok(s, 'runs.show', { id: run.id });
  assert.equal(shown.status, 'completed');
  assert.equal(shown.backend, 'WebGPU on the test engine');
  assert.deepEqual(shown.checkpoints.map((c) => c.step), [2, 4]);
  assert.deepEqual(samples, [0, 1, 2, 3, 4]);
  const series = await ok(s, 'metrics.series', { id: run.id, metric: 'd_loss' });
  assert.deepEqual(series.map((p) => p.step), [1, 2, 3, 4]);
  const saved = readCheckpoint(s.store.checkpoints(run.id).at(-1)!.path);
  assert.equal(saved.step, 4);

  // The same seed trained in the worker itself gives the same run.
  const local = await ok(s, 'runs.create', { name: 'local', config: { ...TINY, backend: 'cpu' } });
  await until(s, 'run.finished', (e) => e.id === local.id);
  assert.equal(host.connects, 1, 'a cpu run does not go to the host');
  const localSaved = readCheckpoint(s.store.checkpoints(local.id).at(-1)!.path);
  for (const [name, t] of localSaved.tensors) assert.deepEqual(saved.tensors.get(name)!.data, t.data, `${name} differs`);
});

test('auto with only a software adapter on the host trains here; webgpu asked for there trains there', async () => {
  const host = new TestHost(gpu(true));
  const s = service(host);
  const here = await ok(s, 'runs.create', { name: 'auto', config: { ...TINY, steps: 2, backend: 'auto' } });
  await until(s, 'run.finished', (e) => e.id === here.id);
  assert.equal(host.connects, 0);
  const there = await ok(s, 'runs.create', { name: 'gpu', config: { ...TINY, steps: 2, backend: 'webgpu' } });
  const done = await until(s, 'run.finished', (e) => e.id === there.id);
  assert.equal(done.error, null);
  assert.equal(host.connects, 1);
});

test('webgpu asked for with no adapter on the host: the run is refused with the reason, and left as it was', async () => {
  const host = new TestHost(gpu(false, false));
  const s = service(host);
  // Refused within microtasks of the create: listen first.
  const finished = until(s, 'run.finished', () => true);
  const run = await ok(s, 'runs.create', { name: 'no gpu', config: { ...TINY, backend: 'webgpu' } });
  const done = await finished;
  assert.equal(done.id, run.id);
  assert.match(done.error ?? '', /backend "webgpu" is not available: no adapter in the test engine/);
  assert.equal(host.connects, 0);
  assert.equal((await ok(s, 'runs.show', { id: run.id })).step, 0);
});

test('the relay copies messages both ways between a Node port and an Electron port, and closes both together', async () => {
  const { port1: node, port2: far } = new MessageChannel();
  // A stand-in for Electron's MessagePortMain: events carry { data }.
  const sent: unknown[] = [];
  const electron = Object.assign(new EventEmitter(), {
    started: false,
    closed: false,
    postMessage: (m: unknown) => sent.push(m),
    start() {
      this.started = true;
    },
    close() {
      this.closed = true;
    },
  });
  relay({ node, electron });
  assert.equal(electron.started, true);
  far.postMessage({ type: 'ack', id: 3 });
  const fromElectron = new Promise((resolve) => far.once('message', resolve));
  electron.emit('message', { data: { type: 'done', result: { busyMs: 1, last: null } } });
  assert.deepEqual(await fromElectron, { type: 'done', result: { busyMs: 1, last: null } });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, [{ type: 'ack', id: 3 }]);
  const farClosed = new Promise((resolve) => far.once('close', resolve));
  // Closed ports no longer hold the event loop open; a timer does, until the close arrives.
  const keepAlive = setInterval(() => {}, 1000);
  electron.emit('close');
  assert.equal(electron.closed, true);
  await farClosed;
  clearInterval(keepAlive);
});

test('an engine that goes away mid-run (its page or the GPU process crashed) fails the run with a message, keeping its checkpoints', async () => {
  const host = new TestHost(gpu(false));
  host.connect = async () => {
    host.connects++;
    const { port1, port2 } = new MessageChannel();
    const port = nodePort(port2);
    let steps = 0;
    serveStepEngine(
      {
        ...port,
        // The engine's end disappears after its third step, as a crashed page's would.
        postMessage(m, transfer) {
          port.postMessage(m, transfer);
          const e = m as { type: string; event?: { type: string } };
          if (e.type === 'event' && e.event?.type === 'step' && ++steps === 3) setImmediate(() => port2.close());
        },
      },
      { probe: async () => gpu(false), setup: async () => (await useBackend('cpu'), gpu(false)) },
    );
    return port1;
  };
  const s = service(host);
  const run = await ok(s, 'runs.create', { name: 'crash', config: { ...TINY, backend: 'auto' } });
  const done = await until(s, 'run.finished', (e) => e.id === run.id);
  assert.match(done.error ?? '', /the GPU engine stopped .* resume the run to continue from its last checkpoint/);
  const shown = await ok(s, 'runs.show', { id: run.id });
  assert.equal(shown.status, 'failed');
  assert.deepEqual(shown.checkpoints.map((c) => c.step), [2]);
});
