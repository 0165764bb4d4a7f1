/**
 * What keeps a run's output, wherever its steps ran: checkpoint files and
 * rows, preview grids, and the evaluation of each checkpoint beside it. The
 * local training loop (loop.ts) and the ingest of a remote run's stream
 * (remote/ingest.ts) both keep through it, so a run's records read the same
 * either way.
 */
import type { CheckpointData } from '../families/run-checkpoint.js';
import { Evaluator } from './evaluator.js';
import { writeFileAtomic } from '../fsx.js';
import type { RunStore } from '../runs/store.js';
import { saveNearestPictures } from '../runs/nearest-pictures.js';
import { messageOf } from '../errors.js';
import type { TrainingEvent } from './protocol.js';

export class RunRecorder {
  /** Measures each checkpoint kept; null when the run is not evaluated. */
  readonly evaluator: Evaluator | null;

  constructor(
    private readonly store: RunStore,
    private readonly id: string,
    private readonly home: string,
    private readonly dataset: string,
    private readonly emit: (e: TrainingEvent) => void,
    evaluate = true,
  ) {
    this.evaluator = evaluate
      ? new Evaluator({
          result: ({ nearest, ...evaluation }) => {
            // Pictures go to the run's folder, not through every listener of the evaluation.
            if (nearest) {
              try {
                saveNearestPictures(store.dir(id), nearest);
              } catch (err) {
                emit({ type: 'warning', message: `the memorisation pictures of step ${evaluation.step} were not kept: ${messageOf(err)}` });
              }
            }
            store.recordEvaluation(id, evaluation);
            emit({ type: 'evaluation', evaluation });
          },
          note: (message) => emit({ type: 'warning', message }),
        })
      : null;
  }

  /** Writes the checkpoint, moves the run's step to it, and has it evaluated. */
  checkpoint(data: CheckpointData): string {
    const path = this.store.saveCheckpoint(this.id, data);
    this.store.update(this.id, { step: data.step });
    this.emit({ type: 'checkpoint', step: data.step, path });
    this.evaluator?.request({ home: this.home, dataset: this.dataset, step: data.step, checkpoint: path });
    return path;
  }

  preview(step: number, seed: number, png: Uint8Array): void {
    const path = this.store.samplePath(this.id, step);
    writeFileAtomic(path, png);
    this.store.addSample(this.id, step, seed, path);
    this.emit({ type: 'preview', step, path });
  }

  async close(): Promise<void> {
    await this.evaluator?.close();
  }
}
