/**
 * The playground's defaults do what the README says: every mode of the ring
 * and of the grid, with at least 95 % of 2,500 samples within 3σ of a mode.
 * Trained the way the studio trains them, in the playground worker.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PlaygroundHost } from '../../main/playground/host.js';
import type { PlaygroundSummary } from '../../main/playground/protocol.js';
import { PlaygroundSettingsSchema } from '../../main/playground/settings.js';
import { DEFAULT_RECIPE } from '../../main/playground/recipe.js';

const waiting = new Map<string, (s: PlaygroundSummary) => void>();
const host = new PlaygroundHost({ frame: () => {}, finished: (s) => waiting.get(s.session)?.(s) });
after(() => host.close());

async function train(distribution: 'ring' | 'grid'): Promise<PlaygroundSummary> {
  const started = await host.start(PlaygroundSettingsSchema.parse({ distribution }));
  return new Promise((resolve) => waiting.set(started.session, resolve));
}

for (const [distribution, modes] of [['ring', 8], ['grid', 25]] as const) {
  test(`the defaults cover ${modes}/${modes} modes of the ${distribution} with ≥ 95 % high quality`, { timeout: 300_000 }, async () => {
    const s = await train(distribution);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.equal(s.step, DEFAULT_RECIPE.steps);
    const c = s.coverage!;
    assert.equal(c.samples, 2500);
    assert.equal(c.modes, modes);
    assert.equal(c.covered, modes, `${distribution}: ${c.covered}/${modes} modes`);
    assert.ok(c.highQualityPct >= 95, `${distribution}: ${c.highQualityPct.toFixed(1)} % high quality`);
    console.log(`${distribution}: ${c.covered}/${modes} modes, ${c.highQualityPct.toFixed(1)} % high quality, ${s.seconds.toFixed(1)} s`);
  });
}
