/** Names in Redis: every key the studio and its workers use starts with PREFIX. */
export const PREFIX = 'gan-studio';
/** The BullMQ queue of training runs (BullMQ's own keys live under `${PREFIX}:train:`). */
export const QUEUE = 'train';

export const keys = {
  /** A content-addressed blob (a packed dataset): its chunk count and size; chunks at `:0`, `:1`, … */
  blob: (hash: string) => `${PREFIX}:blob:${hash}`,
  /** A run's checkpoint at a step, chunked like a blob. */
  checkpoint: (run: string, step: number) => `${PREFIX}:ckpt:${run}:${step}`,
  /** The steps of a run's checkpoints in Redis, newest last (a list). */
  checkpoints: (run: string) => `${PREFIX}:run:${run}:ckpts`,
  /** A run's events, in order: the stream the studio ingests. */
  events: (run: string) => `${PREFIX}:run:${run}:events`,
  /** What the studio asks of a run: run, pause or stop. */
  control: (run: string) => `${PREFIX}:run:${run}:control`,
  /** A worker's heartbeat: its name, backend and current run, expiring when it stops beating. */
  worker: (name: string) => `${PREFIX}:worker:${name}`,
  workers: `${PREFIX}:worker:*`,
};
