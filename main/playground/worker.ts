/**
 * Worker-thread entry: runs playground sessions, one at a time, so training
 * never blocks the thread that serves the UI. Starting a session stops the
 * one before it.
 */
import { parentPort } from 'node:worker_threads';
import { useBackend } from '../engine/backends.js';
import { prepareWasmThreads } from '../engine/wasm-threads.js';
import { messageOf } from '../errors.js';
import type { HostMessage, WorkerMessage } from './protocol.js';
import { PlaygroundSession } from './session.js';

const port = parentPort;
if (!port) throw new Error('playground worker must run in a worker thread');

// The playground's matrices are too small to share out: one wasm thread
// steps faster than two on a 2-core machine (see docs/playground.md's figures).
if (!process.env.GAN_STUDIO_THREADS) prepareWasmThreads(1);

const emit = (m: WorkerMessage) => port.postMessage(m);
let backend: { choice: string; detail: Promise<string> } | null = null;
let current: PlaygroundSession | null = null;
let running: Promise<void> = Promise.resolve();

async function start(session: string, settings: Extract<HostMessage, { type: 'start' }>['settings']): Promise<void> {
  if (current) {
    current.control(-1, 'stop');
    await running;
  }
  try {
    if (backend?.choice !== settings.backend) backend = { choice: settings.backend, detail: useBackend(settings.backend, { gpu: false }).then((b) => b.detail) };
    const s = new PlaygroundSession(session, settings, await backend.detail, emit);
    current = s;
    running = s.run().finally(() => {
      if (current === s) current = null;
    });
  } catch (err) {
    backend = null;
    emit({ type: 'finished', summary: { session, status: 'failed', step: 0, steps: settings.steps, seconds: 0, coverage: null, error: messageOf(err).split('\n')[0] } });
  }
}

let queue = Promise.resolve();
port.on('message', (m: HostMessage) => {
  if (m.type === 'start') {
    queue = queue.then(() => start(m.session, m.settings));
    return;
  }
  // Controls wait behind a start in progress, so they reach the session they name.
  void queue.then(() => {
    if (current?.id === m.session) current.control(m.id, m.action);
    else emit({ type: 'reply', id: m.id, ok: false, code: 'NOT_FOUND', message: `no playground session ${m.session} is running` });
  });
});
