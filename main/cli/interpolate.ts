/** `gan-studio interpolate`: an animated GIF walking the latent space through keyframe seeds. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { encodeGif } from '../export/gif.js';
import { walk } from '../latent/math.js';
import { classLabels, generateBatch, sampleLatents } from '../engine/sampling.js';
import { backendChoice, int, num, parseOptions } from './options.js';
import { openRunGenerator } from './run-generator.js';

const OPTIONS = {
  run: { type: 'string' },
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
  if (!(fps > 0 && fps <= 50)) throw new StudioError('--fps must be above 0 and at most 50');
  const scale = int('scale', o.scale) ?? 4;
  if (scale > 16) throw new StudioError('--scale must be at most 16');

  const { record, step, trainer } = await openRunGenerator(o.run, 'interpolate', backendChoice(o.backend) ?? 'auto');
  try {
    const keys = seeds.map((s) => sampleLatents(trainer, 1, s).z);
    const path = walk(keys, frames, !!o.slerp);
    const z = new Float32Array(frames * trainer.spec.zDim);
    path.forEach((p, i) => z.set(p, i * trainer.spec.zDim));
    const cls = int('class', o.class, 0);
    const labels = trainer.spec.numClasses > 0 ? classLabels(trainer, frames, cls ?? 0) : cls !== undefined ? classLabels(trainer, frames, cls) : null;
    const gif = encodeGif(await generateBatch(trainer, z, labels), { fps, scale });
    const out = resolve(o.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, gif);
    if (o.json) console.log(JSON.stringify({ type: 'interpolation', run: record.id, step, keyframes: seeds, frames, spherical: !!o.slerp, out, bytes: gif.length }));
    else console.error(`wrote ${out}: ${frames} frames through seeds ${seeds.join(' → ')} (${o.slerp ? 'spherical' : 'linear'}) from run ${record.id} at step ${step}`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
