#!/usr/bin/env node
// `npm run dist`: the desktop app packaged for this platform by electron-builder (configuration:
// the "build" key of package.json), or one line saying why it cannot be done here.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { electronPackage, errorLine, nodeTooOld } = await import(pathToFileURL(join(root, 'dist', 'electron', 'launcher.js')).href);

function fail(why) {
  console.error(`npm run dist: ${why}`);
  process.exit(1);
}

function run(command, args) {
  return new Promise((resolve) => {
    // npm is a .cmd on Windows, which only a shell runs.
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', () => resolve(-1));
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

const oldNode = nodeTooOld();
if (oldNode) fail(`${oldNode.replace('to set up Electron', 'to be packaged')}.`);

const electron = electronPackage(root);
if (!electron) fail('the electron package is not installed; run npm install first.');

// The release archive first: without it nothing can be packaged, and electron-builder would have rebuilt
// the native modules for Electron (breaking them for Node) before finding that out.
const zipName = `electron-v${electron.version}-${process.platform}-${process.arch}.zip`;
let zip;
try {
  const { downloadArtifact } = await import(pathToFileURL(require.resolve('@electron/get', { paths: [electron.dir] })).href);
  console.error(`Fetching ${zipName} (cached after the first time)…`);
  zip = await downloadArtifact({
    version: electron.version,
    artifactName: 'electron',
    platform: process.platform,
    arch: process.arch,
    checksums: require(join(electron.dir, 'checksums.json')),
  });
} catch (err) {
  fail(`Electron's release archive ${zipName} could not be fetched (${errorLine(err instanceof Error ? err.message : String(err))}); packaging needs it once, from github.com or an ELECTRON_MIRROR.`);
}

const builder = require.resolve('electron-builder/cli.js');
const code = await run(process.execPath, [builder, '--publish', 'never', `--config.electronDist=${zip}`]);

// electron-builder rebuilt better-sqlite3 for Electron in node_modules; the CLI, browser mode and tests need it built for Node.
console.error('Rebuilding better-sqlite3 for Node (electron-builder built it for Electron)…');
const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const restored = await run(npm[0], [...npm[1], 'rebuild', 'better-sqlite3']);
if (restored !== 0) console.error('npm run dist: rebuilding better-sqlite3 for Node failed; run `npm rebuild better-sqlite3` before using the CLI.');
if (code !== 0) fail(`electron-builder failed (exit ${code}); its messages are above.`);
console.error(`Packaged into ${join(root, 'release')}.`);
