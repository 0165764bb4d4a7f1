/** `gan-studio generate`: PNG images of a prompt from a text-to-image run, and a grid of them. */
import { resolve } from 'node:path';
import { StudioError } from '../errors.js';
import { backendChoice, int, parseOptions } from './options.js';
import { call, runOf, withModelService } from './service-call.js';

const OPTIONS = {
  run: { type: 'string' },
  prompt: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  step: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function generateCommand(args: string[]): Promise<number> {
  const o = parseOptions('generate', args, OPTIONS);
  const prompt = o.prompt?.trim();
  if (!prompt) throw new StudioError('generate: --prompt "…" is required (what to draw, in the words of the run\'s captions)');
  if (prompt.length > 500) throw new StudioError('generate: the prompt is longer than 500 characters');
  if (!o.out) throw new StudioError('generate: --out DIR is required');
  const count = int('count', o.count) ?? 16;
  if (count > 10_000) throw new StudioError(`--count must be at most 10000, got ${count}`);
  const out = resolve(o.out);
  return withModelService(backendChoice(o.backend) ?? 'auto', async (service) => {
    const id = runOf(service, o.run, 'generate');
    // The same seed draws the same latents as the studio's prompt box.
    const r = await call(service, 'text.generate', { id, step: int('step', o.step, 0), prompt, count, seed: int('seed', o.seed, 0) ?? 1, out });
    if (r.unknown.length && !o.json) console.error(`warning: not in the run's vocabulary, ignored: ${r.unknown.join(', ')}`);
    if (o.json) console.log(JSON.stringify({ type: 'generated', run: id, step: r.step, prompt, count, out, grid: r.grid, unknown: r.unknown }));
    else console.error(`wrote ${count} images of "${prompt}" from run ${id} (step ${r.step}) to ${out}, and grid.png`);
    return 0;
  });
}
