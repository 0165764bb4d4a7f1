import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, Script } from 'node:vm';
import { _electron } from 'playwright-core';
import { electronExecutable, electronPackage } from '../../electron/launcher.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../../electron/preload.cjs', import.meta.url));

/** The binary if `npm start` downloaded it once; looking never downloads (require('electron') would). */
function electronBinary(): string | null {
  const pkg = electronPackage(ROOT);
  return pkg && electronExecutable(pkg.dir);
}

function whyNotLaunch(): string | null {
  if (!electronBinary()) return 'Electron binary not downloaded (`npm start` downloads it on a machine with internet access)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display to open a window on (set DISPLAY, e.g. under xvfb-run)';
  return null;
}

const skip = whyNotLaunch();

/** Objects made inside the vm have its prototypes; IPC would structured-clone them anyway. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

test('the desktop app opens its window with the bridge and without Node', { skip: skip ?? false, timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'gan-studio-electron-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const env = Object.fromEntries(Object.entries({ ...process.env, GAN_STUDIO_HOME: home }).filter((e): e is [string, string] => e[1] !== undefined));
  const app = await _electron.launch({ executablePath: electronBinary()!, args: [ROOT], env });
  try {
    const win = await app.firstWindow();
    await win.waitForLoadState('domcontentloaded');
    assert.match(await win.title(), /GAN Studio/);
    assert.equal(await win.evaluate('window.studio && window.studio.kind'), 'electron');
    assert.equal(await win.evaluate('typeof window.require'), 'undefined');
    assert.equal(await win.evaluate('typeof window.process'), 'undefined');
    const backends = (await win.evaluate("window.studio.call('system.backends', {})")) as { ok: boolean };
    assert.equal(backends.ok, true);
  } finally {
    await app.close();
  }
});

/**
 * The preload runs here the way a sandboxed renderer runs it: wrapped in a
 * function whose require knows only 'electron', which is faked.
 */
describe('preload in a simulated sandbox', () => {
  type Handler = (event: unknown, ...args: unknown[]) => void;

  function loadPreload() {
    const exposed = new Map<string, Record<string, unknown>>();
    const handlers = new Map<string, Set<Handler>>();
    const invoked: [string, unknown][] = [];
    const required: string[] = [];
    const ipcRenderer = {
      invoke: async (channel: string, arg: unknown) => (invoked.push([channel, arg]), { ok: true, value: 'answer' }),
      on: (channel: string, h: Handler) => (handlers.get(channel) ?? handlers.set(channel, new Set()).get(channel)!).add(h),
      removeListener: (channel: string, h: Handler) => handlers.get(channel)?.delete(h),
    };
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer,
      webUtils: { getPathForFile: (f: { path: string }) => f.path },
    };
    const requireInSandbox = (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const source = readFileSync(PRELOAD, 'utf8');
    const wrapped = new Script(`(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${source}\n})`);
    const run = wrapped.runInContext(createContext({ console })) as (...args: unknown[]) => void;
    const module = { exports: {} };
    run(requireInSandbox, {}, undefined, {}, undefined, undefined, module.exports, module);
    const deliver = (channel: string, ...args: unknown[]) => {
      for (const h of handlers.get(channel) ?? []) h({ sender: 'ipc' }, ...args);
    };
    return { exposed, handlers, invoked, required, ipcRenderer, deliver };
  }

  test('it loads nothing but electron and exposes exactly studio and studioMenu', () => {
    const { exposed, required, ipcRenderer } = loadPreload();
    assert.deepEqual(required, ['electron']);
    assert.deepEqual([...exposed.keys()].sort(), ['studio', 'studioMenu']);
    assert.deepEqual(Object.keys(exposed.get('studio')!).sort(), ['call', 'kind', 'pathsForFiles', 'subscribe']);
    assert.deepEqual(Object.keys(exposed.get('studioMenu')!), ['onMenu']);
    assert.equal(exposed.get('studio')!.kind, 'electron');
    for (const api of exposed.values()) for (const v of Object.values(api)) assert.notEqual(v, ipcRenderer);
  });

  test('call invokes studio:call with {name, input} and returns the answer', async () => {
    const { exposed, invoked } = loadPreload();
    const call = exposed.get('studio')!.call as (name: string, input: unknown) => Promise<unknown>;
    assert.deepEqual(await call('runs.list', { text: 'a' }), { ok: true, value: 'answer' });
    assert.deepEqual(plain(invoked), [['studio:call', { name: 'runs.list', input: { text: 'a' } }]]);
  });

  test('subscribe shares one IPC listener, passes (name, payload) and unsubscribes', () => {
    const { exposed, handlers, deliver } = loadPreload();
    const subscribe = exposed.get('studio')!.subscribe as (l: (name: string, payload: unknown) => void) => () => void;
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = subscribe((name, payload) => a.push([name, payload]));
    subscribe((name, payload) => b.push([name, payload]));
    assert.equal(handlers.get('studio:event')?.size, 1);
    deliver('studio:event', { name: 'run.status', payload: { id: 'x' } });
    deliver('studio:event', 'garbage');
    offA();
    deliver('studio:event', { name: 'run.finished', payload: null });
    assert.deepEqual(a, [['run.status', { id: 'x' }]]);
    assert.deepEqual(b, [
      ['run.status', { id: 'x' }],
      ['run.finished', null],
    ]);
  });

  test('onMenu delivers import-dataset only, and stops when asked', () => {
    const { exposed, handlers, deliver } = loadPreload();
    const onMenu = exposed.get('studioMenu')!.onMenu as (l: (action: string) => void) => () => void;
    const got: string[] = [];
    const off = onMenu((action) => got.push(action));
    deliver('studio:menu', 'import-dataset');
    deliver('studio:menu', 'format-disk');
    off();
    deliver('studio:menu', 'import-dataset');
    assert.deepEqual(got, ['import-dataset']);
    assert.equal(handlers.get('studio:menu')?.size, 0);
  });

  test('pathsForFiles gives the files’ paths, leaving out files that are not on disk', () => {
    const { exposed } = loadPreload();
    const pathsForFiles = exposed.get('studio')!.pathsForFiles as (files: { path: string }[]) => string[];
    assert.deepEqual(plain(pathsForFiles([{ path: '/a/b.png' }, { path: '' }, { path: '/c.zip' }])), ['/a/b.png', '/c.zip']);
  });

  test('datasets.import forwards only paths the page got from dropped or picked files', async () => {
    const { exposed, invoked } = loadPreload();
    const studio = exposed.get('studio')!;
    const call = studio.call as (name: string, input: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>;
    const pathsForFiles = studio.pathsForFiles as (files: { path: string }[]) => string[];
    const importing = (paths: unknown) => call('datasets.import', { name: 'flowers', paths });

    for (const invented of [['/home/me'], ['/'], ['\\\\host\\share'], 'not-a-list', []]) {
      const r = await importing(invented);
      assert.equal(r.ok, false, JSON.stringify(invented));
      assert.equal(r.error?.code, 'FORBIDDEN');
    }
    assert.equal(invoked.length, 0, 'nothing invented reached the main process');

    const dropped = pathsForFiles([{ path: '/home/me/flowers' }, { path: '/home/me/more.zip' }]);
    assert.equal((await importing(dropped)).ok, true);
    assert.equal((await importing(['/home/me/more.zip'])).ok, true, 'a subset of what was dropped');
    assert.equal((await importing([...dropped, '/home/me'])).ok, false, 'one invented path refuses the call');
    assert.deepEqual(plain(invoked.map(([, arg]) => (arg as { input: { paths: string[] } }).input.paths)), plain([dropped, ['/home/me/more.zip']]));
  });
});
