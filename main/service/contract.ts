/**
 * The one contract between the studio's front ends (desktop UI, browser
 * mode, CLI) and its Node side: every command with its input schema and
 * result type, and every event. Inputs are parsed here before anything runs;
 * nothing that crosses the boundary is trusted.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { TrainConfigSchema } from '../families/run-config.js';
import { MAX_SWEEP } from '../runs/sweep.js';
import { DIRECTIONS } from '../families/family.js';
import { RunId, SafeName } from '../core/names.js';
import { QUEUE_COMMANDS, QueueOptionsSchema, type QueueResults } from './contract-queue.js';
import { ESTIMATE_COMMANDS, type EstimateEvents, type EstimateResults } from './contract-estimate.js';
import type { RunRecord } from '../runs/store.js';
import type { BackendStatus } from '../engine/backends.js';
import type { Favorite } from '../runs/favorites.js';
import type { FineTuneOrigin } from '../runs/fine-tunes.js';
import type { DatasetDetail, DatasetInfo } from '../datasets/store.js';
import type { GalleryPage } from '../datasets/gallery.js';
import { ImportOptionsSchema } from '../datasets/import/options.js';
import type { ImportProgress, ImportReport } from '../datasets/import/report.js';

/** How far an augmentation study this process drives has got (the study events and `study.get` carry it). */
export interface StudyProgress {
  cellsDone: number;
  cells: number;
  /** Of the cell being measured: classifier steps done of all its arms. */
  cellFraction: number;
  gansDone: number;
  gans: number;
  /** Steps trained of all the study's GAN runs, as a share of their targets. */
  ganFraction: number;
}

export type { DatasetDetail, DatasetInfo, Favorite, GalleryPage, ImportProgress, ImportReport };
import type { StepMetrics } from '../engine/step-metrics.js';
import type { Evaluation, NearestPictures } from '../evaluation/evaluation.js';
import type { TrainingStatus } from '../evaluation/status.js';

export type { Evaluation, NearestPictures, TrainingStatus };
import type { SeriesPoint } from '../db/series.js';
import type { RunSummary } from '../training/protocol.js';
export type { QueuedRun, WorkerInfo } from './contract-queue.js';
export type { QualityReach, QualityRecord, SpeedEstimate, TimeEstimate } from './contract-estimate.js';
import { PlaygroundSettingsSchema } from '../playground/settings.js';
import { ENCODER_STEPS, PROJECT_STARTS, PROJECT_STEPS } from '../latent/defaults.js';
import type { AttributeDirection } from '../latent/attribute-directions.js';
import { StudySettingsSchema } from '../studies/settings.js';
import type { StudyReport } from '../studies/report.js';
import type { StudyRecord, StudyStatus } from '../runs/studies.js';
import type { StudyCell } from '../studies/cell.js';
import type { PromptWords } from '../generation/protocol.js';

export type { StudyCell, StudyRecord, StudyReport, StudyStatus, PromptWords };
import { PLAYGROUND_ACTIONS, type PlaygroundFrame, type PlaygroundStarted, type PlaygroundState, type PlaygroundSummary } from '../playground/protocol.js';

export type { PlaygroundFrame, PlaygroundStarted, PlaygroundState, PlaygroundSummary };

/** Image files the studio upscales for a page: a large phone photo fits. */
export const MAX_UPSCALE_BYTES = 24 * 2 ** 20;

export { RunId };
const StudyId = z.string().regex(/^s-\d{8}-\d{6}-[0-9a-f]{4}$/, 'is not a study id');
const Tag = SafeName.pipe(z.string().max(40, 'is longer than 40 characters'));
const Step = z.number().int().min(0).max(1e9);
/** A column of the metrics table (the store says which there are: each family adds its own). */
const MetricName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'is not a metric name');
const Seed = z.number().int().min(0).max(2 ** 32 - 1);
const ClassLabel = z.number().int().min(0).max(10_000);
/** A latent vector; its length is checked against the run's zDim when it is used. */
const Latent = z.array(z.number().finite().min(-1e3).max(1e3)).min(1).max(1024);

const Prompt = z.string().trim().min(1, 'type a prompt').max(500, 'is longer than 500 characters');
const ConfigChanges = TrainConfigSchema.omit({ dataset: true }).partial();
const Ticket = z.string().min(1).max(64);
const Weight = z.number().finite().min(0).max(1000);
/** An image file's bytes, base64 (PNG, JPEG, WebP, …). */
/** A folder to write into, named by the command line (a service opened with localFiles); the studio's pages export under <home>/exports. */
const OutDir = z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path');
const ImageBytes = z.string().min(1).max(Math.ceil((MAX_UPSCALE_BYTES * 4) / 3) + 4, `is larger than ${MAX_UPSCALE_BYTES / 2 ** 20} MB`);

export const COMMANDS = {
  /** Which tensor backends can train here, and why the others cannot. */
  'system.backends': z.object({}).strict(),
  ...QUEUE_COMMANDS,
  ...ESTIMATE_COMMANDS,
  'datasets.list': z.object({}).strict(),
  'datasets.show': z.object({ name: SafeName }).strict(),
  'datasets.delete': z.object({ name: SafeName }).strict(),
  /** Resolves with the report when the import ends; progress comes as dataset.import events. */
  'datasets.import': ImportOptionsSchema.extend({
    paths: z.array(z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path')).min(1, 'name at least one folder, zip or image').max(100_000),
    captions: z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path').optional(),
  }),
  'datasets.cancelImport': z.object({ name: SafeName }).strict(),
  /** A page of a dataset's images as PNGs, optionally of one class. */
  'datasets.images': z
    .object({
      name: SafeName,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(64),
      label: z.number().int().min(0).optional(),
      /** Only images with a caption holding every word of this. */
      text: z.string().max(200).optional(),
    })
    .strict(),
  /** `remote`: queue it for a worker on the studio's Redis instead of training here (`queue`: its place there). */
  'runs.create': z
    .object({
      name: SafeName.optional(),
      config: TrainConfigSchema,
      start: z.boolean().default(true),
      remote: z.boolean().default(false),
      queue: QueueOptionsSchema.optional(),
      /** Fine-tuning: start from this run's newest weights (same family and resolution) on config.dataset. */
      from: RunId.optional(),
    })
    .strict(),
  'runs.start': z.object({ id: RunId, remote: z.boolean().default(false), queue: QueueOptionsSchema.optional() }).strict(),
  'runs.pause': z.object({ id: RunId }).strict(),
  'runs.resume': z.object({ id: RunId, steps: z.number().int().positive().max(1e7).optional(), remote: z.boolean().default(false), queue: QueueOptionsSchema.optional() }).strict(),
  'runs.stop': z.object({ id: RunId }).strict(),
  'runs.fork': z.object({ id: RunId, name: SafeName.optional(), changes: ConfigChanges.default({}), start: z.boolean().default(false) }).strict(),
  'runs.rename': z.object({ id: RunId, name: SafeName }).strict(),
  'runs.tag': z.object({ id: RunId, add: z.array(Tag).max(20).default([]), remove: z.array(Tag).max(20).default([]) }).strict(),
  'runs.note': z.object({ id: RunId, notes: z.string().max(10_000, 'is longer than 10,000 characters') }).strict(),
  'runs.delete': z.object({ id: RunId }).strict(),
  'runs.list': z
    .object({ status: z.string().max(20).optional(), tag: Tag.optional(), dataset: SafeName.optional(), text: z.string().max(200).optional() })
    .strict(),
  'runs.show': z.object({ id: RunId }).strict(),
  'runs.compare': z.object({ ids: z.array(RunId).min(2).max(MAX_SWEEP) }).strict(),
  'metrics.series': z
    .object({ id: RunId, metric: MetricName, from: Step.optional(), to: Step.optional(), points: z.number().int().min(2).max(20_000).default(2000) })
    .strict(),
  'samples.generate': z
    .object({
      id: RunId,
      /** The checkpoint to draw from; the newest when absent. */
      step: Step.optional(),
      count: z.number().int().min(1).max(256).default(16),
      seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
      /** Explicit latents, one array of zDim numbers per image; overrides count and seed. */
      latents: z.array(Latent).max(256).optional(),
      classLabel: ClassLabel.optional(),
      /** 1 leaves latents as they are; towards 0 pulls them to the prior's mean. */
      truncation: z.number().min(0).max(1).default(1),
    })
    .strict(),
  /** Principal directions of what the generator draws, as latent directions (GANSpace). */
  'latent.directions': z
    .object({ id: RunId, step: Step.optional(), k: z.number().int().min(1).max(16).default(6), samples: z.number().int().min(32).max(2000).default(400), seed: Seed.default(1) })
    .strict(),
  /** An animated GIF walking through two or more keyframe latents. */
  'latent.walk': z
    .object({
      id: RunId,
      step: Step.optional(),
      keyframes: z.array(Latent).min(2, 'needs at least two keyframes').max(32).optional(),
      /** Instead of keyframes: one latent per seed, as samples.generate draws it for that seed. */
      seeds: z.array(Seed).min(2, 'needs at least two seeds').max(32).optional(),
      frames: z.number().int().min(2).max(2000).default(48),
      spherical: z.boolean().default(true),
      fps: z.number().min(1).max(50).default(12),
      scale: z.number().int().min(1).max(16).default(4),
      classLabel: ClassLabel.optional(),
      truncation: z.number().min(0).max(1).default(1),
    })
    .strict(),
  'favorites.list': z.object({ id: RunId }).strict(),
  'favorites.save': z.object({ id: RunId, name: SafeName, latent: Latent, classLabel: ClassLabel.optional() }).strict(),
  'favorites.delete': z.object({ id: RunId, favoriteId: z.number().int().min(1) }).strict(),
  /** N generated PNGs (per class, or all of one class, for conditional runs) into a new folder under <home>/exports, or `out`. */
  'export.images': z
    .object({
      id: RunId,
      step: Step.optional(),
      count: z.number().int().min(1).max(1_000_000).default(1000),
      perClass: z.boolean().default(false),
      classLabel: ClassLabel.optional(),
      seed: Seed.default(1),
      /** Also grid.png of the first 1,024. */
      grid: z.boolean().default(false),
      out: OutDir.optional(),
      /** Images written come as export.progress events with this ticket. */
      ticket: Ticket.optional(),
    })
    .strict(),
  /** The generator as a TensorFlow.js LayersModel into a new folder under <home>/exports, or `out`. */
  'export.model': z.object({ id: RunId, step: Step.optional(), out: OutDir.optional() }).strict(),
  /** The fixed-latent preview grid a run drew at a step (see runs.show sampleSteps). */
  'samples.snapshot': z.object({ id: RunId, step: Step }).strict(),
  /** An evaluation's most typical and most novel samples beside their nearest training images (the newest evaluation's without a step). */
  'runs.memorisation': z.object({ id: RunId, step: Step.optional() }).strict(),
  'checkpoints.list': z.object({ id: RunId }).strict(),
  'checkpoints.delete': z.object({ id: RunId, step: Step }).strict(),
  /** A super-resolution run's model on one image (any size, in tiles); tiles done come as upscale.progress events with the same ticket. */
  'images.upscale': z
    .object({
      id: RunId,
      step: Step.optional(),
      image: ImageBytes,
      name: z.string().min(1).max(255).default('image'),
      tile: z.number().int().min(16).max(2048).default(128),
      /** Only read and check the image: the answer has the sizes and an empty png. */
      check: z.boolean().default(false),
      ticket: Ticket.optional(),
    })
    .strict(),
  /** A translation run's model (pix2pix or CycleGAN) on one image of any size, in overlapping tiles; tiles done come as translate.progress events with the same ticket. */
  'images.translate': z
    .object({
      id: RunId,
      step: Step.optional(),
      image: ImageBytes,
      name: z.string().min(1).max(255).default('image'),
      direction: z.enum(DIRECTIONS).default('AtoB'),
      /** pix2pix: make the input from this image as training made it (its edges, a blanked centre). */
      derive: z.boolean().default(false),
      /** Only read and check the image: the answer has the size and an empty png. */
      check: z.boolean().default(false),
      ticket: Ticket.optional(),
    })
    .strict(),
  /**
   * A GAN run's latent (and class) whose image matches this one (GAN
   * inversion): Adam on z from several starts, from the run's encoder's
   * guess when it has one. Steps done come as project.progress events with
   * the current reconstruction; images.cancel with the ticket stops it.
   */
  'images.project': z
    .object({
      id: RunId,
      step: Step.optional(),
      image: ImageBytes,
      name: z.string().min(1).max(255).default('image'),
      steps: z.number().int().min(1).max(5000).default(PROJECT_STEPS),
      starts: z.number().int().min(1).max(64).default(PROJECT_STARTS),
      /** Start from the encoder's guess when the run has one for this checkpoint (latent.encoder). */
      encoder: z.boolean().default(true),
      /** The distance's terms (pixels, judge features, D's features, the prior), where not the defaults. */
      weights: z.object({ pixel: Weight, judge: Weight, d: Weight, prior: Weight }).partial().strict().default({}),
      ticket: Ticket.optional(),
    })
    .strict(),
  /** Stops the projection or encoder training with this ticket at its next step; it then fails with CANCELLED. */
  'images.cancel': z.object({ ticket: Ticket }).strict(),
  /** Trains the run's encoder for a checkpoint (once; kept with the run) in the background; steps come as encoder.progress events. */
  'latent.encoder': z
    .object({
      id: RunId,
      step: Step.optional(),
      steps: z.number().int().min(1).max(100_000).default(ENCODER_STEPS),
      /** Train again even if the checkpoint has an encoder (the old one is replaced only when the new one is saved). */
      retrain: z.boolean().default(false),
      ticket: Ticket.optional(),
    })
    .strict(),
  /**
   * Attribute directions (InterFaceGAN) for every attribute the studio can
   * read from the run's samples — the dataset's classes by its judge, parts
   * of class names, stroke thickness and slant for grayscale — each tried on
   * fresh samples at +3 σ. `keep`: attributes the others are made orthogonal to.
   */
  'latent.attributes': z
    .object({ id: RunId, step: Step.optional(), samples: z.number().int().min(50).max(10_000).default(1000), seed: Seed.default(1), keep: z.array(z.string().max(200)).max(16).default([]) })
    .strict(),
  /** A direction from examples a person marked: latents with the attribute and without. */
  'latent.fit': z.object({ id: RunId, positive: z.array(Latent).min(1, 'mark at least one example with the attribute').max(500), negative: z.array(Latent).min(1, 'mark at least one example without the attribute').max(500) }).strict(),
  /** A latent moved along directions by amounts (σ), and for a conditional run blended towards another class, as PNG with every attribute's reading. */
  'images.edit': z
    .object({
      id: RunId,
      step: Step.optional(),
      latent: Latent,
      classLabel: ClassLabel.optional(),
      /** A conditional run's class input moved from classLabel towards classTo by `mix` (0–1). */
      classTo: ClassLabel.optional(),
      mix: z.number().min(0).max(1).default(0),
      moves: z.array(z.object({ direction: Latent, amount: z.number().min(-10).max(10) }).strict()).max(32).default([]),
      /** Where measures (thickness, slant) count as positive, from latent.attributes. */
      thresholds: z.record(z.string().max(200), z.number().finite()).default({}),
    })
    .strict(),
  /**
   * An augmentation study of a labelled dataset: a classifier trained on K
   * real images per class, on them plus M generated per class by a
   * class-conditional GAN trained on the same K, and with classic
   * augmentation, each measured on test images no GAN or classifier saw.
   * GAN runs it needs are found (same subset) or queued; progress comes as
   * augment.progress events, the end as augment.status.
   */
  'augment.start': StudySettingsSchema.extend({ name: SafeName.optional() }).strict(),
  'augment.list': z.object({}).strict(),
  /** A study with its cells, its GAN runs and its report. */
  'augment.show': z.object({ id: StudyId }).strict(),
  'augment.stop': z.object({ id: StudyId }).strict(),
  /** Measures the cells not yet saved, training on the GAN runs that did not finish. */
  'augment.resume': z.object({ id: StudyId }).strict(),
  /** Deletes the study and its results; its GAN runs stay (they are runs like any other). */
  'augment.delete': z.object({ id: StudyId }).strict(),
  /** Every classifier measured, as CSV. */
  'augment.csv': z.object({ id: StudyId }).strict(),
  /** The words a text-to-image run knows, most frequent first (for prompt suggestions). */
  'text.vocabulary': z.object({ id: RunId, step: Step.optional() }).strict(),
  /** Images of one prompt, one per latent (from seed, or given); words the run does not know are reported, and ignored. */
  'text.generate': z
    .object({
      id: RunId,
      step: Step.optional(),
      prompt: Prompt,
      /** At most 64 answered; up to 10,000 written to `out`. */
      count: z.number().int().min(1).max(10_000).default(16),
      seed: Seed.optional(),
      latents: z.array(Latent).max(64).optional(),
      truncation: z.number().min(0).max(1).default(1),
      /** Write the images (and grid.png) there instead of answering with them. */
      out: OutDir.optional(),
    })
    .strict(),
  /** An animated GIF of one latent moving from one prompt's caption vector to another's. */
  'text.interpolate': z
    .object({
      id: RunId,
      step: Step.optional(),
      from: Prompt,
      to: Prompt,
      seed: Seed.default(1),
      latent: Latent.optional(),
      frames: z.number().int().min(2).max(240).default(32),
      fps: z.number().min(1).max(50).default(12),
      scale: z.number().int().min(1).max(16).default(4),
      truncation: z.number().min(0).max(1).default(1),
    })
    .strict(),
  /** A 2D playground session (small MLP G and D on points); frames follow as playground.frame events. Replaces any session running. */
  'playground.start': PlaygroundSettingsSchema,
  /** 'step' trains exactly one step (k D updates, one G update) of a paused session; 'pause' answers once no more frames will come. */
  'playground.control': z.object({ session: z.string().regex(/^pg-\d{1,9}$/, 'is not a playground session'), action: z.enum(PLAYGROUND_ACTIONS) }).strict(),
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.input<(typeof COMMANDS)[C]>;
export type ParsedInput<C extends CommandName> = z.output<(typeof COMMANDS)[C]>;
/** What serves each command: the service's handlers, split by area. */
export type CommandHandlers = { [C in CommandName]: (input: ParsedInput<C>) => Promise<CommandResults[C]> | CommandResults[C] };


export interface CheckpointInfo {
  step: number;
  path: string;
  size: number;
  createdAt: string;
}

export interface RunDetail extends RunRecord {
  checkpoints: CheckpointInfo[];
  sampleSteps: number[];
  lastMetrics: StepMetrics | null;
  /** The judges' newest figures, null before the first checkpoint's evaluation. */
  lastEvaluation: Omit<Evaluation, 'judge' | 'ms' | 'numClasses'> | null;
  /** What the recent curves and the last evaluation say, in words. */
  trainingStatus: TrainingStatus;
  parentId: string | null;
  parentKind: 'resume' | 'fork' | null;
  /** A fine-tuned run's lineage: the run and step its weights came from. */
  startedFrom: FineTuneOrigin | null;
}

export interface CommandResults extends QueueResults, EstimateResults {
  'system.backends': BackendStatus[];
  'datasets.list': DatasetInfo[];
  /** With the cover grid as base64 PNG. */
  'datasets.show': DatasetDetail & { cover: string | null };
  'datasets.delete': { deleted: string };
  'datasets.import': ImportReport;
  'datasets.cancelImport': { cancelled: string };
  'datasets.images': GalleryPage;
  'runs.create': RunRecord;
  'runs.start': RunRecord;
  'runs.pause': RunRecord;
  'runs.resume': RunRecord;
  'runs.stop': RunRecord;
  'runs.fork': RunRecord;
  'runs.rename': RunRecord;
  'runs.tag': RunRecord;
  'runs.note': RunRecord;
  'runs.delete': { deleted: string };
  'runs.list': RunRecord[];
  'runs.show': RunDetail;
  'runs.compare': { differingSettings: string[]; runs: RunDetail[] };
  'metrics.series': SeriesPoint[];
  /** PNG images, base64, in the model's resolution; and the latents that made them. */
  'samples.generate': { step: number; images: string[]; latents: number[][] };
  'latent.directions': { step: number; directions: number[][]; explained: number[] };
  /** Base64 GIF. */
  'latent.walk': { step: number; gif: string; frames: number };
  'favorites.list': Favorite[];
  'favorites.save': Favorite;
  'favorites.delete': { deleted: number };
  'export.images': { step: number; dir: string; dirs: string[]; count: number; grid: string | null };
  /** `use`: what the model takes and gives, for the person loading it. */
  'export.model': { step: number; dir: string; files: string[]; use: string | null };
  /** Base64 PNG. */
  'samples.snapshot': { step: number; png: string };
  /** null: no evaluation of the run has kept pictures (yet). */
  'runs.memorisation': (NearestPictures & { steps: number[] }) | null;
  'checkpoints.list': CheckpointInfo[];
  'checkpoints.delete': { deleted: number };
  /** Base64 PNG at the run's scale, with the sizes before and after. */
  'images.upscale': { step: number; png: string; width: number; height: number; inputWidth: number; inputHeight: number };
  /** Base64 PNG, the input's size. */
  'images.translate': { step: number; png: string; width: number; height: number };
  /** The latent found, its image and the input as the model sees it (base64 PNGs), how close they are, and the distance at each step. */
  'images.project': {
    step: number;
    latent: number[];
    classLabel: number | null;
    png: string;
    target: string;
    psnr: number;
    judgeDistance: number | null;
    history: number[];
    ms: number;
    encoder: boolean;
  };
  'images.cancel': { ticket: string };
  'latent.encoder': { step: number; cached: boolean; seconds: number; loss: number | null };
  'latent.attributes': { step: number; attributes: AttributeInfo[] };
  'latent.fit': { direction: number[]; accuracy: number };
  'images.edit': { step: number; png: string; latent: number[]; readings: Record<string, number> };
  'augment.start': StudyRecord;
  'augment.list': (StudyRecord & { cellsDone: number; cells: number })[];
  'augment.show': StudyDetail;
  'augment.stop': StudyRecord;
  'augment.resume': StudyRecord;
  'augment.delete': { deleted: string };
  'augment.csv': { csv: string; filename: string };
  'text.vocabulary': { step: number; words: string[]; counts: number[]; maxLen: number; encoderSteps: number };
  /** With `out`: no images, and grid the grid.png written. */
  'text.generate': { step: number; images: string[]; latents: number[][]; unknown: string[]; known: number; grid: string | null };
  'text.interpolate': { step: number; gif: string; frames: number; unknown: PromptWords[] };
  'playground.start': PlaygroundStarted;
  'playground.control': PlaygroundState;
}

/** A study, what it measured, what that says, and the state of its GAN runs. */
export interface StudyDetail extends StudyRecord {
  classNames: string[];
  cells: StudyCell[];
  /** Cells (a K and a seed) measured and in all. */
  cellsDone: number;
  cellCount: number;
  report: StudyReport;
  gans: { key: string; runId: string; trained: boolean; status: RunRecord['status'] | 'deleted'; step: number; target: number }[];
  /** Classic augmentation mirrored images too. */
  flips: boolean;
  progress: StudyProgress | null;
}

/** One attribute direction and how it did on fresh samples: read as positive before and after +3 σ, other attributes kept. */
export type AttributeInfo = Omit<AttributeDirection, 'direction'> & { direction: number[] };

/** FORBIDDEN is never the service's own answer: the desktop app's IPC guard and preload give it to calls they refuse. */
export type ErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE' | 'CANCELLED' | 'FAILED' | 'FORBIDDEN';

export interface CommandError {
  code: ErrorCode;
  message: string;
}

export type CommandResult<C extends CommandName> = { ok: true; value: CommandResults[C] } | { ok: false; error: CommandError };

export interface StudioEvents extends EstimateEvents {
  'dataset.import.progress': ImportProgress;
  /** The end of an import: its report, or why it failed (nothing is saved then). */
  'dataset.import.finished': { name: string; report: ImportReport | null; error: string | null };
  'run.started': { id: string; backend: string; backendDetail: string; step: number; target: number; resumedFrom: number | null };
  'run.progress': { id: string; metrics: StepMetrics; target: number };
  'run.checkpoint': { id: string; step: number; path: string };
  'run.warning': { id: string; message: string };
  /** The end of a training session: its summary, or why it failed. */
  'run.finished': { id: string; summary: RunSummary | null; error: string | null };
  'run.sample': { id: string; step: number; file: string };
  /** The judges' figures for a checkpoint, measured beside training. */
  'run.evaluation': { id: string; evaluation: Evaluation };
  'run.status': { id: string; status: RunRecord['status']; error: string | null };
  /** A playground session's picture: throttled to about 12 a second while it trains, one per step while stepping. */
  'playground.frame': PlaygroundFrame;
  'playground.finished': PlaygroundSummary;
  /** Images written of an export.images call with this ticket. */
  'export.progress': { id: string; ticket: string; done: number; total: number };
  /** Tiles done of an images.upscale call with this ticket. */
  'upscale.progress': { id: string; ticket: string; done: number; total: number };
  /** Tiles done of an images.translate call with this ticket. */
  'translate.progress': { id: string; ticket: string; done: number; total: number };
  /** Steps done of an images.project call with this ticket, the best distance so far, and every 10 steps the current reconstruction (base64 PNG). */
  'project.progress': { id: string; ticket: string; done: number; total: number; distance: number | null; png: string | null };
  /** Steps done of a latent.encoder call with this ticket, and its recent latent error. */
  'encoder.progress': { id: string; ticket: string; done: number; total: number; loss: number | null };
  /** An augmentation study's cells measured, the one under way, and its GAN runs' training. */
  'augment.progress': { id: string } & StudyProgress;
  /** A study started, finished, stopped, failed or was interrupted. */
  'augment.status': { id: string; status: StudyStatus; error: string | null };
}

export type EventName = keyof StudioEvents;

/** Every event, for transports that forward them all. */
export const EVENT_NAMES = [
  'dataset.import.progress',
  'dataset.import.finished',
  'run.started',
  'run.progress',
  'run.checkpoint',
  'run.warning',
  'run.finished',
  'run.sample',
  'run.evaluation',
  'run.status',
  'playground.frame',
  'playground.finished',
  'export.progress',
  'upscale.progress',
  'translate.progress',
  'project.progress',
  'encoder.progress',
  'augment.progress',
  'augment.status',
  'estimate.progress',
] as const satisfies readonly EventName[];
// A compile error here means an event was added to StudioEvents but not to EVENT_NAMES.
const _allEvents: Exclude<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;
void _allEvents;
