/** `gan-studio interpolate`: an animated GIF walking the latent space through keyframe seeds. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { backendChoice, int, num, parseOptions } from './options.js';
import { call, runOf, withModelService } from './service-call.js';

const OPTIONS = {
  run: { type: 'string' },
  step: { type: 'string' },
  keyframes: { type: 'string' },
  frames: { type: 'string' },
  slerp: { type: 'boolean' },
  fps: { type: 'string' },
  scale: { type: 'string' },
  class: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function interpolateCommand(args: string[]): Promise<number> {
  const o = parseOptions('interpolate', args, OPTIONS);
  if (!o.out || !/\.gif$/i.test(o.out)) throw new StudioError('interpolate: --out FILE.gif is required');
  const seeds = (o.keyframes ?? '').split(',').filter((s) => s.trim() !== '').map((s) => int('keyframes', s.trim(), 0)!);
  if (seeds.length < 2) throw new StudioError('interpolate: --keyframes needs two or more seeds, e.g. --keyframes 1,7,42');
  const frames = int('frames', o.frames) ?? 48;
  if (frames < seeds.length || frames > 2000) throw new StudioError(`--frames must be between ${seeds.length} and 2000`);
  const fps = num('fps', o.fps) ?? 12;
  if (!(fps >= 1 && fps <= 50)) throw new StudioError('--fps must be between 1 and 50');
  const scale = int('scale', o.scale) ?? 4;
  if (scale > 16) throw new StudioError('--scale must be at most 16');
  const spherical = !!o.slerp;

  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'interpolate');
    const r = await call(service, 'latent.walk', { id, step: int('step', o.step, 0), seeds, frames, spherical, fps, scale, classLabel: int('class', o.class, 0) });
    const gif = Buffer.from(r.gif, 'base64');
    const out = resolve(o.out!);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, gif);
    if (o.json) console.log(JSON.stringify({ type: 'interpolation', run: id, step: r.step, keyframes: seeds, frames, spherical, out, bytes: gif.length }));
    else console.error(`wrote ${out}: ${frames} frames through seeds ${seeds.join(' → ')} (${spherical ? 'spherical' : 'linear'}) from run ${id} at step ${r.step}`);
    return 0;
  });
}
