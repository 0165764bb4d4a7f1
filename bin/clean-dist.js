#!/usr/bin/env node
// Before a build: the compiled output of an earlier checkout goes, so that a file moved or
// deleted since (a test, a worker) is not run from its old place. The renderer's build empties
// its own folder (dist/renderer).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

for (const dir of ['main', 'test', 'bench', 'electron']) {
  rmSync(fileURLToPath(new URL(`../dist/${dir}`, import.meta.url)), { recursive: true, force: true });
}
