/**
 * A text-conditional GAN in the manner of GAN-INT-CLS (Reed et al. 2016).
 * Two phases in one run: first the image–text encoder learns the dataset's
 * (image, caption) pairs; then, with the encoder frozen, the DCGAN generator
 * draws from noise and a caption's vector, and a matching-aware
 * discriminator learns to call three things apart: real images with their
 * own captions (real), real images with another image's caption, and
 * generated images (both fake). Part of each generator batch is drawn from
 * mixes of two captions' vectors (INT), which D also judges by the mix.
 */
import { takeData, tf } from '../../engine/tf.js';
import { Adam } from '../../engine/adam.js';
import type { CheckpointData } from '../run-checkpoint.js';
import type { PromptWords } from '../family.js';
import type { TextSettings } from './settings.js';
import type { TrainConfig } from '../run-config.js';
import { generatorLoss, judgedReal, r1Penalty, verdict } from '../../engine/losses.js';
import { DiscriminatorAugment } from '../../engine/augment.js';
import { NetPair, pairSettings } from '../../engine/net-pair.js';
import type { Mode } from '../../engine/layers.js';
import type { ParamSet } from '../../engine/params.js';
import { Rng } from '../../engine/rng.js';
import { previewSeed } from '../../engine/sampling.js';
import { type ImageBatch } from '../../core/image-batch.js';
import { dropoutMode, R1_INTERVAL, spectralVectorsOf } from '../../engine/regularisers.js';
import { imageBatch } from '../../engine/batches.js';
import { adversarialMetrics, type StepMetrics } from '../../engine/step-metrics.js';
import type { RunTrainer } from '../run-checkpoint.js';
import { bagOfWords, contrastiveLoss, createImageTower, createTextTower, encodeImages, encodeText, sameCaption } from './encoder.js';
import { FIRST_WORD, MAX_TOKENS, Tokenizer } from '../../core/tokens.js';
import { CaptionSampler } from './caption-sampler.js';
import {
  CALIBRATION,
  discriminateText,
  encoderSpec,
  generateFromText,
  matchingAwareLoss,
  textDiscriminator,
  textGenerator,
  textSpecFor,
  type TextSpec,
} from './networks.js';

export { matchingAwareLoss, type TextSpec };
import type { Dataset } from '../../core/dataset.js';
import { StudioError } from '../../errors.js';

const PREVIEW_ROWS = 8;
const PREVIEW_COLUMNS = 8;
/** Caption vectors are computed this many at a time. */
const CHUNK = 512;

export class TextGanTrainer extends NetPair implements RunTrainer {
  readonly T: ParamSet;
  readonly I: ParamSet;
  readonly optE: Adam;
  readonly tokenizer: Tokenizer;
  readonly milestones: number[];
  private readonly augment: DiscriminatorAugment;
  private readonly settings: TextSettings;
  private readonly captions: CaptionSampler | null;
  /** Every caption's vector once the encoder phase is over: [captions, embedDim]. */
  private vectors: Float32Array | null = null;

  private constructor(
    readonly config: TrainConfig,
    readonly spec: TextSpec,
    private readonly data: Dataset | null,
    from?: CheckpointData,
  ) {
    const init = Rng.fromSeed(config.seed);
    super(textGenerator(spec, init), textDiscriminator(spec, init), pairSettings(config), init);
    this.settings = config.text!;
    this.T = createTextTower(encoderSpec(spec), init);
    this.I = createImageTower(encoderSpec(spec), init);
    this.optE = new Adam('adamE', new Map([...this.T.trainable, ...this.I.trainable]), { lr: this.settings.encoderLr, beta1: 0.9, beta2: 0.999 });
    this.tokenizer = new Tokenizer(spec.text.vocab, spec.text.maxLen);
    this.captions = data ? new CaptionSampler(data, this.tokenizer) : null;
    this.augment = new DiscriminatorAugment(config.augment, data, from);
    this.milestones = [this.settings.encoderSteps];
    if (from) this.restore(from);
  }

  static create(config: TrainConfig, data: Dataset, from?: CheckpointData): TextGanTrainer {
    const spec = from ? textCheckpointSpec(from) : textSpecFor(config, data);
    if (spec.size !== data.size || spec.channels !== data.channels) {
      throw new StudioError(`checkpoint was trained on ${spec.size} px ×${spec.channels} images, dataset has ${data.size} px ×${data.channels}`);
    }
    if (!data.captions?.texts.length) throw new StudioError(`dataset ${data.name} has no captions to train a text-conditional run on`);
    return new TextGanTrainer(config, spec, data, from);
  }

  /** The networks of a checkpoint, for generating from prompts; it cannot train. */
  static fromCheckpoint(c: CheckpointData): TextGanTrainer {
    return new TextGanTrainer(c.config, textCheckpointSpec(c), null, c);
  }

  get encoderTrained(): boolean {
    return this.step >= this.settings.encoderSteps;
  }

  override tensors(): Map<string, tf.Variable> {
    return new Map([...super.tensors(), ...this.T.all(), ...this.I.all(), ...this.optE.stateTensors()]);
  }

  override async read(): Promise<Pick<CheckpointData, 'tensors' | 'iterations'>> {
    const r = await super.read();
    return { ...r, iterations: { ...r.iterations, adamE: this.optE.iterations } };
  }

  override load(c: CheckpointData): void {
    super.load(c);
    this.optE.iterations = c.iterations.adamE ?? 0;
  }

  private vectorsOf(captions: ArrayLike<number>): tf.Tensor2D {
    const e = this.spec.text.embedDim;
    const out = new Float32Array(captions.length * e);
    for (let i = 0; i < captions.length; i++) out.set(this.vectors!.subarray(captions[i] * e, (captions[i] + 1) * e), i * e);
    return tf.tensor2d(out, [captions.length, e]);
  }

  /** Phase one: a contrastive step of the image–text encoder. */
  private async encoderStep(): Promise<StepMetrics> {
    const t0 = performance.now();
    const n = this.config.batch;
    const { images, captions } = this.captions!.pairs(this.rng, n);
    const c = this.captions!;
    const loss = tf.tidy(() => {
      const x = imageBatch(this.data!, images);
      const bags = this.captions!.bags(captions);
      const same = sameCaption(Array.from(captions, (k) => c.key[k]));
      const { value, grads } = tf.variableGrads(() => contrastiveLoss(encodeImages(this.I, x), encodeText(this.T, bags), same), [
        ...this.T.trainableList(),
        ...this.I.trainableList(),
      ]);
      this.optE.apply(grads);
      return value;
    });
    this.step++;
    const [value] = await takeData(loss);
    if (this.encoderTrained) await this.encoderFinished();
    const ms = performance.now() - t0;
    return { step: this.step, dLoss: null, gLoss: null, dReal: null, dFake: null, accReal: null, accFake: null, encoder: value, ms, imagesPerSec: (n * 1000) / ms };
  }

  /** The encoder is frozen from here: every caption's vector, and the calibration set, computed once. */
  private async encoderFinished(): Promise<void> {
    await this.computeVectors();
    const pick = Rng.fromSeed(0x5eed5);
    const calib = Int32Array.from({ length: CALIBRATION }, () => pick.int(this.captions!.size));
    tf.tidy(() => {
      const v = this.vectorsOf(calib);
      for (const p of [this.G, this.ema]) p?.get('text/calib').assign(v);
    });
    this.averageStale = true;
  }

  /** Read back asynchronously: a GPU backend cannot read synchronously. */
  private async computeVectors(): Promise<void> {
    const total = this.captions!.size;
    const e = this.spec.text.embedDim;
    const vectors = new Float32Array(total * e);
    for (let i = 0; i < total; i += CHUNK) {
      const idx = Int32Array.from({ length: Math.min(CHUNK, total - i) }, (_, k) => i + k);
      vectors.set(await takeData(tf.tidy(() => encodeText(this.T, this.captions!.bags(idx)))), i * e);
    }
    this.vectors = vectors;
  }

  private augmented(images: tf.Tensor4D): tf.Tensor4D {
    return this.augment.seen(this.rng, images);
  }

  private spectralVectors(): Mode['spectral'] {
    return spectralVectorsOf(this.D, this.spec);
  }

  /** One matching-aware D update: matched real pairs, mismatched real pairs and generated images, through D as one batch. */
  private discriminatorStep(): { value: tf.Scalar; logits: tf.Tensor1D } {
    const { loss, batch: n, labelSmoothing, r1 } = this.config;
    const spec = this.spec;
    const { images, captions } = this.captions!.pairs(this.rng, n);
    const real = imageBatch(this.data!, images);
    const h = this.vectorsOf(captions);
    const hWrong = this.vectorsOf(this.captions!.mismatched(this.rng, captions));
    const fake = generateFromText(this.G, spec, tf.tensor2d(this.rng.normal(n * spec.zDim), [n, spec.zDim]), h, { training: true });
    const spectral = this.spectralVectors();
    const mode = { ...dropoutMode(this.rng, spec, 3 * n), spectral };
    const seen = this.augmented(tf.concat([real, real, fake]));
    const conds = tf.concat([h, hWrong, h]);
    const withR1 = r1 > 0 && this.optD.iterations % R1_INTERVAL === 0;
    let logits: tf.Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const all = discriminateText(this.D, spec, seen, conds, mode);
      logits = tf.keep(all);
      const [matched, wrong, generated] = tf.split(all, 3) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      let l = matchingAwareLoss(loss, matched, wrong, generated, labelSmoothing);
      if (withR1) {
        const critic = (x: tf.Tensor4D) => discriminateText(this.D, spec, x, h, { training: true, spectral, dropoutMasks: mode.dropoutMasks?.map((m) => tf.slice(m, 0, n)) });
        l = tf.add(l, r1Penalty(critic, tf.slice(seen, 0, n), r1 * R1_INTERVAL));
      }
      return l;
    }, this.D.trainableList());
    this.optD.apply(grads);
    return { value: tf.keep(value), logits: logits! };
  }

  /** G's conditions: the captions of real pairs, and for the INT share, halfway between two captions' vectors. */
  private generatorConditions(n: number): tf.Tensor2D {
    const mixed = Math.round(n * this.settings.interpolate);
    const { captions } = this.captions!.pairs(this.rng, n);
    const h = this.vectorsOf(captions);
    if (mixed === 0) return h;
    const other = this.vectorsOf(this.captions!.pairs(this.rng, mixed).captions);
    const tail = tf.mul(0.5, tf.add(tf.slice(h, n - mixed, mixed), other)) as tf.Tensor2D;
    return tf.concat([tf.slice(h, 0, n - mixed), tail]);
  }

  private async ganStep(): Promise<StepMetrics> {
    const t0 = performance.now();
    // A run resumed past the encoder phase computes its caption vectors before its first GAN step.
    if (!this.vectors) await this.computeVectors();
    const { loss, batch: n, dSteps } = this.config;
    const spec = this.spec;
    const packed = tf.tidy(() => {
      let d: { value: tf.Scalar; logits: tf.Tensor1D } | null = null;
      for (let k = 0; k < dSteps; k++) {
        if (d) tf.dispose([d.value, d.logits]);
        d = this.discriminatorStep();
      }
      const conds = this.generatorConditions(n);
      const z = tf.tensor2d(this.rng.normal(n * spec.zDim), [n, spec.zDim]);
      const spectral = this.spectralVectors();
      const { value: gLoss, grads } = tf.variableGrads(() => {
        const fake = generateFromText(this.G, spec, z, conds, { training: true });
        return generatorLoss(loss, discriminateText(this.D, spec, this.augmented(fake), conds, { ...dropoutMode(this.rng, spec, n), spectral }));
      }, this.G.trainableList());
      this.optG.apply(grads);
      const last = d!;
      const [matched, , generated] = tf.split(last.logits, 3) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const out = tf.stack([
        last.value,
        gLoss,
        tf.mean(verdict(loss, matched)),
        tf.mean(verdict(loss, generated)),
        judgedReal(loss, matched),
        tf.sub(1, judgedReal(loss, generated)),
        tf.sum(tf.sign(matched)),
      ]);
      tf.dispose([last.value, last.logits]);
      return out;
    });
    const { m, ms } = await this.finishStep(packed, t0);
    return { ...adversarialMetrics(this.step, m, n, ms), ...this.augment.observe(m[6], n) };
  }

  trainStep(): Promise<StepMetrics> {
    if (!this.data) throw new Error('this trainer was restored for generating only');
    return this.encoderTrained ? this.ganStep() : this.encoderStep();
  }

  /** The generator images come from: the average (its batch-norm statistics measured on the calibration captions), else G. */
  sampler(): ParamSet {
    return this.averaged((ema) => {
      const z = Rng.fromSeed(0x5eed5).normal(CALIBRATION * this.spec.zDim);
      tf.tidy(() => {
        generateFromText(ema, this.spec, tf.tensor2d(z, [CALIBRATION, this.spec.zDim]), ema.get('text/calib') as tf.Tensor2D, { training: true, statMomentum: 0 });
      });
    });
  }

  /** Prompts → their vectors, with the words of each that the run does not know. */
  async encodePrompts(prompts: readonly string[]): Promise<{ vectors: Float32Array; unknown: string[][]; known: number[] }> {
    // A prompt may be longer than the longest caption: a bag of words has no length to keep.
    const maxLen = MAX_TOKENS;
    const tokenizer = new Tokenizer(this.spec.text.vocab, maxLen);
    const encoded = prompts.map((p) => tokenizer.encode(p));
    const ids = new Int32Array(prompts.length * maxLen);
    encoded.forEach((e, i) => ids.set(e.ids, i * maxLen));
    const vectors = await takeData(tf.tidy(() => encodeText(this.T, tf.tensor2d(bagOfWords(ids, maxLen, this.tokenizer.size), [prompts.length, this.tokenizer.size]))));
    return { vectors, unknown: encoded.map((e) => e.unknown), known: encoded.map((e) => e.ids.filter((id) => id >= FIRST_WORD).length) };
  }

  /**
   * Vectors for prompts, row i for prompts[i] (each distinct prompt encoded
   * once), and each distinct prompt's unknown and known words.
   */
  async promptVectors(prompts: readonly string[]): Promise<{ vectors: Float32Array; words: PromptWords[] }> {
    const distinct = [...new Set(prompts)];
    const encoded = await this.encodePrompts(distinct);
    const e = this.spec.text.embedDim;
    const row = new Map(distinct.map((p, k) => [p, k]));
    const vectors = new Float32Array(prompts.length * e);
    prompts.forEach((p, i) => {
      const k = row.get(p)!;
      vectors.set(encoded.vectors.subarray(k * e, (k + 1) * e), i * e);
    });
    return { vectors, words: distinct.map((prompt, k) => ({ prompt, unknown: encoded.unknown[k], known: encoded.known[k] })) };
  }

  /** Images in [-1, 1] (NHWC) → the encoder's unit vectors [n, embedDim], for ranking captions against them. */
  async embedImages(images: Float32Array): Promise<Float32Array> {
    const { size, channels, text } = this.spec;
    const per = size * size * channels;
    const n = images.length / per;
    const out = new Float32Array(n * text.embedDim);
    for (let i = 0; i < n; i += CHUNK) {
      const k = Math.min(CHUNK, n - i);
      out.set(await takeData(tf.tidy(() => encodeImages(this.I, tf.tensor4d(images.subarray(i * per, (i + k) * per), [k, size, size, channels])))), i * text.embedDim);
    }
    return out;
  }

  /** Images in [-1, 1] from latents [n, zDim] and caption vectors [n, embedDim]. */
  async generateImages(z: Float32Array, vectors: Float32Array): Promise<Float32Array> {
    const n = z.length / this.spec.zDim;
    const p = this.sampler();
    return takeData(tf.tidy(() => generateFromText(p, this.spec, tf.tensor2d(z, [n, this.spec.zDim]), tf.tensor2d(vectors, [n, this.spec.text.embedDim]), { training: false })));
  }

  /** Images of many (latent, vector) pairs, a chunk at a time. */
  async generateBatch(z: Float32Array, vectors: Float32Array, chunk = 100): Promise<ImageBatch> {
    const { zDim, size, channels, text } = this.spec;
    const count = z.length / zDim;
    const per = size * size * channels;
    const data = new Float32Array(count * per);
    for (let i = 0; i < count; i += chunk) {
      const n = Math.min(chunk, count - i);
      data.set(await this.generateImages(z.subarray(i * zDim, (i + n) * zDim), vectors.subarray(i * text.embedDim, (i + n) * text.embedDim)), i * per);
    }
    return { data, count, size, channels };
  }

  /** Caption indexes of the progress grid's rows: distinct texts spread over the dataset, the same at every step. */
  previewCaptions(): Int32Array {
    const c = this.captions!;
    const firstOfKey = new Map<number, number>();
    c.key.forEach((k, i) => firstOfKey.has(k) || firstOfKey.set(k, i));
    const distinct = [...firstOfKey.values()];
    const rows = Math.min(PREVIEW_ROWS, distinct.length);
    return Int32Array.from({ length: rows }, (_, r) => distinct[Math.floor((r * distinct.length) / rows)]);
  }

  /** The run's progress grid: a row per caption, a column per latent, the same at every step. */
  async preview(): Promise<{ batch: ImageBatch; columns: number; seed: number }> {
    const seed = previewSeed(this);
    const rows = this.previewCaptions();
    const e = this.spec.text.embedDim;
    const latents = Rng.fromSeed(seed).normal(PREVIEW_COLUMNS * this.spec.zDim);
    const z = new Float32Array(rows.length * latents.length);
    const vectors = new Float32Array(rows.length * PREVIEW_COLUMNS * e);
    const rowVectors = await takeData(tf.tidy(() => encodeText(this.T, this.captions!.bags(rows))));
    for (let r = 0; r < rows.length; r++) {
      z.set(latents, r * latents.length);
      for (let c = 0; c < PREVIEW_COLUMNS; c++) vectors.set(rowVectors.subarray(r * e, (r + 1) * e), (r * PREVIEW_COLUMNS + c) * e);
    }
    return { batch: await this.generateBatch(z, vectors), columns: PREVIEW_COLUMNS, seed };
  }

  async toCheckpoint(): Promise<CheckpointData> {
    this.sampler();
    return this.snapshot(this.config, this.spec, this.augment.tensors());
  }

  override dispose(): void {
    super.dispose();
    this.T.dispose();
    this.I.dispose();
    this.optE.dispose();
  }
}

function textCheckpointSpec(c: CheckpointData): TextSpec {
  if (!('task' in c.spec) || c.spec.task !== 'text2image') throw new StudioError('this checkpoint is not a text-conditional run', 'INVALID_INPUT');
  return c.spec as TextSpec;
}
