/**
 * The engine end of engine-protocol.ts: builds the trainer on the backend its
 * host sets up, runs the one step loop, and sends the loop's events back,
 * waiting for the host to keep checkpoints and previews before going on.
 */
import type { BackendStatus } from '../engine/backends.js';
import type { BackendChoice } from '../engine/config.js';
import type { EngineMessage, HostMessage, PortLike } from './engine-protocol.js';
import { transferablesOf } from './engine-protocol.js';
import { runSteps, type StepControl } from '../engine/step-loop.js';
import { type RunStepEvent, type RunTrainer } from '../families/run-checkpoint.js';
import { createTrainer } from '../families/registry.js';
import { messageOf, StudioError } from '../errors.js';

export interface EngineBackends {
  /** What this engine would train on: its backend's status, adapter included. */
  probe(): Promise<BackendStatus>;
  /** Makes the backend a run asks for current, or says why it cannot. */
  setup(choice: BackendChoice): Promise<BackendStatus>;
}

export function serveStepEngine(port: PortLike, backends: EngineBackends): void {
  let trainer: RunTrainer | null = null;
  let wake: (() => void) | null = null;
  const control: StepControl & { stopRequested: boolean; pauseRequested: boolean } = {
    stopRequested: false,
    pauseRequested: false,
    waitForResume: () => new Promise<void>((resolve) => (wake = resolve)),
  };
  const acks = new Map<number, () => void>();
  let nextId = 1;
  const send = (m: EngineMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const fail = (err: unknown) => send({ type: 'error', message: err instanceof StudioError ? err.message : `training failed: ${messageOf(err).split('\n')[0]}` });

  const sink = (event: RunStepEvent): void | Promise<void> => {
    // Steps stream on; what must be kept is waited for.
    if (event.type === 'step' || event.type === 'paused' || event.type === 'resumed') return send({ type: 'event', event, id: null });
    const id = nextId++;
    const kept = new Promise<void>((resolve) => acks.set(id, resolve));
    send({ type: 'event', event, id }, transferablesOf(event));
    return kept;
  };

  port.onMessage((data) => {
    const m = data as HostMessage;
    switch (m.type) {
      case 'probe':
        backends
          .probe()
          .then((status) => send({ type: 'probed', status }))
          .catch(fail);
        break;
      case 'init':
        backends
          .setup(m.init.config.backend)
          .then((backend) => {
            trainer = createTrainer(m.init.config, m.init.dataset, m.init.from ?? undefined, m.init.datasetB ?? null);
            send({ type: 'prepared', backend, step: trainer.step });
          })
          .catch(fail);
        break;
      case 'run':
        if (!trainer) return fail(new StudioError('the engine was asked to run before it was prepared'));
        runSteps(trainer, m.plan, control, sink)
          .then((result) => send({ type: 'done', result }))
          .catch(fail)
          .finally(() => {
            trainer?.dispose();
            trainer = null;
          });
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
      case 'ack':
        acks.get(m.id)?.();
        acks.delete(m.id);
        break;
    }
  });
}
