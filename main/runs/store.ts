/**
 * Runs on disk under <studio home>/runs/<id>/: run.json (what and how far),
 * metrics.jsonl (one line per step), checkpoints/ and samples/. Every file a
 * later session depends on is written atomically.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError, messageOf } from '../errors.js';
import { writeFileAtomic } from '../fsx.js';
import { readCheckpoint, writeCheckpoint, type CheckpointData } from '../engine/checkpoint.js';
import type { TrainConfig } from '../engine/config.js';
import type { StepMetrics } from '../engine/trainer.js';

export const RUN_STATUSES = ['created', 'running', 'paused', 'stopped', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const RunRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  config: z.record(z.unknown()),
  status: z.enum(RUN_STATUSES),
  step: z.number().int().min(0),
  targetSteps: z.number().int().min(0),
  backend: z.string().nullable(),
  pid: z.number().int().nullable(),
  error: z.string().nullable(),
});

export interface RunRecord extends Omit<z.infer<typeof RunRecordSchema>, 'config'> {
  config: TrainConfig;
}

/** Checkpoints kept per run: the newest, and the one before in case the newest is damaged. */
const KEEP_CHECKPOINTS = 2;
const ID_PATTERN = /^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function newRunId(now: Date): string {
  const d = `${now.getFullYear()}${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)}`;
  const t = `${pad(now.getHours(), 2)}${pad(now.getMinutes(), 2)}${pad(now.getSeconds(), 2)}`;
  return `${d}-${t}-${randomBytes(2).toString('hex')}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunStore {
  readonly root: string;

  constructor(home: string) {
    this.root = join(home, 'runs');
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  private recordPath(id: string): string {
    return join(this.dir(id), 'run.json');
  }

  create(config: TrainConfig, now = new Date()): RunRecord {
    mkdirSync(this.root, { recursive: true });
    let id = newRunId(now);
    while (existsSync(this.dir(id))) id = newRunId(now);
    mkdirSync(join(this.dir(id), 'checkpoints'), { recursive: true });
    mkdirSync(join(this.dir(id), 'samples'), { recursive: true });
    const stamp = now.toISOString();
    const record: RunRecord = {
      id,
      createdAt: stamp,
      updatedAt: stamp,
      config,
      status: 'created',
      step: 0,
      targetSteps: config.steps,
      backend: null,
      pid: null,
      error: null,
    };
    this.save(record);
    return record;
  }

  save(record: RunRecord): void {
    record.updatedAt = new Date().toISOString();
    writeFileAtomic(this.recordPath(record.id), Buffer.from(JSON.stringify(record, null, 2) + '\n'));
  }

  update(id: string, patch: Partial<Omit<RunRecord, 'id' | 'createdAt'>>): RunRecord {
    const record = { ...this.get(id), ...patch };
    this.save(record);
    return record;
  }

  /** Resolves a full id or a unique prefix of one. */
  resolveId(idOrPrefix: string): string {
    if (existsSync(this.recordPath(idOrPrefix))) return idOrPrefix;
    const matches = this.ids().filter((id) => id.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new StudioError(`run "${idOrPrefix}" is ambiguous: ${matches.slice(0, 5).join(', ')}`);
    throw new StudioError(`no run "${idOrPrefix}" in ${this.root}; \`gan-studio runs\` lists them`);
  }

  get(idOrPrefix: string): RunRecord {
    const id = this.resolveId(idOrPrefix);
    let parsed: z.infer<typeof RunRecordSchema>;
    try {
      parsed = RunRecordSchema.parse(JSON.parse(readFileSync(this.recordPath(id), 'utf8')));
    } catch (err) {
      throw new StudioError(`run ${id} has a damaged run.json (${messageOf(err).split('\n')[0]})`);
    }
    const record = parsed as RunRecord;
    // A run whose process died without saying so was interrupted, not running.
    if ((record.status === 'running' || record.status === 'paused') && record.pid != null && !isAlive(record.pid)) {
      record.status = 'interrupted';
    }
    return record;
  }

  ids(): string[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .filter((name) => ID_PATTERN.test(name) && existsSync(this.recordPath(name)))
      .sort();
  }

  list(): RunRecord[] {
    const out: RunRecord[] = [];
    for (const id of this.ids()) {
      try {
        out.push(this.get(id));
      } catch {
        /* a damaged run is skipped in listings; `get` explains it when asked for by id */
      }
    }
    return out;
  }

  // ---- metrics ----

  appendMetrics(id: string, rows: StepMetrics[]): void {
    if (rows.length === 0) return;
    appendFileSync(join(this.dir(id), 'metrics.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  readMetrics(id: string): StepMetrics[] {
    const path = join(this.dir(id), 'metrics.jsonl');
    if (!existsSync(path)) return [];
    const out: StepMetrics[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as StepMetrics);
      } catch {
        /* a line cut short by a crash */
      }
    }
    return out;
  }

  /**
   * Drops metrics past `step`: after a crash, steps trained since the last
   * checkpoint are trained again on resume and must not appear twice.
   */
  truncateMetrics(id: string, step: number): void {
    const rows = this.readMetrics(id);
    const kept = rows.filter((r) => r.step <= step);
    if (kept.length === rows.length) return;
    const text = kept.map((r) => JSON.stringify(r)).join('\n');
    writeFileAtomic(join(this.dir(id), 'metrics.jsonl'), Buffer.from(text ? text + '\n' : ''));
  }

  // ---- checkpoints ----

  checkpointPath(id: string, step: number): string {
    return join(this.dir(id), 'checkpoints', `step-${pad(step, 8)}.ckpt`);
  }

  checkpointSteps(id: string): number[] {
    return stepsIn(join(this.dir(id), 'checkpoints'), 'ckpt');
  }

  saveCheckpoint(id: string, data: CheckpointData): string {
    const path = this.checkpointPath(id, data.step);
    writeCheckpoint(path, data);
    const steps = this.checkpointSteps(id);
    for (const s of steps.slice(0, Math.max(0, steps.length - KEEP_CHECKPOINTS))) {
      rmSync(this.checkpointPath(id, s), { force: true });
    }
    return path;
  }

  /**
   * The newest checkpoint that reads back intact; a damaged newer one is
   * reported through `onSkip` and the one before it is used.
   */
  latestCheckpoint(id: string, onSkip?: (message: string) => void): CheckpointData | null {
    const steps = this.checkpointSteps(id).reverse();
    for (const s of steps) {
      try {
        return readCheckpoint(this.checkpointPath(id, s));
      } catch (err) {
        onSkip?.(messageOf(err));
      }
    }
    return null;
  }

  // ---- samples ----

  samplePath(id: string, step: number): string {
    return join(this.dir(id), 'samples', `step-${pad(step, 8)}.png`);
  }

  sampleSteps(id: string): number[] {
    return stepsIn(join(this.dir(id), 'samples'), 'png');
  }
}

/** Steps of the step-N.<ext> files in a folder, ascending; temporary files of interrupted writes do not match. */
function stepsIn(dir: string, ext: string): number[] {
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^step-(\\d+)\\.${ext}$`);
  return readdirSync(dir)
    .map((f) => pattern.exec(f))
    .filter((m): m is RegExpExecArray => m != null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}
