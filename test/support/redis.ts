/**
 * A Redis of a test's own: redis-server on a free loopback port with a
 * temporary folder, stopped when the test file ends. Traffic stays on
 * 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));

export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class TestRedis {
  private proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'gan-studio-redis-'));

  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  /** Persistence on (append-only file) so that a restart keeps queue and streams. Call close() when done. */
  static async start(extra: string[] = []): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), extra);
    await r.up();
    return r;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  url(password?: string): string {
    return `redis://${password ? `:${password}@` : ''}127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', ...this.args], {
      stdio: 'ignore',
    });
    const pw = this.args.includes('--requirepass') ? this.args[this.args.indexOf('--requirepass') + 1] : undefined;
    for (let i = 0; i < 100; i++) {
      const c = new Redis({ port: this.port, host: '127.0.0.1', password: pw, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => {});
      try {
        await c.connect();
        if ((await c.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        c.disconnect();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Stops the server (SIGTERM: it flushes its append-only file first) and waits for it to go. */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.up();
  }
}

/** A `gan-studio worker` process on the WebAssembly engine (deterministic on one machine, and fast); resolves once it takes runs. */
export async function startWorker(url: string, name: string, extra: string[] = []): Promise<{ proc: ChildProcess; log: () => string }> {
  const proc = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--backend', 'wasm', '--name', name, ...extra], {
    env: { ...process.env, GAN_STUDIO_HOME: tempDir(`gan-studio-${name}`) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  proc.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  after(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
  for (let i = 0; i < 300 && !text.includes('is taking runs'); i++) {
    if (proc.exitCode !== null) throw new Error(`worker ${name} exited: ${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(text, /is taking runs/, `worker ${name} did not start: ${text}`);
  return { proc, log: () => text };
}
