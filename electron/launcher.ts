/**
 * What `npm start` (bin/start.js) does before it opens the desktop app: it
 * runs in plain Node, never inside Electron, and never imports 'electron'
 * (in Node that import is the binary's path, and since Electron 42 looking
 * it up downloads the binary). Each step says in one line why the desktop
 * app cannot open, so that the launcher can fall back to browser mode.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Prepared<T> = { ok: true; value: T } | { ok: false; why: string };

/**
 * The Node that Electron 45's own tools declare (electron, @electron/get,
 * @electron/rebuild, node-abi: engines >= 22.12): setting up and packaging the
 * desktop app needs it. The CLI and browser mode need only Node 20.
 */
export const NODE_FOR_DESKTOP = '22.12.0';

/** Why this Node cannot set up the desktop app, or null when it can. */
export function nodeTooOld(version: string = process.versions.node, needed: string = NODE_FOR_DESKTOP): string | null {
  const [a, b] = [version, needed].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) > (b[i] ?? 0)) return null;
    if ((a[i] ?? 0) < (b[i] ?? 0)) return `the desktop app needs Node ${needed} or newer to set up Electron (this is Node ${version}, on which the CLI and browser mode work)`;
  }
  return null;
}

/** A window needs a display; on Linux a session without one (ssh, a container, CI) cannot show the app. */
export function displayMissing(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform !== 'linux') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)';
}

/** The installed electron package's folder and version, or null when it is not installed. */
export function electronPackage(root: string): { dir: string; version: string } | null {
  const dir = join(root, 'node_modules', 'electron');
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? { dir, version: pkg.version } : null;
  } catch {
    return null;
  }
}

/** The Electron executable when its binary was downloaded, read the way the package's index.js reads it, without triggering a download. */
export function electronExecutable(electronDir: string): string | null {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const path = join(electronDir, 'dist', relative);
    return relative && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The last line of a failed tool's output that names an error, shortened: what a person needs to see, not a stack. */
export function errorLine(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  const named = lines.filter((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|fetch failed|certificate/i.test(l));
  const line = (named.length ? named[named.length - 1] : lines[lines.length - 1]) ?? 'no output';
  const short = line.replace(/^(?:Uncaught )?(?:\w*Error|RequestError):\s*/, '');
  return short.length > 200 ? `${short.slice(0, 200)}…` : short;
}

/** Runs `node script` and collects its stderr; resolves with the exit code. */
function runNode(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
    child.on('error', (err) => resolve({ code: -1, stderr: err.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/**
 * The Electron binary, downloaded on first use as the electron package does
 * (its install.js, with its own checksums): the package has no install
 * script since Electron 42, so `npm install` works offline and the download
 * happens here, where a failure can fall back to browser mode.
 */
export async function ensureElectronBinary(electron: { dir: string; version: string }, log: (line: string) => void): Promise<Prepared<string>> {
  const found = electronExecutable(electron.dir);
  if (found) return { ok: true, value: found };
  log(`Downloading Electron ${electron.version} (about 100 MB, first start only)…`);
  const { code, stderr } = await runNode(join(electron.dir, 'install.js'), electron.dir, process.env);
  const path = electronExecutable(electron.dir);
  if (code === 0 && path) return { ok: true, value: path };
  return { ok: false, why: `Electron ${electron.version} could not be downloaded (${errorLine(stderr)})` };
}

/**
 * Where the development copy of better-sqlite3 built for Electron lives. The
 * copy in node_modules stays built for Node, so the CLI, browser mode and the
 * tests keep working while the desktop app loads this one (better-sqlite3's
 * `nativeBinding` option; packaged apps get theirs from electron-builder).
 */
export function sqliteForElectronPath(root: string, electronVersion: string, platform: string = process.platform, arch: string = process.arch): string {
  return join(root, 'node_modules', '.cache', 'gan-studio', `better-sqlite3-electron-${electronVersion}-${platform}-${arch}.node`);
}

/** Whether a compiled Node addon was built for this ABI (the module_register symbol V8 addons export carries it). */
export async function addonBuiltForAbi(addon: string, abi: string): Promise<boolean> {
  const bytes = await readFile(addon);
  return bytes.includes(`node_register_module_v${abi}`) || bytes.includes('napi_register_module_v1');
}

/**
 * Builds (downloads, where a prebuilt exists) better-sqlite3 for Electron's
 * ABI into a scratch copy of the package with @electron/rebuild, checks the
 * result really is for that ABI, and keeps it in the cache; the package in
 * node_modules is never touched.
 */
export async function ensureSqliteForElectron(root: string, electronVersion: string, log: (line: string) => void): Promise<Prepared<string>> {
  const target = sqliteForElectronPath(root, electronVersion);
  if (existsSync(target)) return { ok: true, value: target };
  const require = createRequire(join(root, 'package.json'));
  let sqliteDir: string;
  let version: string;
  try {
    const pkgPath = require.resolve('better-sqlite3/package.json');
    sqliteDir = join(pkgPath, '..');
    version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  } catch {
    return { ok: false, why: 'better-sqlite3 is not installed (run npm install)' };
  }
  log(`Building the SQLite module for Electron ${electronVersion} (first start only)…`);
  const cacheDir = join(target, '..');
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, 'build-'));
  try {
    const copy = join(work, 'node_modules', 'better-sqlite3');
    await cp(sqliteDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });
    await writeFile(join(work, 'package.json'), JSON.stringify({ name: 'sqlite-for-electron', version: '0.0.0', dependencies: { 'better-sqlite3': version } }));
    const rebuildEntry = require.resolve('@electron/rebuild');
    const { rebuild } = (await import(pathToFileURL(rebuildEntry).href)) as typeof import('@electron/rebuild');
    // node-abi is what @electron/rebuild itself maps versions to ABIs with.
    const { getAbi } = createRequire(rebuildEntry)('node-abi') as { getAbi(target: string, runtime: string): string };
    await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const abi = getAbi(electronVersion, 'electron');
    if (!existsSync(built) || !(await addonBuiltForAbi(built, abi))) {
      return { ok: false, why: `better-sqlite3 could not be built for Electron ${electronVersion} (no build for its ABI ${abi} came out)` };
    }
    await rename(built, target);
    return { ok: true, value: target };
  } catch (err) {
    return { ok: false, why: `better-sqlite3 could not be built for Electron ${electronVersion} (${errorLine(err instanceof Error ? err.message : String(err))})` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface DesktopLaunch {
  electron: string;
  /** Exported to the app as GAN_STUDIO_SQLITE_BINDING. */
  sqliteBinding: string;
}

/** Everything the desktop app needs, in the order that costs least to find missing; or why it cannot open. */
export async function prepareDesktop(root: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<Prepared<DesktopLaunch>> {
  const noDisplay = displayMissing(process.platform, env);
  if (noDisplay) return { ok: false, why: noDisplay };
  const oldNode = nodeTooOld();
  if (oldNode) return { ok: false, why: oldNode };
  const electron = electronPackage(root);
  if (!electron) return { ok: false, why: 'the electron package is not installed (run npm install)' };
  const binary = await ensureElectronBinary(electron, log);
  if (!binary.ok) return binary;
  const sqlite = await ensureSqliteForElectron(root, electron.version, log);
  if (!sqlite.ok) return sqlite;
  return { ok: true, value: { electron: binary.value, sqliteBinding: sqlite.value } };
}
