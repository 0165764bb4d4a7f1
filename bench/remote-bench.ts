/**
 * Remote training's costs on one machine, with a redis-server of its own on
 * loopback: (1) a run trained by a `gan-studio worker` process against the
 * same run trained by the studio itself — images/s while training and the
 * wall time from queueing to the last evaluation, alternating, medians of
 * --reps; (2) how fast the studio ingests a run's event stream: a stream
 * filled with step events first, then drained, as events and metric rows per
 * second. `npm run bench:remote [-- --steps 60 --reps 3 --backend wasm --json]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { resolveConfig } from '../main/families/run-config.js';
import type { StepMetrics } from '../main/engine/step-metrics.js';
import { StreamIngest } from '../main/remote/ingest.js';
import { keys } from '../main/remote/keys.js';
import { followRemote, remoteRun } from '../main/runs/remote-jobs.js';
import { RunStore } from '../main/runs/store.js';
import { StudioService } from '../main/service/studio-service.js';
import { TestRedis } from '../test/support/redis.js';

const { values: o } = parseArgs({
  options: { steps: { type: 'string', default: '60' }, reps: { type: 'string', default: '3' }, backend: { type: 'string', default: 'wasm' }, events: { type: 'string', default: '20000' }, json: { type: 'boolean' } },
});
const STEPS = Number(o.steps);
const REPS = Number(o.reps);
const BIN = fileURLToPath(new URL('../../bin/gan-studio.js', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const say = (m: string) => !o.json && console.error(m);

const redis = await TestRedis.start();
const temp = mkdtempSync(join(tmpdir(), 'gan-studio-remote-bench-'));
const url = redis.url();
try {
  const config = { dataset: 'builtin:mnist', steps: STEPS, checkpointEvery: Math.max(10, Math.floor(STEPS / 2)), backend: o.backend, seed: 1 };
  const worker = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--backend', o.backend!, '--name', 'bench'], {
    env: { ...process.env, GAN_STUDIO_HOME: join(temp, 'worker') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  worker.stderr.on('data', (d: Buffer) => (log += d.toString()));
  while (!log.includes('is taking runs')) {
    if (worker.exitCode !== null) throw new Error(log);
    await new Promise((r) => setTimeout(r, 100));
  }
  const service = new StudioService(join(temp, 'studio'), { redis: { url } });
  const trial = async (remote: boolean) => {
    const t = performance.now();
    const r = await service.call('runs.create', { config, remote });
    if (!r.ok) throw new Error(r.error.message);
    const done = await new Promise<{ imagesPerSec: number }>((resolve, reject) =>
      service.on('run.finished', (e) => e.id === r.value.id && (e.summary ? resolve(e.summary) : reject(new Error(e.error ?? 'failed')))),
    );
    return { imagesPerSec: done.imagesPerSec, wallS: (performance.now() - t) / 1000 };
  };
  const local: { imagesPerSec: number; wallS: number }[] = [];
  const remote: typeof local = [];
  for (let i = 0; i < REPS; i++) {
    local.push(await trial(false));
    remote.push(await trial(true));
    say(`rep ${i + 1}: local ${local[i].imagesPerSec.toFixed(1)} img/s, ${local[i].wallS.toFixed(1)} s; remote ${remote[i].imagesPerSec.toFixed(1)} img/s, ${remote[i].wallS.toFixed(1)} s`);
  }
  await service.close();
  worker.kill('SIGTERM');

  // Ingest: a run's stream filled with step events, then drained by the studio.
  const home = join(temp, 'ingest');
  const store = new RunStore(home);
  const client = new Redis({ host: '127.0.0.1', port: redis.port });
  const ingestRates = [];
  for (const perEvent of [1, 50]) {
    const run = store.create(resolveConfig({ dataset: 'builtin:mnist', steps: 1e7 }));
    const events = Number(o.events);
    let step = 0;
    for (let i = 0; i < events; i += 500) {
      const m = client.multi();
      for (let j = i; j < Math.min(events, i + 500); j++) {
        const metrics: StepMetrics[] = Array.from({ length: perEvent }, () => ({ step: ++step, dLoss: Math.random(), gLoss: Math.random(), dReal: 0.5, dFake: 0.5, accReal: 0.5, accFake: 0.5, ms: 10, imagesPerSec: 100 }));
        m.xadd(keys.events(run.id), '*', 'e', JSON.stringify({ type: 'steps', metrics }));
      }
      await m.exec();
    }
    const last = (await client.xrevrange(keys.events(run.id), '+', '-', 'COUNT', 1))[0][0];
    followRemote(store.db, run.id, 'bench', '0-0');
    const t = performance.now();
    const ingest = new StreamIngest(store, home, new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null }), client, { event: () => {}, finished: () => {} });
    ingest.start();
    while (remoteRun(store.db, run.id)?.cursor !== last) await new Promise((r) => setTimeout(r, 20));
    const s = (performance.now() - t) / 1000;
    await ingest.close();
    ingestRates.push({ rowsPerEvent: perEvent, events, seconds: Math.round(s * 100) / 100, eventsPerSec: Math.round(events / s), rowsPerSec: Math.round((events * perEvent) / s) });
    say(`ingest, ${perEvent} step(s) per event: ${events} events in ${s.toFixed(2)} s — ${Math.round(events / s)} events/s, ${Math.round((events * perEvent) / s)} metric rows/s`);
  }
  client.disconnect();
  store.close();

  const result = {
    steps: STEPS,
    reps: REPS,
    backend: o.backend,
    local: { imagesPerSec: median(local.map((x) => x.imagesPerSec)), wallS: median(local.map((x) => x.wallS)) },
    remote: { imagesPerSec: median(remote.map((x) => x.imagesPerSec)), wallS: median(remote.map((x) => x.wallS)) },
    ingest: ingestRates,
  };
  if (o.json) console.log(JSON.stringify(result));
  else {
    console.log(`training, median of ${REPS}: local ${result.local.imagesPerSec.toFixed(1)} img/s (${result.local.wallS.toFixed(1)} s wall), remote ${result.remote.imagesPerSec.toFixed(1)} img/s (${result.remote.wallS.toFixed(1)} s wall): remote/local ${(result.remote.imagesPerSec / result.local.imagesPerSec).toFixed(3)}× in img/s, ${(result.remote.wallS / result.local.wallS).toFixed(3)}× in wall time`);
    for (const r of ingestRates) console.log(`ingest: ${r.eventsPerSec} events/s, ${r.rowsPerSec} metric rows/s (${r.rowsPerEvent} step(s) per event)`);
  }
} finally {
  await redis.close();
  rmSync(temp, { recursive: true, force: true });
}
