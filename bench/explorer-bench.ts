/**
 * How fast the explorer answers: one sample from explicit latents through
 * the service (generation worker, PNG encode), for the default networks at
 * 28, 32 and 64 px. Goal: ≤ 100 ms. `npm run bench:explorer [-- --json]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '../main/engine/backends.js';
import { resolveConfig } from '../main/families/run-config.js';
import { Rng } from '../main/engine/rng.js';
import { Trainer } from '../main/families/gan/trainer.js';
import { StudioService } from '../main/service/studio-service.js';

const json = process.argv.includes('--json');
const GOAL_MS = 100;
const home = mkdtempSync(join(tmpdir(), 'gan-studio-explorer-'));
const service = new StudioService(home);
await useBackend('wasm');
const results = [];
try {
  for (const [size, channels] of [[28, 1], [32, 3], [64, 3]] as const) {
    const config = resolveConfig({ dataset: `bench-${size}`, backend: 'wasm' });
    // Untrained weights draw exactly as fast as trained ones.
    const t = Trainer.create(config, { name: config.dataset, size, channels, count: 1, pixels: new Uint8Array(size * size * channels), labels: null, classNames: [] });
    const run = service.store.create(config);
    service.store.saveCheckpoint(run.id, await t.toCheckpoint());
    t.dispose();
    const rng = Rng.fromSeed(3);
    const times: number[] = [];
    for (let i = 0; i < 31; i++) {
      const latents = [Array.from(rng.normal(config.zDim))];
      const t0 = performance.now();
      const r = await service.call('samples.generate', { id: run.id, latents });
      if (!r.ok) throw new Error(r.error.message);
      // The first call loads the checkpoint into the worker; the explorer pays that once per run.
      if (i > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results.push({ size, channels, median_ms: Math.round(times[15] * 10) / 10, p90_ms: Math.round(times[27] * 10) / 10, meets_goal: times[15] <= GOAL_MS });
  }
} finally {
  await service.close();
  rmSync(home, { recursive: true, force: true });
}
if (json) console.log(JSON.stringify({ goal_ms: GOAL_MS, results }));
else for (const r of results) console.log(`${r.size}×${r.size}×${r.channels}: one sample in ${r.median_ms} ms median, ${r.p90_ms} ms p90 (goal ≤ ${GOAL_MS} ms: ${r.meets_goal ? 'met' : 'NOT met'})`);
