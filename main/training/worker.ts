/**
 * Worker-thread entry: trains one job so the hosting process (Electron main,
 * server, CLI) keeps its event loop free.
 */
import { parentPort } from 'node:worker_threads';
import { messageOf, StudioError } from '../errors.js';
import { runTrainingJob, type LoopControl } from './loop.js';
import type { ControlMessage, TrainingEvent } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('training worker must run in a worker thread');

let wake: (() => void) | null = null;
const control: LoopControl & { stopRequested: boolean; pauseRequested: boolean } = {
  stopRequested: false,
  pauseRequested: false,
  waitForResume: () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    }),
};

const emit = (e: TrainingEvent) => port.postMessage(e);

port.on('message', (msg: ControlMessage) => {
  switch (msg.type) {
    case 'start':
      runTrainingJob(msg.job, control, emit)
        .then((summary) => emit({ type: 'done', summary }))
        .catch((err) => {
          // Expected failures carry a message for people; anything else keeps its first line only.
          const message = err instanceof StudioError ? err.message : `training failed: ${messageOf(err).split('\n')[0]}`;
          emit({ type: 'error', message });
        })
        .finally(() => port.close());
      break;
    case 'pause':
      control.pauseRequested = true;
      break;
    case 'resume':
      control.pauseRequested = false;
      wake?.();
      break;
    case 'stop':
      control.stopRequested = true;
      wake?.();
      break;
  }
});
