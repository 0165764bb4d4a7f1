/**
 * Worker-thread entry: trains one job so the hosting process (Electron main,
 * server, CLI) keeps its event loop free. The steps run here, or, when the
 * host hands over a port to a step engine (the desktop app's browser worker),
 * there.
 */
import { parentPort } from 'node:worker_threads';
import { messageOf, StudioError } from '../errors.js';
import { RunControl } from './control.js';
import { LocalStepEngine, nodePort, RemoteStepEngine } from './step-host.js';
import { runTrainingJob } from './loop.js';
import type { ControlMessage, TrainingEvent } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('training worker must run in a worker thread');

const control = new RunControl();
const emit = (e: TrainingEvent) => port.postMessage(e);

port.on('message', (msg: ControlMessage) => {
  switch (msg.type) {
    case 'start': {
      const engine = msg.enginePort ? new RemoteStepEngine(nodePort(msg.enginePort)) : new LocalStepEngine();
      runTrainingJob(msg.job, control, emit, engine)
        .then((summary) => emit({ type: 'done', summary }))
        .catch((err) => {
          // Expected failures carry a message for people; anything else keeps its first line only.
          const message = err instanceof StudioError ? err.message : `training failed: ${messageOf(err).split('\n')[0]}`;
          emit({ type: 'error', message });
        })
        .finally(() => port.close());
      break;
    }
    case 'pause':
      control.pause();
      break;
    case 'resume':
      control.resume();
      break;
    case 'stop':
      control.stop();
      break;
  }
});
