#!/usr/bin/env node
// `npm start`: the desktop app where it can open, browser mode otherwise, saying why.
// `npm start -- --browser` always opens browser mode; other arguments go to `gan-studio serve`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(root, 'dist', 'electron', 'launcher.js');
if (!existsSync(launcher)) {
  console.error('gan-studio: the studio is not built yet; run `npm install` (or `npm run build`) in the project folder.');
  process.exit(1);
}
const { prepareDesktop } = await import(pathToFileURL(launcher).href);

function run(command, args, env = process.env) {
  // On POSIX the child gets its own process group, so a Ctrl-C reaches it once, through us, not twice
  // (browser mode takes the first SIGINT to save and stop, and a second would kill it mid-way).
  const posix = process.platform !== 'win32';
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit', detached: posix });
  if (posix) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  } else {
    // A Windows console delivers Ctrl-C to every process attached to it; only keep ourselves alive for the child's exit code.
    process.on('SIGINT', () => {});
  }
  child.on('error', (err) => {
    console.error(`gan-studio: cannot start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

const args = process.argv.slice(2);
const browserOnly = args.includes('--browser');
const serveArgs = args.filter((a) => a !== '--browser');
const desktop = browserOnly ? { ok: false, why: '--browser was given' } : await prepareDesktop(root, (line) => console.error(`gan-studio: ${line}`));
if (desktop.ok) {
  const env = { ...process.env, GAN_STUDIO_SQLITE_BINDING: desktop.value.sqliteBinding };
  // Inherited from a parent Electron tool, it would make the app run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  run(desktop.value.electron, [root], env);
} else {
  console.error(`gan-studio: not opening the desktop app: ${desktop.why}; opening the studio in browser mode instead.`);
  run(process.execPath, [join(root, 'bin', 'gan-studio.js'), 'serve', ...serveArgs]);
}
