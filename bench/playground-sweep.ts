/**
 * Measures playground recipes: trains each on a distribution for several
 * seeds and prints mode coverage, high-quality share and wall time, one JSON
 * line per run. This is how the defaults in main/playground/recipe.ts were
 * chosen.
 *
 *   node dist/bench/playground-sweep.js --dist ring,grid --seeds 1,2,3 \
 *     --backend wasm --set '{"penaltyWeight":1}' --set '{"penaltyWeight":0.1}'
 */
import { parseArgs } from 'node:util';
import { useBackend } from '../main/engine/backends.js';
import { COVERAGE_SAMPLES, coverage } from '../main/playground/coverage.js';
import { distribution, type DistributionName } from '../main/playground/distributions.js';
import { DEFAULT_RECIPE, type PlaygroundRecipe } from '../main/playground/recipe.js';
import { PointTrainer } from '../main/playground/trainer.js';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'ring,grid' },
    seeds: { type: 'string', default: '1,2,3' },
    backend: { type: 'string', default: 'wasm' },
    set: { type: 'string', multiple: true, default: ['{}'] },
    every: { type: 'string', default: '0' },
  },
});

function coverage2(t: PointTrainer, z: Float32Array, data: ReturnType<typeof distribution>, k: number): number {
  return coverage(t.generate(z), { ...data, sigma: data.sigma * k }).highQualityPct;
}

const backend = await useBackend(values.backend as 'wasm' | 'cpu');
const every = Number(values.every);
for (const set of values.set!) {
  const over = JSON.parse(set) as Partial<PlaygroundRecipe>;
  for (const dist of values.dist!.split(',') as DistributionName[]) {
    for (const seed of values.seeds!.split(',').map(Number)) {
      const recipe = { ...DEFAULT_RECIPE, ...over, seed };
      const data = distribution(dist);
      const t = new PointTrainer(recipe, data);
      const z = t.latents(COVERAGE_SAMPLES, 1_000_003 + seed);
      const t0 = performance.now();
      const trace: string[] = [];
      while (t.step < recipe.steps) {
        t.trainStep();
        if (every && t.step % every === 0) {
          const c = coverage(t.generate(z), data);
          trace.push(`${t.step}:${c.covered ?? '-'}/${c.highQualityPct.toFixed(0)}`);
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const c = coverage(t.generate(z), data);
      console.log(
        JSON.stringify({
          dist,
          seed,
          over,
          covered: c.covered,
          modes: c.modes,
          hq: Math.round(c.highQualityPct * 10) / 10,
          // Share within 2× and 4× the high-quality radius: spread around the modes, or samples between them?
          near2: c.kind === 'modes' ? Math.round(coverage2(t, z, data, 2) * 10) / 10 : undefined,
          near4: c.kind === 'modes' ? Math.round(coverage2(t, z, data, 4) * 10) / 10 : undefined,
          support: c.supportCoveredPct === null ? undefined : Math.round(c.supportCoveredPct * 10) / 10,
          seconds: Math.round(seconds * 10) / 10,
          msPerStep: Math.round((seconds / recipe.steps) * 1e4) / 10,
          backend: backend.name,
          ...(trace.length ? { trace: trace.join(' ') } : {}),
        }),
      );
      t.dispose();
    }
  }
}
