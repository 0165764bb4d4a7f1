#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed, browser mode otherwise.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The electron package's index.js throws ("Electron failed to install correctly") when its binary was never downloaded. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

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

const electron = electronBinary();
if (electron) {
  const env = { ...process.env };
  // Inherited from a parent Electron tool, it would make the app run as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron, [root], env);
} else {
  console.error(
    'gan-studio: the Electron binary is missing (install it with `npm install electron` on a machine with internet access); opening the studio in browser mode instead.',
  );
  run(process.execPath, [join(root, 'bin', 'gan-studio.js'), 'serve']);
}
