#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main', 'cli', 'index.js');
if (!existsSync(entry)) {
  console.error('gan-studio: the studio is not built yet; run `npm install` (or `npm run build`) in the project folder.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
