/**
 * The packaged desktop app cannot run here (no Electron binary, no display),
 * so its packaging is checked from both ends: the configuration as written,
 * and what electron-builder really builds from it — the app archive, the
 * unpacked native files and the fuses it burns into the executable — with a
 * stand-in for Electron's binary that carries a real fuse wire.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants.js';
import { tempDir } from '../support/helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  build: { files: string[]; asarUnpack: string[]; electronFuses: Record<string, boolean>; asar?: unknown };
};

/** The fuses as the studio wants them (Electron's security checklist, item 19). */
const WANTED: Record<string, [FuseV1Options, boolean]> = {
  runAsNode: [FuseV1Options.RunAsNode, false],
  enableCookieEncryption: [FuseV1Options.EnableCookieEncryption, true],
  enableNodeOptionsEnvironmentVariable: [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
  enableNodeCliInspectArguments: [FuseV1Options.EnableNodeCliInspectArguments, false],
  enableEmbeddedAsarIntegrityValidation: [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
  onlyLoadAppFromAsar: [FuseV1Options.OnlyLoadAppFromAsar, true],
  grantFileProtocolExtraPrivileges: [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
};

/** Every worker thread the Node side starts, as `new Worker(new URL('./x.js', import.meta.url))` in the compiled files. */
function workerEntries(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/new Worker\(new URL\('(\.\/[^']+)', import\.meta\.url\)/g)) {
          found.push(relative(ROOT, join(dir, m[1])).split('\\').join('/'));
        }
      }
    }
  };
  walk(join(ROOT, 'dist', 'main'));
  return found.sort();
}

describe('packaging configuration', () => {
  test('electron and electron-builder are dev dependencies, as electron-builder requires; nothing of Electron ships', () => {
    for (const name of ['electron', 'electron-builder']) {
      assert.ok(pkg.devDependencies[name], `${name} in devDependencies`);
      assert.equal(pkg.dependencies[name], undefined);
      assert.equal(pkg.optionalDependencies?.[name], undefined);
    }
    assert.equal(pkg.build.asar, undefined, 'the app is an asar archive (the fuses below need one)');
  });

  test('the fuses are configured as the checklist asks', () => {
    for (const [name, [, on]] of Object.entries(WANTED)) assert.equal(pkg.build.electronFuses[name], on, name);
  });

  test('every dependency with an install script is declared in allowScripts', () => {
    const npm = spawnSync(process.env.npm_execpath ? process.execPath : 'npm', [...(process.env.npm_execpath ? [process.env.npm_execpath] : []), 'approve-scripts', '--allow-scripts-pending'], {
      cwd: ROOT,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    assert.equal(npm.status, 0, npm.stderr);
    assert.match(npm.stdout, /No packages with unreviewed install scripts/, npm.stdout);
  });
});

describe('what electron-builder packages', () => {
  // Made here, not in before(): folders made in a hook are removed when the hook ends.
  const fake = tempDir('gan-studio-fake-electron');
  const out = tempDir('gan-studio-package');
  let files: string[] = [];
  let unpacked = '';

  before(() => {
    // A stand-in for Electron's distribution: an executable holding a fuse wire as Electron 45 ships it.
    const shipped = Buffer.from([FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE]);
    writeFileSync(join(fake, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.from(SENTINEL), Buffer.from([1, shipped.length]), shipped, Buffer.from('\n')]));
    chmodSync(join(fake, 'electron'), 0o755);
    const builder = spawnSync(
      process.execPath,
      [require.resolve('electron-builder/cli.js'), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${fake}`, '-c.npmRebuild=false', `-c.directories.output=${out}`],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    assert.equal(builder.status, 0, `electron-builder failed:\n${builder.stdout}\n${builder.stderr}`);
    const resources = join(out, 'linux-unpacked', 'resources');
    files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.split('\\').join('/').replace(/^\//, ''));
    unpacked = join(resources, 'app.asar.unpacked');
  });

  test('the executable has the fuses flipped as configured, and the rest left as Electron ships them', async () => {
    const wire = await getCurrentFuseWire(join(out, 'linux-unpacked', 'gan-studio'));
    for (const [name, [index, on]] of Object.entries(WANTED)) assert.equal(wire[index], on ? FuseState.ENABLE : FuseState.DISABLE, name);
    assert.equal(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot], FuseState.DISABLE, 'not configured: unchanged');
  });

  test('the archive holds the app: main process, preload, interface, judges and every worker entry', () => {
    const main = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string }).main;
    const workers = workerEntries();
    assert.ok(workers.length >= 5, `found the worker entries: ${workers.join(', ')}`);
    const engine = ['dist/electron/engine-preload.cjs', 'dist/renderer/engine.html'];
    for (const f of [main, 'dist/electron/preload.cjs', 'dist/renderer/index.html', ...engine, 'resources/judges/mnist.judge', 'package.json', 'bin/gan-studio.js', ...workers]) {
      assert.ok(files.includes(f), `${f} is packaged`);
    }
    assert.ok(files.some((f) => /^dist\/renderer\/assets\/index-.*\.js$/.test(f)), 'the interface bundle');
    assert.ok(files.some((f) => /^dist\/renderer\/assets\/worker-.*\.js$/.test(f)), 'the GPU engine worker bundle');
  });

  test('native modules and WebAssembly binaries are unpacked beside the archive, where they can be loaded', () => {
    const wasm = files.filter((f) => f.startsWith('node_modules/@tensorflow/tfjs-backend-wasm/dist/') && f.endsWith('.wasm'));
    assert.ok(wasm.length >= 3, `wasm files: ${wasm.join(', ')}`);
    const natives = files.filter((f) => f.endsWith('.node'));
    assert.ok(natives.includes('node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    assert.ok(natives.some((f) => /^node_modules\/@img\/sharp-[^/]+\/lib\/sharp-.*\.node$/.test(f)), `sharp's binding: ${natives.join(', ')}`);
    for (const f of [...wasm, ...natives]) assert.ok(existsSync(join(unpacked, f)), `${f} is unpacked`);
  });

  test('nothing for development ships: tests, benches, source maps, sources, Electron, the build tools', () => {
    const offending = files.filter(
      (f) =>
        /^dist\/(test|bench)\//.test(f) ||
        f.endsWith('.map') ||
        /^(main|renderer\/src|electron|test)\//.test(f) ||
        /^node_modules\/(electron|electron-builder|app-builder-lib|typescript|vite|svelte|playwright-core|@electron\/rebuild)\//.test(f),
    );
    assert.deepEqual(offending.slice(0, 10), []);
  });
});
