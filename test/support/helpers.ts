import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { useBackend } from '../../main/engine/backends.js';
import { resolveConfig, type TrainConfigInput } from '../../main/families/run-config.js';
import { tf } from '../../main/engine/tf.js';

export { tf };

/** A fresh folder removed when the test file ends. */
export function tempDir(label = 'gan-studio-test'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function onBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await useBackend(name);
}

/** A network small enough that a step takes milliseconds on the cpu backend. */
export function tinyConfig(over: Partial<TrainConfigInput> = {}) {
  // bce pinned: the tests of the mechanisms were written for it, whatever the preset's loss.
  return resolveConfig({ dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, backend: 'cpu', loss: 'bce', ...over });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
