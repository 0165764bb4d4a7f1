/** The text-to-image family's evaluation and prompt jobs (Node): the judge reads each image as its caption's image's class. */
import { evaluateAgainst } from '../noise-evaluation.js';
import type { FamilyHost } from '../family.js';
import { drawCaptions, generateForCaptions } from './evaluation.js';
import { promptJob, promptWalkJob, vocabularyJob } from './prompt-jobs.js';
import { TextGanTrainer } from './trainer.js';

export const textHost: FamilyHost<TextGanTrainer> = {
  evaluate: (c, step, sources) =>
    evaluateAgainst(c, step, sources, (ck) => TextGanTrainer.fromCheckpoint(ck), async (trainer, n, seed, data) => {
      // Captions of the dataset's images; the judge is asked whether each image shows its caption's image's class.
      const draw = drawCaptions(data, n, seed);
      return { labels: draw.labels, batch: await generateForCaptions(trainer, Array.from(draw.captions, (i) => data.captions!.texts[i]), seed) };
    }),
  prompt: promptJob,
  promptWalk: promptWalkJob,
  vocabulary: vocabularyJob,
};
