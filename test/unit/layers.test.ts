/**
 * The layers of main/ (docs/architecture.md): a folder imports only from its
 * own layer or those below, and no files import each other in a circle. Type
 * imports count — a type that has to come from above is in the wrong place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../main/', import.meta.url));

/** Lowest first. A folder not named here fails the test, so a new one gets a place. */
export const LAYERS: string[][] = [
  ['(root)', 'core', 'types'],
  ['db', 'images'],
  ['engine'],
  ['judges', 'datasets'],
  ['evaluation', 'export'],
  ['families'],
  ['latent', 'playground', 'bench', 'studies'],
  ['runs'],
  ['training', 'generation', 'remote'],
  ['service'],
  ['server', 'cli'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|cts)$/.test(e.name) ? [p] : [];
  });
}

/** Relative imports of a file (static, re-exports and dynamic), resolved to source paths. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts'));
}

const folderOf = (file: string) => {
  const parts = relative(MAIN, file).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
};
const rankOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

test('every folder of main/ has a layer', () => {
  const folders = new Set(sources(MAIN).map(folderOf));
  assert.deepEqual([...folders].filter((f) => rankOf(f) < 0), []);
});

test('no folder of main/ imports from a layer above its own', () => {
  const upward: string[] = [];
  for (const file of sources(MAIN)) {
    const from = folderOf(file);
    for (const target of importsOf(file)) {
      if (!target.startsWith(MAIN)) continue;
      const to = folderOf(target);
      if (rankOf(to) > rankOf(from)) upward.push(`${relative(MAIN, file)} → ${relative(MAIN, target)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('no files of main/ import each other in a circle', () => {
  const graph = new Map(sources(MAIN).map((f) => [f, importsOf(f).filter((t) => t.startsWith(MAIN))]));
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    path.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') circles.push(path.slice(path.indexOf(t)).concat(t).map((p) => relative(MAIN, p)).join(' → '));
      else if (!state.has(t)) visit(t);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  assert.deepEqual(circles, []);
});

test('the walk sees the imports it is meant to police', () => {
  // A check that finds nothing because it parses nothing would pass: the walk must see a known arrow of each kind.
  const trainer = importsOf(join(MAIN, 'families', 'gan', 'trainer.ts')).map((p) => relative(MAIN, p));
  assert.ok(trainer.includes(join('engine', 'net-pair.ts')), trainer.join(', '));
  const train = importsOf(join(MAIN, 'cli', 'train.ts')).map((p) => relative(MAIN, p));
  assert.ok(train.includes(join('service', 'studio-service.ts')), train.join(', '));
  // Dynamic imports count: a family's descriptor loads its host.ts with one.
  const gan = importsOf(join(MAIN, 'families', 'gan', 'family.ts')).map((p) => relative(MAIN, p));
  assert.ok(gan.includes(join('families', 'gan', 'host.ts')), gan.join(', '));
});
