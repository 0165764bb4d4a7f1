/**
 * What runs.create refuses up front for the image-to-image tasks and text
 * runs, from the datasets' records alone, as the trainer would refuse it
 * once started: a run that cannot train is never created.
 */
import type { TrainConfig } from '../engine/config.js';
import { unetDepth } from '../engine/translate/networks.js';
import type { DatasetInfo } from '../datasets/store.js';
import { StudioError } from '../errors.js';

const invalid = (message: string) => new StudioError(message, 'INVALID_INPUT');

export function checkTaskData(config: TrainConfig, dataset: (name: string) => DatasetInfo): void {
  const info = dataset(config.dataset);
  if (config.model === 'text' && !info.captioned) {
    throw invalid(`dataset ${config.dataset} has no captions: import it with captions.csv, captions.json or captions.txt beside the images (or class folders), or train model dcgan`);
  }
  if (config.superres) {
    const { crop } = config.superres;
    if (info.size < crop) throw invalid(`dataset ${config.dataset} has ${info.size} px images, smaller than the ${crop} px crops; import it at a larger size or choose a smaller crop`);
    if (info.imageCount < 2) throw invalid(`dataset ${config.dataset} has one image; super-resolution needs at least one to train on and one to measure with`);
  }
  const t = config.translate;
  if (!t) return;
  if (config.task === 'pix2pix') {
    if (unetDepth(info.size) < 2) throw invalid(`dataset ${config.dataset} has ${info.size} px images; pix2pix needs a side divisible by 4`);
    if (t.source === 'gray' && info.channels === 1) throw invalid(`dataset ${config.dataset} is grayscale already; colourisation needs colour images`);
    if (t.source === 'pairs' && (info.classes.length !== 2 || !info.classes.every((c) => /^[ab]$/i.test(c)))) {
      throw invalid(`dataset ${config.dataset} is not a paired dataset: import folders A/ and B/ (or side-by-side A|B images) as pairs`);
    }
    if (info.imageCount < (t.source === 'pairs' ? 4 : 2)) throw invalid(`dataset ${config.dataset} is too small: pix2pix needs pairs to train on and one to measure with`);
    return;
  }
  if (t.datasetB) {
    const b = dataset(t.datasetB);
    if (b.size !== info.size || b.channels !== info.channels) {
      throw invalid(`the two domains must have images of one size and channels: ${info.name} has ${info.size} px ×${info.channels}, ${b.name} ${b.size} px ×${b.channels}`);
    }
    if (info.imageCount < 2 || b.imageCount < 2) throw invalid('each domain needs at least 2 images: one to train on, one to measure with');
  } else {
    for (const c of [t.classA!, t.classB!]) if (!info.classes.includes(c)) throw invalid(`dataset ${config.dataset} has no class "${c}"`);
  }
  if (info.size % 4 !== 0) throw invalid(`dataset ${config.dataset} has ${info.size} px images; CycleGAN needs a side divisible by 4`);
}
