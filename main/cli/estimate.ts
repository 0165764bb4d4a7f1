/** `gan-studio train … --estimate`: what a run would take, said before (instead of) starting it. */
import { StudioError } from '../errors.js';
import type { TrainConfigInput } from '../families/run-config.js';
import { describeReach, describeSpeed } from '../service/describe-estimate.js';
import { StudioService } from '../service/studio-service.js';

/** `train … --estimate`: the run's speed measured here and what similar finished runs needed; no run is made. */
export async function estimateCommand(
  home: string,
  json: boolean,
  fid: number | undefined,
  settings: (s: StudioService) => Promise<{ ok: true; config: TrainConfigInput; from: string | undefined } | { ok: false; error: { message: string } }>,
): Promise<number> {
  const service = new StudioService(home, {});
  try {
    const s = await settings(service);
    if (!s.ok) throw new StudioError(s.error.message);
    const bar = !json && process.stderr.isTTY;
    const ticket = 'cli';
    service.on('estimate.progress', (p) => bar && process.stderr.write(`\rmeasuring: step ${p.done} of ${p.total}…`));
    const r = await service.call('runs.estimate', { config: s.config, from: s.from, fid, ticket });
    if (bar) process.stderr.write('\r\x1b[K');
    if (!r.ok) throw new StudioError(r.error.message);
    const e = r.value;
    if (json) {
      console.log(JSON.stringify(e));
      return 0;
    }
    console.log(`speed: ${describeSpeed(e)}`);
    console.log(`quality: ${describeReach(e)}`);
    if (e.similar.length) {
      console.log('similar finished runs (dataset, images, steps, best FID at step, s/step, backend):');
      for (const x of e.similar) {
        console.log(`  ${x.id}  ${x.dataset}  ${x.images}  ${x.steps}  ${x.bestFid.toFixed(2)} @ ${x.bestFidStep}  ${(x.msPerStep / 1000).toFixed(3)}  ${x.backend ?? '?'}`);
      }
    }
    return 0;
  } finally {
    await service.close();
  }
}

