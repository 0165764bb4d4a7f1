/**
 * The PyTorch peer (bench/pytorch_dcgan.py) as a child process that trains
 * when asked, so both engines can take turns on the same cores.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../bench/pytorch_dcgan.py', import.meta.url));

/** A Python that can import torch (Debian's python3-torch lives under /usr/bin/python3), or why none was found. */
export function findTorchPython(): { python: string } | { missing: string } {
  // GAN_STUDIO_PYTHON names the one interpreter to use.
  const candidates = process.env.GAN_STUDIO_PYTHON ? [process.env.GAN_STUDIO_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python };
  }
  return { missing: `PyTorch is not installed for ${candidates.join(' or ')} (on Debian: apt-get install python3-torch)` };
}

export class TorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly queue: ((line: string) => void)[] = [];
  private readonly early: string[] = [];
  private stderr = '';

  private constructor(python: string, threads: number) {
    this.child = spawn(python, [SCRIPT, '--threads', String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => {
      const next = this.queue.shift();
      if (next) next(line);
      else this.early.push(line);
    });
  }

  static async start(python: string, threads: number): Promise<{ peer: TorchPeer; version: string; threads: number }> {
    const peer = new TorchPeer(python, threads);
    const hello = JSON.parse(await peer.nextLine()) as { torch: string; threads: number };
    return { peer, version: hello.torch, threads: hello.threads };
  }

  private nextLine(): Promise<string> {
    const ready = this.early.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the PyTorch peer exited (code ${code}): ${this.stderr.trim().split('\n').at(-1) ?? ''}`));
      this.child.once('exit', onExit);
      this.queue.push((line) => {
        this.child.off('exit', onExit);
        resolve(line);
      });
    });
  }

  async train(steps: number): Promise<number[]> {
    this.child.stdin.write(JSON.stringify({ steps }) + '\n');
    return (JSON.parse(await this.nextLine()) as { ms: number[] }).ms;
  }

  close(): void {
    this.child.stdin.end();
    this.lines.close();
  }
}
