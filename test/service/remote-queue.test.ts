/**
 * The remote queue as BullMQ keeps it, seen and steered from the studio:
 * priorities, delayed runs, reordering and cancelling waiting runs, jobs
 * that end without a word from a worker of ours, and sweeps queued on the
 * workers as one tagged group. A real redis-server on a loopback port.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { databasePath } from '../../main/db/database.js';
import { StudioService } from '../../main/service/studio-service.js';
import { tempDir } from '../support/helpers.js';
import { freePort, hasRedis, startWorker, TestRedis } from '../support/redis.js';
import { ok, until } from '../support/service.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));
const CONFIG = { dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, backend: 'wasm', steps: 4, checkpointEvery: 4, seed: 3 } as const;

describe('the remote queue', { skip: !hasRedis && !process.env.CI && 'redis-server is not installed' }, () => {
  let redis: TestRedis;
  let queue: Queue;

  after(async () => {
    await queue?.close();
    await redis?.close();
  });
  before(async () => {
    redis = await TestRedis.start();
    queue = new Queue('train', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'gan-studio' });
  });

  /** Every job left in the queue goes, so each test starts from an empty one. */
  async function emptyQueue() {
    await queue.obliterate({ force: true });
  }

  test('priorities, a delayed run, reordering and cancelling: workers take runs in the order the queue panel shows', async () => {
    await emptyQueue();
    const s = new StudioService(tempDir('gan-studio-studio'), { redis: { url: redis.url() } });
    try {
      const queueRun = async (name: string, queueOpts?: object) => (await ok(s, 'runs.create', { name, config: CONFIG, remote: true, queue: queueOpts })).id;
      const a = await queueRun('a');
      const b = await queueRun('b', { priority: 'normal' });
      const c = await queueRun('c', { priority: 'high' });
      const d = await queueRun('d', { priority: 'low' });
      const later = await queueRun('later', { delayMinutes: 60 });
      const gone = await queueRun('gone');
      const names = (q: { runs: { name: string }[] }) => q.runs.map((r) => r.name);

      let q = await ok(s, 'remote.queue', {});
      assert.deepEqual(names(q), ['c', 'a', 'b', 'gone', 'd', 'later'], 'high first, then in the order queued, low last, the delayed after');
      assert.deepEqual(q.runs.map((r) => r.state), ['waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'delayed']);
      const due = q.runs.at(-1)!.startsAt!;
      assert.ok(Math.abs(due - (Date.now() + 3600_000)) < 60_000, `the delayed run is due in an hour, not at ${new Date(due).toISOString()}`);

      // Cancelling a waiting run takes it out of the queue at once.
      assert.equal((await ok(s, 'runs.stop', { id: gone })).status, 'stopped');
      // The low-priority run to the front, then b; the rest keep their order after them.
      q = { ...q, runs: (await ok(s, 'remote.reorder', { ids: [d, b] })).runs };
      assert.deepEqual(names(q), ['d', 'b', 'c', 'a', 'later']);
      assert.deepEqual(names(await ok(s, 'remote.queue', {})), ['d', 'b', 'c', 'a', 'later'], 'the order is BullMQ\'s, read back');
      assert.equal((await queue.getJobs(['prioritized'])).length, 4);
      // The CLI sees the same queue (and moves a run with --first).
      const cli = spawnSync(process.execPath, [BIN, 'queue', '--redis', redis.url(), '--first', c, '--json'], { env: { ...process.env, GAN_STUDIO_HOME: s.home }, encoding: 'utf8', timeout: 60_000 });
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(names(JSON.parse(cli.stdout) as { runs: { name: string }[] }), ['c', 'd', 'b', 'a', 'later']);
      await ok(s, 'remote.reorder', { ids: [d, b, c] });

      // One worker slot: the runs start in exactly that order.
      const started: string[] = [];
      s.on('run.started', (e) => started.push(e.id));
      const finished = new Set<string>();
      const allDone = new Promise<void>((resolve) => s.on('run.finished', (e) => finished.add(e.id) && finished.size === 4 && resolve()));
      const w = await startWorker(redis.url(), 'orderly');
      await allDone;
      assert.deepEqual(started, [d, b, c, a]);
      for (const id of [a, b, c, d]) assert.equal(s.store.get(id).status, 'completed');

      // The delayed run waits for its time; promoted, it trains now.
      assert.equal(s.store.get(later).status, 'queued');
      assert.deepEqual(names(await ok(s, 'remote.queue', {})), ['later']);
      const job = (await queue.getJobs(['delayed']))[0];
      await job.promote();
      await until(s, 'run.finished', (e) => e.id === later);
      assert.equal(s.store.get(later).status, 'completed');
      assert.equal(s.store.get(gone).status, 'stopped');
      assert.equal(s.store.readMetrics(gone).length, 0, 'a run cancelled in the queue never trained');
      assert.deepEqual((await ok(s, 'remote.queue', {})).runs, []);
      w.proc.kill('SIGTERM');
    } finally {
      await s.close();
    }
  });

  test('a job that fails without a word from a worker of ours, or leaves the queue, fails its run with the reason', async () => {
    await emptyQueue();
    const s = new StudioService(tempDir('gan-studio-studio'), { redis: { url: redis.url() } });
    // Not a gan-studio worker: it fails whatever it takes, as BullMQ does a job that stalled too often.
    const rogue = new Worker('train', async () => {
      throw new Error('the GPU fell off the bus');
    }, { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'gan-studio' });
    try {
      const failing = (await ok(s, 'runs.create', { config: CONFIG, remote: true })).id;
      const finished = await until(s, 'run.finished', (e) => e.id === failing);
      assert.match(finished.error ?? '', /its job failed on the workers: the GPU fell off the bus; resume it/);
      const r = s.store.get(failing);
      assert.equal(r.status, 'failed');
      assert.deepEqual(r.remote, { worker: null, active: false });
      await rogue.close();

      const removed = (await ok(s, 'runs.create', { config: CONFIG, remote: true })).id;
      const job = (await queue.getJobs(['prioritized']))[0];
      assert.equal(job.data.run, removed);
      await job.remove();
      const end = await until(s, 'run.finished', (e) => e.id === removed);
      assert.match(end.error ?? '', /left the queue without finishing/);
      assert.equal(s.store.get(removed).status, 'failed');

      // Failed runs are resumable: queued again, a worker of ours trains them.
      const w = await startWorker(redis.url(), 'mender');
      await ok(s, 'runs.start', { id: failing, remote: true });
      const done = await until(s, 'run.finished', (e) => e.id === failing);
      assert.equal(done.summary?.status, 'completed');
      assert.equal(s.store.readMetrics(failing).length, CONFIG.steps);
      w.proc.kill('SIGTERM');
    } finally {
      await rogue.close();
      await s.close();
    }
  });

  test('a sweep queued on the workers: every combination, one tag, in order, and they open in compare', async () => {
    await emptyQueue();
    const s = new StudioService(tempDir('gan-studio-studio'), { redis: { url: redis.url() } });
    try {
      const sweep = await ok(s, 'runs.sweep', { name: 'grid', config: CONFIG, vary: { loss: ['bce', 'hinge'], seed: [1, 2] }, remote: true, queue: { priority: 'low' } });
      assert.match(sweep.tag, /^sweep-\d{8}-\d{6}$/);
      assert.deepEqual(sweep.runs.map((r) => r.name), ['grid · loss=bce seed=1', 'grid · loss=bce seed=2', 'grid · loss=hinge seed=1', 'grid · loss=hinge seed=2']);
      assert.deepEqual(sweep.runs.map((r) => [r.config.loss, r.config.seed, r.status]), [['bce', 1, 'queued'], ['bce', 2, 'queued'], ['hinge', 1, 'queued'], ['hinge', 2, 'queued']]);
      const q = await ok(s, 'remote.queue', {});
      assert.deepEqual(q.runs.map((r) => r.run), sweep.runs.map((r) => r.id), 'queued in grid order');
      assert.ok(q.runs.every((r) => r.priority === q.runs[0].priority && r.priority > 1024), 'at the low priority asked for');

      const finished = new Set<string>();
      const allDone = new Promise<void>((resolve) => s.on('run.finished', (e) => finished.add(e.id) && finished.size === 4 && resolve()));
      const w = await startWorker(redis.url(), 'sweeper');
      await allDone;
      const group = await ok(s, 'runs.list', { tag: sweep.tag });
      assert.deepEqual(group.map((r) => r.status), ['completed', 'completed', 'completed', 'completed']);
      const cmp = await ok(s, 'runs.compare', { ids: group.map((r) => r.id) });
      assert.deepEqual(cmp.differingSettings.sort(), ['loss', 'seed']);
      // Different seeds and losses trained differently.
      const last = group.map((r) => s.store.lastMetrics(r.id)!.gLoss);
      assert.equal(new Set(last).size, 4);
      w.proc.kill('SIGTERM');
    } finally {
      await s.close();
    }
  });

  test('Settings points the studio at a Redis: checked first, saved without its password, which only a keychain keeps', async () => {
    const secret = 's3cret-for-settings';
    const locked = await TestRedis.start(['--requirepass', secret]);
    after(() => locked.close());
    const home = tempDir('gan-studio-studio');
    // The desktop app's keychain, as the service sees it (electron/keychain.ts puts safeStorage behind this).
    const keychain = new Map<string, string>();
    const secrets = { get: (k: string) => keychain.get(k) ?? null, set: (k: string, v: string) => void keychain.set(k, v), delete: (k: string) => void keychain.delete(k) };
    const saved = (db: StudioService) => db.store.db.prepare("SELECT value FROM settings WHERE key = 'remote.redis'").pluck().get() as string | undefined;

    let s = new StudioService(home, { secrets });
    try {
      assert.deepEqual(await ok(s, 'remote.settings', {}), { redis: null, tls: false, from: null, connected: false, error: null, keychain: true });
      // Nothing answers there, or the password is wrong: refused, and nothing is saved or changed.
      const closed = await s.call('remote.connect', { url: `redis://127.0.0.1:${await freePort()}` });
      assert.equal(!closed.ok && closed.error.code, 'UNAVAILABLE');
      const wrong = await s.call('remote.connect', { url: locked.url(), password: 'guess' });
      assert.match(!wrong.ok ? wrong.error.message : '', /WRONGPASS|invalid username-password/i);
      assert.ok(!(!wrong.ok && wrong.error.message.includes('guess')));
      const bad = await s.call('remote.connect', { url: 'http://127.0.0.1:6379' });
      assert.match(!bad.ok ? bad.error.message : '', /must start with redis:\/\/ or rediss:\/\//);
      assert.equal(saved(s), undefined);
      assert.equal((await ok(s, 'remote.settings', {})).redis, null);

      const on = await ok(s, 'remote.connect', { url: locked.url(), password: secret });
      assert.deepEqual(on, { redis: `redis://:***@127.0.0.1:${locked.port}`, tls: false, from: 'settings', connected: true, error: null, keychain: true });
      assert.deepEqual(JSON.parse(saved(s)!), { url: `redis://127.0.0.1:${locked.port}`, tls: false, password: true });
      assert.deepEqual([...keychain], [['redis-password', secret]]);
      const id = (await ok(s, 'runs.create', { config: CONFIG, remote: true })).id;
      assert.equal((await ok(s, 'remote.queue', {})).runs[0].run, id, 'queued through the Redis set in Settings');
    } finally {
      await s.close();
    }
    assert.ok(!readFileSync(databasePath(home)).includes(secret), 'the password is not in the database');

    // Opened again with the keychain: connected at once, and the queued run is still followed.
    s = new StudioService(home, { secrets });
    try {
      assert.equal((await ok(s, 'remote.settings', {})).connected, true);
      assert.equal((await ok(s, 'remote.queue', {})).runs.length, 1);
    } finally {
      await s.close();
    }
    // Without one (browser mode, the CLI): the address is known, the password is asked for.
    s = new StudioService(home);
    try {
      const st = await ok(s, 'remote.settings', {});
      assert.equal(st.connected, false);
      assert.match(st.error ?? '', /needs its password: enter it in Settings/);
      const r = await s.call('runs.create', { config: CONFIG, remote: true });
      assert.match(!r.ok ? r.error.message : '', /needs its password/);
      assert.equal((await ok(s, 'remote.connect', { url: `redis://127.0.0.1:${locked.port}`, password: secret, remember: false })).connected, true);
      assert.equal(saved(s), undefined, 'not remembered: the saved address is forgotten too');
    } finally {
      await s.close();
    }
    // --redis wins over Settings; disconnecting forgets the saved Redis and its keychain entry.
    s = new StudioService(home, { secrets, redis: { url: locked.url(secret) } });
    try {
      assert.equal((await ok(s, 'remote.settings', {})).from, 'command line');
      await ok(s, 'remote.connect', { url: locked.url(secret) });
      assert.ok(saved(s) && keychain.size === 1);
      assert.deepEqual(await ok(s, 'remote.disconnect', {}), { redis: null, tls: false, from: null, connected: false, error: null, keychain: true });
      assert.equal(saved(s), undefined);
      assert.equal(keychain.size, 0);
      const r = await s.call('runs.create', { config: CONFIG, remote: true });
      assert.match(!r.ok ? r.error.message : '', /no Redis is set for remote training; set one in Settings/);
    } finally {
      await s.close();
    }
  });

  test('a studio closed while its Redis is gone closes at once, and follows its runs again once Redis is back', async () => {
    const flaky = await TestRedis.start();
    after(() => flaky.close());
    const home = tempDir('gan-studio-studio');
    let s = new StudioService(home, { redis: { url: flaky.url() } });
    const id = (await ok(s, 'runs.create', { config: CONFIG, remote: true })).id;
    await flaky.stop();
    const t = performance.now();
    // It used to wait for ever on the stream read it had under way.
    await s.close();
    assert.ok(performance.now() - t < 10_000, `closing took ${Math.round(performance.now() - t)} ms`);
    await flaky.up();
    s = new StudioService(home, { redis: { url: flaky.url() } });
    try {
      assert.deepEqual((await ok(s, 'remote.queue', {})).runs.map((r) => r.run), [id]);
      const finished = until(s, 'run.finished', (e) => e.id === id);
      const w = await startWorker(flaky.url(), 'returning');
      const done = await finished;
      assert.equal(done.summary?.status, 'completed');
      assert.equal(s.store.readMetrics(id).length, CONFIG.steps);
      w.proc.kill('SIGTERM');
    } finally {
      await s.close();
    }
  });
});
