/** `gan-studio playground`: trains the 2D playground's defaults on a distribution and prints the coverage figures. */
import { StudioError } from '../errors.js';
import type { Coverage } from '../playground/coverage.js';
import { PlaygroundHost } from '../playground/host.js';
import type { PlaygroundFrame, PlaygroundSummary } from '../playground/protocol.js';
import { PlaygroundSettingsSchema } from '../playground/settings.js';
import { backendChoice, int, parseOptions } from './options.js';
import { StatusLine, barOf } from './progress.js';

const OPTIONS = {
  dist: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  'd-steps': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const CLI_DISTRIBUTIONS = ['ring', 'grid', 'spiral'];

export function coverageText(c: Coverage): string {
  const hq = `high quality ${c.highQualityPct.toFixed(1)} %`;
  return c.kind === 'modes' ? `modes covered ${c.covered}/${c.modes} · ${hq}` : `${hq} · support covered ${c.supportCoveredPct?.toFixed(1)} % (no discrete modes)`;
}

function coverageJson(c: Coverage | null) {
  if (!c) return { modes: null, covered: null, high_quality_pct: null, support_covered_pct: null, radius: null, samples: null };
  return {
    modes: c.modes,
    covered: c.covered,
    high_quality_pct: Math.round(c.highQualityPct * 100) / 100,
    support_covered_pct: c.supportCoveredPct === null ? null : Math.round(c.supportCoveredPct * 100) / 100,
    radius: Number(c.radius.toPrecision(6)),
    samples: c.samples,
  };
}

export async function playgroundCommand(args: string[]): Promise<number> {
  const o = parseOptions('playground', args, OPTIONS);
  const dist = o.dist ?? 'ring';
  if (!CLI_DISTRIBUTIONS.includes(dist)) throw new StudioError(`--dist must be one of ${CLI_DISTRIBUTIONS.join(', ')}, got "${dist}"`);
  const parsed = PlaygroundSettingsSchema.safeParse({
    distribution: dist,
    steps: int('steps', o.steps),
    seed: int('seed', o.seed, 0),
    dSteps: int('d-steps', o['d-steps']),
    backend: backendChoice(o.backend),
  });
  if (!parsed.success) {
    const flag: Record<string, string> = { dSteps: 'd-steps' };
    throw new StudioError(parsed.error.issues.map((i) => `--${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
  }
  const settings = parsed.data;
  const json = !!o.json;
  const line = !json && process.stderr.isTTY ? new StatusLine(process.stderr) : null;

  let stopping = false;
  let session: string | null = null;
  let lastProgress = 0;
  let host!: PlaygroundHost;
  const finished = new Promise<PlaygroundSummary>((resolve) => {
    const onFrame = (f: PlaygroundFrame) => {
      const c = f.coverage;
      if (json) {
        // A line per second or so: enough to plot, not a flood.
        if (performance.now() - lastProgress < 1000) return;
        lastProgress = performance.now();
        console.log(JSON.stringify({ type: 'progress', step: f.step, d_loss: f.dLoss, g_loss: f.gLoss, d_real: f.dReal, d_fake: f.dFake, ...coverageJson(c) }));
      } else {
        line?.draw(`${barOf(f.step / f.steps)} ${f.step}/${f.steps}  ${c ? coverageText(c) : ''}`);
      }
    };
    host = new PlaygroundHost({ frame: onFrame, finished: resolve });
  });
  const onSigint = () => {
    if (stopping || !session) return;
    stopping = true;
    line?.interrupt('stopping…');
    void host.control(session, 'stop').catch(() => {});
  };
  process.on('SIGINT', onSigint);
  try {
    const started = await host.start(settings);
    session = started.session;
    if (!json) line?.interrupt(`playground: ${dist}, ${settings.steps} steps, seed ${settings.seed}, k=${settings.dSteps}, on ${started.backend}`);
    const summary = await finished;
    line?.end();
    if (summary.status === 'failed') throw new StudioError(`the playground failed: ${summary.error}`);
    if (json) {
      console.log(JSON.stringify({ type: 'summary', dist, status: summary.status, steps: summary.step, seconds: Math.round(summary.seconds * 10) / 10, seed: settings.seed, d_steps: settings.dSteps, backend: started.backend, ...coverageJson(summary.coverage) }));
    } else {
      console.log(`${dist}: ${summary.coverage ? coverageText(summary.coverage) : 'no coverage measured'}`);
      console.log(`${summary.step} steps in ${summary.seconds.toFixed(1)} s${summary.status === 'stopped' ? ' (stopped)' : ''}; ${summary.coverage?.samples ?? 0} samples, high quality within ${Number((summary.coverage?.radius ?? 0).toPrecision(6))} (3σ)`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await host.close();
  }
}
