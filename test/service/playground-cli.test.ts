/** `gan-studio playground`: the coverage figures as text and as JSON, and its refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/gan-studio.js', import.meta.url));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GAN_STUDIO_HOME: tempDir() }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('playground --json ends with a summary of the coverage figures', { timeout: 120_000 }, () => {
  const r = cli(['playground', '--dist', 'grid', '--steps', '20', '--seed', '4', '--d-steps', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const s = lines.at(-1);
  assert.equal(s.type, 'summary');
  assert.deepEqual([s.dist, s.status, s.steps, s.seed, s.d_steps, s.modes, s.samples], ['grid', 'completed', 20, 4, 2, 25, 2500]);
  assert.ok(s.covered >= 0 && s.covered <= 25);
  assert.ok(s.high_quality_pct >= 0 && s.high_quality_pct <= 100);
  assert.ok(Math.abs(s.radius - 3 * 0.05) < 1e-12, 'high quality within 3σ of the grid’s σ = 0.05');
});

test('playground prints the figures for people, and says when a distribution has no modes', { timeout: 120_000 }, () => {
  const ring = cli(['playground', '--steps', '10']);
  assert.equal(ring.code, 0, ring.stderr);
  assert.match(ring.stdout, /^ring: modes covered \d\/8 · high quality \d+\.\d %$/m);
  const spiral = cli(['playground', '--dist', 'spiral', '--steps', '10']);
  assert.equal(spiral.code, 0, spiral.stderr);
  assert.match(spiral.stdout, /high quality \d+\.\d % · support covered \d+\.\d % \(no discrete modes\)/);
});

test('playground refuses what it cannot do, in one line', () => {
  for (const [args, pattern] of [
    [['--dist', 'drawn'], /--dist must be one of ring, grid, spiral/],
    [['--steps', '0'], /--steps must be a whole number ≥ 1/],
    [['--d-steps', '50'], /--d-steps: Number must be less than or equal to 20/],
    [['--lr', '1'], /unknown option '--lr'/],
  ] as [string[], RegExp][]) {
    const r = cli(['playground', ...args]);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, pattern);
  }
  const help = cli(['playground', '--help']);
  assert.match(help.stdout, /--dist ring\|grid\|spiral/);
  assert.match(cli(['--help']).stdout, /\bplayground\b/);
});
