import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCall, dispatchCall, originOf, unsafeImportPath, type CallEvent, type ExpectedSender, type StatPath } from '../../electron/ipc-guard.js';
import { resolveRendererFile } from '../../electron/renderer-files.js';
import { decideNavigation } from '../../electron/navigation.js';
import { RunProgress } from '../../electron/progress.js';

const WINDOW: ExpectedSender = { webContentsId: 7, origin: 'studio://app' };
/** A call from the window's main frame: Electron gives the same WebFrameMain object as senderFrame and sender.mainFrame. */
const fromWindow = (url = 'studio://app/index.html', id = 7): CallEvent => {
  const frame = { url };
  return { sender: { id, mainFrame: frame }, senderFrame: frame };
};

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-studio-ipc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a call through the guard with a service that records whether it was reached. */
async function dispatch(event: CallEvent, payload: unknown, stat?: StatPath) {
  const reached: unknown[] = [];
  const result = await dispatchCall(event, payload, WINDOW, async (name, input) => (reached.push({ name, input }), { ok: true as const, value: 'served' }), stat);
  return { result, reached };
}

async function refused(event: CallEvent, payload: unknown, code: 'FORBIDDEN' | 'INVALID_INPUT', stat?: StatPath) {
  const { result, reached } = await dispatch(event, payload, stat);
  assert.equal(reached.length, 0, 'the service must not be reached');
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error.code === code, `expected ${code}, got ${JSON.stringify(result)}`);
  return result.ok ? '' : result.error.message;
}

describe('studio:call sender checks', () => {
  const call = { name: 'runs.list', input: {} };

  test('a well-formed call from the window passes, input untouched', async () => {
    const { result, reached } = await dispatch(fromWindow(), { name: 'runs.list', input: { text: 'x' } });
    assert.deepEqual(result, { ok: true, value: 'served' });
    assert.deepEqual(reached, [{ name: 'runs.list', input: { text: 'x' } }]);
  });

  test('a page route of our own origin is accepted', async () => {
    const { reached } = await dispatch(fromWindow('studio://app/runs/20240101-000000-abcd#x'), call);
    assert.equal(reached.length, 1);
  });

  test('another webContents is refused', async () => {
    await refused(fromWindow('studio://app/index.html', 8), call, 'FORBIDDEN');
  });

  test('a subframe of our own origin in our window is refused: only the main frame may call', async () => {
    const main = { url: 'studio://app/index.html' };
    const message = await refused({ sender: { id: 7, mainFrame: main }, senderFrame: { url: 'studio://app/index.html' } }, call, 'FORBIDDEN');
    assert.match(message, /subframe/);
  });

  for (const url of ['https://evil.example/', 'file:///home/me/index.html', 'studio://evil/index.html', 'studio://user:pw@app/index.html', 'http://app/', 'about:blank', 'not a url']) {
    test(`origin ${url} is refused`, async () => {
      await refused(fromWindow(url), call, 'FORBIDDEN');
    });
  }

  test('a missing senderFrame is refused', async () => {
    await refused({ sender: { id: 7, mainFrame: null }, senderFrame: null }, call, 'FORBIDDEN');
  });

  test('a frame that throws on access (destroyed) is refused', async () => {
    const event = {
      sender: { id: 7, mainFrame: {} },
      get senderFrame(): { url: string } {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    await refused(event, call, 'FORBIDDEN');
  });

  test('the sender is checked before the payload', async () => {
    await refused(fromWindow('studio://app/', 8), 'garbage', 'FORBIDDEN');
  });

  test('originOf rebuilds the origin Node reports as "null" for custom schemes', () => {
    assert.equal(new URL('studio://app/index.html').origin, 'null');
    assert.equal(originOf('studio://app/index.html'), 'studio://app');
    assert.equal(originOf('file:///x'), null);
  });
});

describe('studio:call payload checks', () => {
  const malformed: [string, unknown][] = [
    ['not an object (string)', 'runs.list'],
    ['not an object (null)', null],
    ['not an object (array)', ['runs.list', {}]],
    ['missing name', { input: {} }],
    ['unknown command', { name: 'runs.explode', input: {} }],
    ['inherited property as command', { name: 'toString', input: {} }],
    ['prototype key as command', { name: '__proto__', input: {} }],
    ['name not a string', { name: 42, input: {} }],
    ['extra keys', { name: 'runs.list', input: {}, sender: 'main' }],
  ];
  for (const [what, payload] of malformed) {
    test(`${what} is refused as INVALID_INPUT`, async () => {
      const message = await refused(fromWindow(), payload, 'INVALID_INPUT');
      assert.match(message, /^malformed call: /);
    });
  }

  test('checkCall names the command and leaves input validation to the service', async () => {
    const r = await checkCall(fromWindow(), { name: 'runs.show', input: { id: 'not-a-run' } }, WINDOW);
    assert.deepEqual(r, { ok: true, name: 'runs.show', input: { id: 'not-a-run' } });
  });
});

describe('datasets.import path checks', () => {
  const importing = (paths: unknown) => ({ name: 'datasets.import', input: { name: 'flowers', paths } });

  test('existing absolute paths pass', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.png');
    writeFileSync(file, 'x');
    mkdirSync(join(dir, 'sub'));
    const { reached } = await dispatch(fromWindow(), importing([file, join(dir, 'sub')]));
    assert.equal(reached.length, 1);
  });

  test('relative, UNC, device and NUL paths are refused without touching the disk', async () => {
    const stat: StatPath = async (p) => assert.fail(`stat(${p}) called`);
    for (const p of ['pictures/flowers', '//server/share/flowers', '\\\\server\\share', '\\\\.\\PhysicalDrive0', '\\\\?\\C:\\x', `${tmpdir()}/a\0b`, '']) {
      await refused(fromWindow(), importing([p]), 'INVALID_INPUT', stat);
    }
  });

  test('Windows rules: drive-absolute paths only; UNC, device and drive-relative paths are unsafe', () => {
    assert.equal(unsafeImportPath('C:\\Users\\me\\flowers', 'win32'), false);
    assert.equal(unsafeImportPath('D:/data/flowers.zip', 'win32'), false);
    for (const p of ['\\\\host\\share\\x', '//host/share/x', '\\\\?\\C:\\x', '\\\\.\\COM1', 'C:flowers', '\\flowers', 'flowers']) {
      assert.equal(unsafeImportPath(p, 'win32'), true, p);
    }
    assert.equal(unsafeImportPath('/home/me/flowers', 'linux'), false);
    assert.equal(unsafeImportPath('//home/me', 'linux'), true);
  });

  test('a missing path and a forbidden path get the same message shape, so a page cannot probe the disk', async () => {
    const missing = join(tempDir(), 'gone', 'flowers.zip');
    const a = await refused(fromWindow(), importing([missing]), 'INVALID_INPUT');
    const b = await refused(fromWindow(), importing(['//server/share']), 'INVALID_INPUT');
    assert.equal(a.replace(JSON.stringify(missing), 'P'), b.replace(JSON.stringify('//server/share'), 'P'));
  });

  test('one bad path among good ones refuses the whole call', async () => {
    const dir = tempDir();
    await refused(fromWindow(), importing([dir, join(dir, 'nope')]), 'INVALID_INPUT');
  });

  test('stats are asynchronous and run a few at a time, however long the list', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const stat: StatPath = async (p) => {
      seen.push(p);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (p.endsWith('missing')) throw new Error('ENOENT');
    };
    const paths = Array.from({ length: 500 }, (_, i) => join(tmpdir(), `f${i}.png`));
    const { reached } = await dispatch(fromWindow(), importing(paths), stat);
    assert.equal(reached.length, 1);
    assert.deepEqual(seen.sort(), [...paths].sort());
    assert.ok(most > 1 && most <= 16, `at most 16 at once, saw ${most}`);
    await refused(fromWindow(), importing([join(tmpdir(), 'missing')]), 'INVALID_INPUT', stat);
  });

  test('other commands are not stat-checked; odd shapes are left to the service schema', async () => {
    const stat: StatPath = async () => assert.fail('stat called');
    assert.equal((await dispatch(fromWindow(), { name: 'runs.list', input: { paths: ['relative'] } }, stat)).reached.length, 1);
    assert.equal((await dispatch(fromWindow(), importing('not-an-array'), stat)).reached.length, 1);
  });
});

describe('studio:// file serving', () => {
  const root = tempDir();
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), '');

  test('serves files with their type, and index.html for / and routes', () => {
    assert.deepEqual(resolveRendererFile(root, '/assets/app.js'), { ok: true, path: join(root, 'assets', 'app.js'), contentType: 'text/javascript; charset=utf-8' });
    for (const p of ['/', '/runs/abc']) {
      const r = resolveRendererFile(root, p);
      assert.ok(r.ok && r.path === join(root, 'index.html'), p);
    }
  });

  test('refuses to leave the renderer folder', () => {
    for (const p of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x.js', '/..\\x.js']) {
      const r = resolveRendererFile(root, p);
      assert.ok(!r.ok || r.path.startsWith(root), `${p} → ${JSON.stringify(r)}`);
      if (r.ok) assert.equal(r.path, join(root, 'index.html'), p);
    }
  });

  test('missing assets are 404, bad escapes 400, an unbuilt interface 503', () => {
    assert.deepEqual(resolveRendererFile(root, '/assets/missing.js'), { ok: false, status: 404, message: 'not found' });
    assert.equal((resolveRendererFile(root, '/%E0%A4%A') as { status: number }).status, 400);
    assert.equal((resolveRendererFile(root, '/a%00.js') as { status: number }).status, 400);
    assert.equal((resolveRendererFile(join(root, 'assets'), '/') as { status: number }).status, 503);
  });
});

describe('window navigation and progress', () => {
  test('navigation: only the current URL; everything else, https included, is denied and opens nothing', () => {
    const here = 'studio://app/index.html';
    assert.equal(decideNavigation(here, here), 'allow');
    for (const url of ['https://example.org/', 'http://example.org/', 'file:///etc/passwd', 'studio://app/other.html', 'javascript:alert(1)', 'mailto:a@b.c']) {
      assert.equal(decideNavigation(url, here), 'deny', url);
    }
  });

  test('the progress bar follows the last reporting run and clears when it finishes', () => {
    const p = new RunProgress();
    const step = (id: string, s: number, target = 1000) => p.progress({ id, metrics: { step: s }, target });
    assert.equal(step('a', 100), 0.1);
    assert.equal(step('a', 100), null, 'unchanged: no update');
    assert.equal(step('a', 1500), 1, 'clamped');
    assert.equal(p.finished('b'), null, 'another run ending leaves the bar');
    assert.equal(step('b', 0, 0), 0);
    assert.equal(p.finished('a'), null);
    assert.equal(p.finished('b'), -1);
    assert.equal(p.finished('b'), null);
  });
});
