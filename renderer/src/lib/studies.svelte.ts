/**
 * Augmentation studies as the page keeps them while the person visits other
 * views: the list, the study open with its report, live progress from the
 * studio's events, and the new-study form's settings.
 */
import type { Studio } from './studio.svelte';
import type { CommandInput, CommandResults, StudioEvents, StudyDetail } from '../../../main/service/contract';
export { kLabel } from '../../../main/studies/report';

export type StudySummary = CommandResults['augment.list'][number];
export type StudyProgressEvent = StudioEvents['augment.progress'];

/** The form's fields as typed, parsed when the study starts. */
export interface StudyForm {
  dataset: string;
  name: string;
  perClass: string;
  synthetic: string;
  seeds: number;
  classifier: 'judge' | 'small';
  steps: number;
  ganSteps: number | null;
  flips: 'auto' | 'on' | 'off';
  trainGans: boolean;
}

export const DEFAULT_FORM: Omit<StudyForm, 'dataset'> = { name: '', perClass: '10, 50, 200, all', synthetic: '0, 1, 4, 10', seeds: 3, classifier: 'judge', steps: 300, ganSteps: null, flips: 'auto', trainGans: true };

/** "10, 50, all" → [10, 50, 'all']; a message for what is not a list of numbers. */
export function parseList(text: string, allowAll: boolean): (number | 'all')[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) return 'give at least one value';
  const out: (number | 'all')[] = [];
  for (const p of parts) {
    if (allowAll && p === 'all') out.push('all');
    else if (/^\d+(\.\d+)?$/.test(p)) out.push(Number(p));
    else return `"${p}" is not a number${allowAll ? " or 'all'" : ''}`;
  }
  return out;
}

export class Studies {
  list = $state<StudySummary[]>([]);
  open = $state<StudyDetail | null>(null);
  /** Live progress by study id. */
  progress = $state<Record<string, StudyProgressEvent>>({});
  form = $state<StudyForm>({ dataset: '', ...DEFAULT_FORM });
  starting = $state(false);
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly studio: Studio) {
    studio.api.subscribe((name, payload) => {
      if (name === 'augment.progress') {
        const p = payload as StudyProgressEvent;
        const before = this.progress[p.id];
        this.progress[p.id] = p;
        // A cell finished: its figures join the open report.
        if (this.open?.id === p.id && before && before.cellsDone !== p.cellsDone) this.reloadSoon();
      } else if (name === 'augment.status') {
        const s = payload as StudioEvents['augment.status'];
        if (s.status === 'failed' && s.error) studio.notify('error', `augmentation study ${s.id}: ${s.error}`);
        if (s.status === 'completed') studio.notify('info', 'augmentation study finished');
        void this.refresh();
        if (this.open?.id === s.id) this.reloadSoon();
      }
    });
  }

  async refresh(): Promise<void> {
    const l = await this.studio.run('augment.list', {});
    if (l) this.list = l;
  }

  async show(id: string): Promise<void> {
    const d = await this.studio.run('augment.show', { id });
    if (d) this.open = d;
  }

  private reloadSoon(): void {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      if (this.open) void this.show(this.open.id);
    }, 300);
  }

  /** Starts a study from the form; null (with a toast) when a field does not parse. */
  async start(): Promise<StudyDetail | null> {
    const f = this.form;
    const perClass = parseList(f.perClass, true);
    const synthetic = parseList(f.synthetic, false);
    if (typeof perClass === 'string') return this.refuse(`Real images per class: ${perClass}`);
    if (typeof synthetic === 'string') return this.refuse(`Synthetic per class: ${synthetic}`);
    const input: CommandInput<'augment.start'> = {
      dataset: f.dataset,
      perClass,
      synthetic: synthetic as number[],
      seeds: f.seeds,
      classifier: f.classifier,
      steps: f.steps,
      flips: f.flips,
      trainGans: f.trainGans,
      ...(f.name.trim() ? { name: f.name.trim() } : {}),
      ...(f.ganSteps ? { ganSteps: f.ganSteps } : {}),
    };
    this.starting = true;
    try {
      const s = await this.studio.run('augment.start', input);
      if (!s) return null;
      await Promise.all([this.refresh(), this.show(s.id), this.studio.refreshRuns()]);
      return this.open;
    } finally {
      this.starting = false;
    }
  }

  private refuse(message: string): null {
    this.studio.notify('error', message);
    return null;
  }

  async act(command: 'augment.stop' | 'augment.resume', id: string): Promise<void> {
    if (await this.studio.run(command, { id })) await Promise.all([this.refresh(), this.show(id), this.studio.refreshRuns()]);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.studio.run('augment.delete', { id }))) return;
    if (this.open?.id === id) this.open = null;
    await this.refresh();
  }
}

const instances = new WeakMap<Studio, Studies>();

/** The page's one Studies, made on first use. */
export function studiesOf(studio: Studio): Studies {
  let s = instances.get(studio);
  if (!s) instances.set(studio, (s = new Studies(studio)));
  return s;
}
