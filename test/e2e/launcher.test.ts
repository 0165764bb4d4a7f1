/**
 * `npm start`: what decides between the desktop app and browser mode, and
 * the launcher itself on a machine like ours (no display, no Electron binary).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addonBuiltForAbi,
  displayMissing,
  electronExecutable,
  nodeTooOld,
  ensureElectronBinary,
  errorLine,
  sqliteForElectronPath,
} from '../../electron/launcher.js';
import { openDatabase } from '../../main/db/database.js';
import { tempDir } from '../support/helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A stand-in for the electron package: its install.js is what ensureElectronBinary runs. */
function fakeElectron(install: string, version = '45.5.0') {
  const dir = tempDir('gan-studio-electron-pkg');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  writeFileSync(join(dir, 'install.js'), install);
  return { dir, version };
}

describe('choosing the desktop app', () => {
  test('Linux needs DISPLAY or WAYLAND_DISPLAY; other systems always have a display', () => {
    assert.match(displayMissing('linux', {}) ?? '', /no display/);
    assert.equal(displayMissing('linux', { DISPLAY: ':0' }), null);
    assert.equal(displayMissing('linux', { WAYLAND_DISPLAY: 'wayland-0' }), null);
    assert.equal(displayMissing('darwin', {}), null);
    assert.equal(displayMissing('win32', {}), null);
  });

  test('Node 22.12 or newer sets the desktop app up; older Node says so', () => {
    for (const v of ['22.12.0', '22.23.5', '24.0.0', '30.1.2']) assert.equal(nodeTooOld(v), null, v);
    for (const v of ['20.20.2', '22.11.9', '18.0.0']) assert.match(nodeTooOld(v) ?? '', new RegExp(`needs Node 22\\.12\\.0 or newer .*this is Node ${v.replace(/\./g, '\\.')}`), v);
  });

  test('the executable is found from path.txt without running anything, and only when it exists', () => {
    const dir = tempDir('gan-studio-electron-dir');
    assert.equal(electronExecutable(dir), null, 'nothing downloaded');
    writeFileSync(join(dir, 'path.txt'), 'electron');
    assert.equal(electronExecutable(dir), null, 'path.txt but no binary');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    assert.equal(electronExecutable(dir), join(dir, 'dist', 'electron'));
  });

  test('a failed download becomes one line with the cause, not a stack', async () => {
    const electron = fakeElectron(
      `console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async FetchDownloader.download (file:///x.js:46:30)'); process.exit(1);`,
    );
    const logged: string[] = [];
    const r = await ensureElectronBinary(electron, (l) => logged.push(l));
    assert.deepEqual(r, { ok: false, why: 'Electron 45.5.0 could not be downloaded (fetch failed)' });
    assert.match(logged[0], /Downloading Electron 45\.5\.0/);
  });

  test('a successful download is used; an installed binary is used without running install.js', async () => {
    const electron = fakeElectron(
      `const fs = require('fs'); fs.mkdirSync(__dirname + '/dist'); fs.writeFileSync(__dirname + '/dist/electron', ''); fs.writeFileSync(__dirname + '/path.txt', 'electron');`,
    );
    assert.deepEqual(await ensureElectronBinary(electron, () => {}), { ok: true, value: join(electron.dir, 'dist', 'electron') });
    writeFileSync(join(electron.dir, 'install.js'), `process.exit(3)`);
    const logged: string[] = [];
    assert.deepEqual(await ensureElectronBinary(electron, (l) => logged.push(l)), { ok: true, value: join(electron.dir, 'dist', 'electron') });
    assert.deepEqual(logged, [], 'no download announced');
  });

  test('errorLine keeps the last named error of real tools’ output', () => {
    assert.equal(errorLine('Downloading…\nRequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (x.js:1:1)'), 'getaddrinfo ENOTFOUND github.com');
    assert.equal(errorLine(''), 'no output');
    assert.equal(errorLine('x'.repeat(500)).length, 201);
  });
});

describe('SQLite for Electron', () => {
  const nodeBinding = join(createRequire(import.meta.url).resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');

  test('an addon’s ABI is read from the binary: ours is built for this Node, not for Electron 45 (ABI 150)', async () => {
    assert.equal(await addonBuiltForAbi(nodeBinding, process.versions.modules), true);
    assert.equal(await addonBuiltForAbi(nodeBinding, '150'), false);
  });

  test('the Electron copy lives in node_modules/.cache, per version, platform and architecture', () => {
    const p = sqliteForElectronPath('/proj', '45.5.0', 'darwin', 'arm64');
    assert.equal(p, join('/proj', 'node_modules', '.cache', 'gan-studio', 'better-sqlite3-electron-45.5.0-darwin-arm64.node'));
  });

  test('GAN_STUDIO_SQLITE_BINDING chooses the native module the database opens with', (t) => {
    const before = process.env.GAN_STUDIO_SQLITE_BINDING;
    t.after(() => {
      if (before === undefined) delete process.env.GAN_STUDIO_SQLITE_BINDING;
      else process.env.GAN_STUDIO_SQLITE_BINDING = before;
    });
    const dir = tempDir('gan-studio-binding');
    process.env.GAN_STUDIO_SQLITE_BINDING = nodeBinding;
    const db = openDatabase(join(dir, 'a.db'));
    assert.ok((db.pragma('user_version', { simple: true }) as number) > 0);
    db.close();
    process.env.GAN_STUDIO_SQLITE_BINDING = join(dir, 'missing.node');
    assert.throws(() => openDatabase(join(dir, 'b.db')), /cannot open the database/);
  });
});

/** Runs `node bin/start.js args` until it prints the address, then stops it with Ctrl-C. */
async function startStudio(args: string[], env: NodeJS.ProcessEnv): Promise<{ stderr: string; url: string; page: string; code: number | null }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'start.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed; stderr: ${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /running at (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`exited early; stderr: ${stderr}`)));
  });
  const page = await (await fetch(url)).text();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return { stderr, url, page, code: await exited };
}

describe('npm start', { skip: process.platform !== 'linux' ? 'the no-display fallback is a Linux rule' : false }, () => {
  const env = (home: string): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, GAN_STUDIO_HOME: home };
    delete e.DISPLAY;
    delete e.WAYLAND_DISPLAY;
    return e;
  };

  test('without a display it says why and serves the studio in browser mode', { timeout: 90_000 }, async () => {
    const r = await startStudio(['--port', '0'], env(tempDir('gan-studio-start')));
    assert.match(r.stderr, /not opening the desktop app: there is no display to open a window on .*; opening the studio in browser mode instead\./);
    assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(r.page, /<title>GAN Studio<\/title>/);
    assert.equal(r.code, 0, 'Ctrl-C stops it cleanly');
  });

  test('--browser opens browser mode whatever is installed', { timeout: 90_000 }, async () => {
    const r = await startStudio(['--browser', '--port', '0'], { ...env(tempDir('gan-studio-start')), DISPLAY: ':99' });
    assert.match(r.stderr, /--browser was given/);
    assert.match(r.page, /<title>GAN Studio<\/title>/);
  });
});
