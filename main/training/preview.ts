import type { Trainer } from '../families/gan/trainer.js';
import { gridPng } from '../images/png.js';
import { previewBatch } from '../engine/sampling.js';

/** The progress grid of a run as a PNG. */
export async function previewGrid(trainer: Trainer): Promise<Buffer> {
  const { batch, columns } = await previewBatch(trainer);
  return gridPng(batch, { columns });
}
