/** `gan-studio generate`: PNG images of a prompt from a text-to-image run, and a grid of them. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../engine/rng.js';
import type { TextGanTrainer } from '../families/text/trainer.js';
import { familyOfSpec, requireCapability } from '../families/registry.js';
import { writePngs } from '../export/images.js';
import { gridPng } from '../images/png.js';
import { StudioError } from '../errors.js';
import { openRunCheckpoint } from './run-generator.js';
import { backendChoice, int, parseOptions } from './options.js';

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
  const seed = int('seed', o.seed, 0) ?? 1;
  const { record, checkpoint } = await openRunCheckpoint(o.run, 'generate', backendChoice(o.backend) ?? 'auto', int('step', o.step, 0));
  const family = familyOfSpec(checkpoint.spec);
  requireCapability(family, 'prompt', record.id);
  const trainer = family.load(checkpoint) as TextGanTrainer;
  try {
    const { vectors, words } = await trainer.promptVectors(Array(count).fill(prompt));
    const { unknown, known } = words[0];
    if (known === 0) {
      throw new StudioError(`run ${record.id} knows none of the words of "${prompt}"; its words include ${trainer.spec.text.vocab.words.slice(0, 12).join(', ')}`);
    }
    if (unknown.length && !o.json) console.error(`warning: not in the run's vocabulary, ignored: ${unknown.join(', ')}`);
    // The same seed draws the same latents as the studio's prompt box.
    const batch = await trainer.generateBatch(Rng.fromSeed(seed).normal(count * trainer.spec.zDim), vectors);
    const out = resolve(o.out);
    await writePngs(batch, out);
    const grid = join(out, 'grid.png');
    writeFileSync(grid, await gridPng(batch, { limit: 1024 }));
    if (o.json) console.log(JSON.stringify({ type: 'generated', run: record.id, step: checkpoint.step, prompt, count, out, grid, unknown }));
    else console.error(`wrote ${count} images of "${prompt}" (${batch.size}×${batch.size} px) from run ${record.id} (step ${checkpoint.step}) to ${out}, and grid.png`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
