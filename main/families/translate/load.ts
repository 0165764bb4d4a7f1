/** A translation checkpoint's model, for translating images (the family's `load` gives one of these). */
import type { CycleGanTrainer } from './cyclegan.js';
import type { Pix2PixTrainer } from './pix2pix.js';

export type TranslationModel = Pix2PixTrainer | CycleGanTrainer;
