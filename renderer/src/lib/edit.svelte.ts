/**
 * Editing a real image with a GAN run, kept while the person visits other
 * views: the image given and its projection into the run's latent space
 * (live while it runs, cancellable), the run's encoder's training, the
 * directions offered as sliders (attributes the studio can read, principal
 * directions, directions fitted to examples the person marked), the
 * sliders' amounts and the edited image with its readings.
 */
import type { Studio } from './studio.svelte';
import type { AttributeInfo, CommandInput, CommandResults, StudioEvents } from '../../../main/service/contract';
import { ENCODER_STEPS, PROJECT_STARTS, PROJECT_STEPS } from '../../../main/latent/defaults';
import { latestOnly } from './latest';

export type Projection = CommandResults['images.project'] & { runId: string; name: string; conditional: boolean };
export type Edited = CommandResults['images.edit'];

/** The slider's reach, in σ of the prior, each way. */
export const REACH = 3;

export interface EditInput {
  name: string;
  base64: string;
  /** What shows it: an object URL of the file, or a data URL. */
  url: string;
}

export interface Direction {
  name: string;
  kind: AttributeInfo['kind'] | 'pca' | 'marked';
  /** A unit direction in the run's latent space. */
  direction: number[];
  /** What it was measured to do, in words. */
  note: string;
  /** More detail, for a tooltip. */
  detail: string;
}

export interface Marked {
  name: string;
  direction: number[];
  accuracy: number;
  examples: number;
}

export interface Example {
  png: string;
  latent: number[];
  mark: 'has' | 'lacks' | null;
}

interface Projecting {
  ticket: string;
  runId: string;
  input: EditInput;
  done: number;
  total: number;
  distance: number | null;
  /** The newest reconstruction, every 10 steps. */
  png: string | null;
  /** The distance at each step so far. */
  history: number[];
}

interface Encoding {
  ticket: string;
  runId: string;
  done: number;
  total: number;
  loss: number | null;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** How a positive reading is said: "read as thick". */
export function positiveWord(name: string, kind: Direction['kind']): string {
  if (kind === 'pixel') return name === 'thickness' ? 'thick' : name === 'slant' ? 'leaning right' : `high ${name}`;
  return name;
}

function describeAttribute(a: AttributeInfo): Direction {
  const orth = a.orthogonalTo.length ? ` · orthogonal to ${a.orthogonalTo.join(', ')}` : '';
  const worst = Object.entries(a.keptBy).sort((x, y) => x[1] - y[1])[0];
  return {
    name: a.name,
    kind: a.kind,
    direction: a.direction,
    note: `+${REACH}σ: ${pct(a.after)} read as ${positiveWord(a.name, a.kind)} (${pct(a.before)} before), ${pct(a.kept)} keep the rest${orth}`,
    detail: `Boundary accuracy ${pct(a.accuracy)}${worst ? `; the attribute most often changed along with it: ${worst[0]} (${pct(worst[1])} kept)` : ''}`,
  };
}

/** A number field's value as a whole number in 1..max; an empty field is the default. */
const whole = (v: unknown, fallback: number, max: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(1, Math.min(max, Math.round(v))) : fallback);

const newTicket = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

export class ImageEdit {
  runId = $state('');
  /** Projection's settings. */
  steps = $state(PROJECT_STEPS);
  starts = $state(PROJECT_STARTS);
  useEncoder = $state(true);
  /** The image of the current projection; a failed one leaves the last in place. */
  input = $state<EditInput | null>(null);
  projecting = $state<Projecting | null>(null);
  result = $state.raw<Projection | null>(null);
  /** Why the last projection failed, shown beside the image. */
  error = $state<string | null>(null);
  encoderSteps = $state(ENCODER_STEPS);
  encoding = $state<Encoding | null>(null);
  /** The encoder's training answer, by run. */
  encoders = $state<Record<string, CommandResults['latent.encoder']>>({});

  attributes = $state.raw<AttributeInfo[] | null>(null);
  /** Every attribute's name as first measured, for the "keep unchanged" list (a kept attribute may drop out of a later answer). */
  attributeNames = $state<string[]>([]);
  pca = $state.raw<CommandResults['latent.directions'] | null>(null);
  loadingDirections = $state(false);
  keep = $state<string[]>([]);
  /** Directions fitted from marked examples, by run. */
  marked = $state<Record<string, Marked[]>>({});
  /** Each slider's amount in σ, by direction name. */
  amounts = $state<Record<string, number>>({});
  classTo = $state(0);
  mix = $state(0);
  edited = $state.raw<Edited | null>(null);
  /** The readings of the unedited reconstruction. */
  baseline = $state.raw<Record<string, number> | null>(null);
  /** The slider moved last: the animation's direction. */
  lastMoved = $state<string | null>(null);

  examples = $state<Example[]>([]);
  markName = $state('');
  drawing = $state(false);
  fitting = $state(false);
  exporting = $state<'gif' | 'webm' | null>(null);
  recorded = $state<number | null>(null);

  /** Bumped by each new projection, so that answers about an older one are dropped. */
  private generation = 0;
  private directionRequests = 0;
  private readonly attributeCache = new Map<string, Promise<AttributeInfo[] | null>>();
  private readonly pcaCache = new Map<string, Promise<CommandResults['latent.directions'] | null>>();

  constructor(private readonly studio: Studio) {
    studio.api.subscribe((name, payload) => {
      if (name === 'project.progress') {
        const p = payload as StudioEvents['project.progress'];
        const cur = this.projecting;
        if (!cur || cur.ticket !== p.ticket) return;
        cur.done = p.done;
        cur.total = p.total;
        // NaN crosses the socket as null.
        if (typeof p.distance === 'number' && Number.isFinite(p.distance)) {
          cur.distance = p.distance;
          cur.history.push(p.distance);
        }
        if (p.png) cur.png = p.png;
      } else if (name === 'encoder.progress') {
        const p = payload as StudioEvents['encoder.progress'];
        const cur = this.encoding;
        if (!cur || cur.ticket !== p.ticket) return;
        cur.done = p.done;
        cur.total = p.total;
        if (typeof p.loss === 'number' && Number.isFinite(p.loss)) cur.loss = p.loss;
      }
    });
  }

  /** Every slider: attributes first, then principal directions, then the person's own. */
  get directions(): Direction[] {
    const out: Direction[] = (this.attributes ?? []).map(describeAttribute);
    (this.pca?.directions ?? []).forEach((d, k) =>
      out.push({ name: `PC ${k + 1}`, kind: 'pca', direction: d, note: `${pct(this.pca!.explained[k])} of the variance of what the generator draws`, detail: 'A principal direction (GANSpace)' }),
    );
    for (const m of this.marked[this.runId] ?? []) {
      out.push({
        name: m.name,
        kind: 'marked',
        direction: m.direction,
        note: `fitted to ${m.examples} marked examples, ${pct(m.accuracy)} of them on their side`,
        detail: 'A direction from examples you marked',
      });
    }
    return out;
  }

  /** Chooses the run; what was projected with another run no longer applies. */
  choose(runId: string): void {
    if (runId === this.runId) return;
    if (this.projecting) void this.cancel();
    this.runId = runId;
    this.generation++;
    this.result = null;
    this.edited = null;
    this.baseline = null;
    this.attributes = null;
    this.attributeNames = [];
    this.pca = null;
    this.loadingDirections = false;
    this.directionRequests++;
    this.keep = [];
    this.amounts = {};
    this.lastMoved = null;
    this.examples = [];
    this.error = null;
  }

  /** Projects an image (or the current one again, with the current settings). A newer one cancels one in flight. */
  async project(input: EditInput | null = this.input): Promise<void> {
    if (!input || !this.runId) return;
    if (this.projecting) void this.cancel();
    const ticket = newTicket('pj');
    const runId = this.runId;
    this.error = null;
    const steps = whole(this.steps, PROJECT_STEPS, 5000);
    const starts = whole(this.starts, PROJECT_STARTS, 64);
    this.projecting = { ticket, runId, input, done: 0, total: steps, distance: null, png: null, history: [] };
    const r = await this.studio.api.call('images.project', {
      id: runId,
      image: input.base64,
      name: input.name,
      steps,
      starts,
      encoder: this.useEncoder,
      ticket,
    });
    if (this.projecting?.ticket !== ticket) return;
    this.projecting = null;
    if (!r.ok && r.error.code !== 'CANCELLED') {
      // A file the studio cannot read is dropped; the last image and its edit stay.
      this.error = r.error.message.includes(input.name) ? r.error.message : `${input.name}: ${r.error.message}`;
      this.studio.notify('error', this.error);
      if (input.url.startsWith('blob:') && input.url !== this.input?.url) URL.revokeObjectURL(input.url);
      return;
    }
    if (this.input && this.input.url !== input.url && this.input.url.startsWith('blob:')) URL.revokeObjectURL(this.input.url);
    // A cancelled image is kept, to project again (with fewer steps, say).
    this.input = input;
    if (!r.ok) {
      this.studio.notify('info', `The projection of ${input.name} was cancelled.`);
      return;
    }
    const conditional = this.studio.runs.find((x) => x.id === runId)?.config.model === 'cdcgan';
    this.generation++;
    this.result = { ...r.value, runId, name: input.name, conditional };
    this.edited = null;
    this.baseline = null;
    this.amounts = {};
    this.lastMoved = null;
    this.classTo = r.value.classLabel ?? 0;
    this.mix = 0;
    void this.readBaseline();
    await this.loadDirections();
  }

  async cancel(): Promise<void> {
    const t = this.projecting?.ticket;
    if (t) await this.studio.run('images.cancel', { ticket: t });
  }

  /** Trains the run's encoder for its newest checkpoint; `retrain` replaces one it has. */
  async trainEncoder(retrain = false): Promise<void> {
    const runId = this.runId;
    if (!runId || this.encoding) return;
    const ticket = newTicket('enc');
    const steps = whole(this.encoderSteps, ENCODER_STEPS, 100_000);
    this.encoding = { ticket, runId, done: 0, total: steps, loss: null };
    const r = await this.studio.api.call('latent.encoder', { id: runId, steps, retrain, ticket });
    if (this.encoding?.ticket !== ticket) return;
    this.encoding = null;
    if (r.ok) this.encoders[runId] = r.value;
    else if (r.error.code === 'CANCELLED') this.studio.notify('info', 'The encoder’s training was cancelled.');
    else this.studio.notify('error', r.error.message);
  }

  async cancelEncoder(): Promise<void> {
    const t = this.encoding?.ticket;
    if (t) await this.studio.run('images.cancel', { ticket: t });
  }

  /** The attribute and principal directions of the projection's run and checkpoint, each fetched once (per "keep" choice). */
  async loadDirections(): Promise<void> {
    const res = this.result;
    if (!res) return;
    const asked = ++this.directionRequests;
    const at = `${res.runId}@${res.step}`;
    const keep = [...this.keep].sort();
    const akey = `${at}|${JSON.stringify(keep)}`;
    let attrs = this.attributeCache.get(akey);
    if (!attrs) {
      attrs = this.studio.run('latent.attributes', { id: res.runId, step: res.step, keep }).then((r) => r?.attributes ?? null);
      this.attributeCache.set(akey, attrs);
    }
    let pca = this.pcaCache.get(at);
    if (!pca) {
      pca = this.studio.run('latent.directions', { id: res.runId, step: res.step, k: 6 });
      this.pcaCache.set(at, pca);
    }
    this.loadingDirections = true;
    const [a, p] = await Promise.all([attrs, pca]);
    // A failed fetch is tried again next time.
    if (!a) this.attributeCache.delete(akey);
    if (!p) this.pcaCache.delete(at);
    // Only the newest request's answer is shown, and only for the projection it was asked for.
    if (asked !== this.directionRequests) return;
    this.loadingDirections = false;
    if (res !== this.result) return;
    this.attributes = a;
    if (a && keep.length === 0) this.attributeNames = a.map((x) => x.name);
    this.pca = p;
    // The kept attributes change the other directions: redraw with the new ones.
    if (Object.values(this.amounts).some((v) => v !== 0)) this.edit();
  }

  async setKeep(names: string[]): Promise<void> {
    this.keep = names;
    await this.loadDirections();
  }

  /** Moves one slider and redraws. */
  move(name: string, amount: number): void {
    this.amounts[name] = amount;
    this.lastMoved = name;
    this.edit();
  }

  reset(): void {
    this.amounts = {};
    this.mix = 0;
    this.classTo = this.result?.classLabel ?? 0;
    this.edit();
  }

  /** The images.edit request for the projection with every slider's amount (none when `unedited`). */
  private editInput(res: Projection, unedited = false): CommandInput<'images.edit'> {
    const moves = unedited
      ? []
      : this.directions.filter((d) => (this.amounts[d.name] ?? 0) !== 0).map((d) => ({ direction: $state.snapshot(d.direction) as number[], amount: this.amounts[d.name] }));
    const thresholds = Object.fromEntries((this.attributes ?? []).map((a) => [a.name, a.threshold]));
    const input: CommandInput<'images.edit'> = { id: res.runId, step: res.step, latent: res.latent, moves, thresholds };
    if (res.conditional) Object.assign(input, { classLabel: res.classLabel ?? 0, classTo: unedited ? (res.classLabel ?? 0) : this.classTo, mix: unedited ? 0 : this.mix });
    return input;
  }

  /** The unedited reconstruction's readings, which the edited image's are shown against; also the first edited image. */
  private async readBaseline(): Promise<void> {
    const res = this.result;
    if (!res) return;
    const gen = this.generation;
    const r = await this.studio.run('images.edit', this.editInput(res, true));
    if (!r || gen !== this.generation) return;
    this.baseline = r.readings;
    // A slider moved meanwhile has drawn already.
    if (!this.edited) this.edited = r;
  }

  /** Asks for the edited image with every slider's amount; only the newest answer is drawn. */
  edit(): void {
    const res = this.result;
    if (res) this.draw({ generation: this.generation, input: this.editInput(res) });
  }

  private readonly draw = latestOnly(
    (req: { generation: number; input: CommandInput<'images.edit'> }) => this.studio.run('images.edit', req.input),
    (r, req) => {
      if (r && req.generation === this.generation) this.edited = r;
    },
  );

  /** 16 random samples of the run, with their latents, to mark. */
  async drawExamples(): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    this.drawing = true;
    const r = await this.studio.run('samples.generate', { id: runId, count: 16, seed: Math.floor(Math.random() * 2 ** 31) });
    this.drawing = false;
    if (r && runId === this.runId) this.examples = r.images.map((png, i) => ({ png, latent: r.latents[i], mark: null }));
  }

  mark(i: number, mark: Example['mark']): void {
    const e = this.examples[i];
    if (e) e.mark = e.mark === mark ? null : mark;
  }

  /** A direction from the marked examples, added as a slider under the name given. */
  async fit(): Promise<void> {
    const runId = this.runId;
    const positive = this.examples.filter((e) => e.mark === 'has').map((e) => $state.snapshot(e.latent) as number[]);
    const negative = this.examples.filter((e) => e.mark === 'lacks').map((e) => $state.snapshot(e.latent) as number[]);
    let name = this.markName.trim();
    if (!name) return;
    this.fitting = true;
    const r = await this.studio.run('latent.fit', { id: runId, positive, negative });
    this.fitting = false;
    if (!r) return;
    const taken = new Set(this.directions.filter((d) => d.kind !== 'marked').map((d) => d.name));
    if (taken.has(name)) name = `${name} (marked)`;
    const others = (this.marked[runId] ?? []).filter((m) => m.name !== name);
    this.marked[runId] = [...others, { name, direction: r.direction, accuracy: r.accuracy, examples: positive.length + negative.length }];
    this.amounts[name] = 0;
    this.markName = '';
    for (const e of this.examples) e.mark = null;
    this.studio.notify('info', `“${name}” joined the sliders.`);
  }

  removeMarked(name: string): void {
    this.marked[this.runId] = (this.marked[this.runId] ?? []).filter((m) => m.name !== name);
    const { [name]: _gone, ...rest } = this.amounts;
    this.amounts = rest;
    if (this.lastMoved === name) this.lastMoved = null;
    this.edit();
  }

  /**
   * The animation's ends: the edit with every other slider where it is, and
   * the last moved one at −REACH and +REACH.
   */
  animationEnds(): { name: string; ends: number[][] } | null {
    const res = this.result;
    const d = this.directions.find((x) => x.name === this.lastMoved);
    if (!res || !d) return null;
    const base = [...res.latent];
    for (const o of this.directions) {
      const a = this.amounts[o.name] ?? 0;
      if (o.name === d.name || a === 0) continue;
      for (let i = 0; i < base.length; i++) base[i] += a * o.direction[i];
    }
    return { name: d.name, ends: [-REACH, REACH].map((s) => base.map((v, i) => v + s * d.direction[i])) };
  }

  /** The class the animation is drawn with: a conditional run's blend is not animated, its nearer class is. */
  animationClass(): number | undefined {
    const res = this.result;
    if (!res?.conditional) return undefined;
    return this.mix >= 0.5 ? this.classTo : (res.classLabel ?? 0);
  }
}

const instances = new WeakMap<Studio, ImageEdit>();

/** One editor per studio, kept when the view closes. */
export function imageEditOf(studio: Studio): ImageEdit {
  let e = instances.get(studio);
  if (!e) instances.set(studio, (e = new ImageEdit(studio)));
  return e;
}
