/**
 * What an augmentation study's cells say: each K's accuracy with real images
 * alone, with each M of generated ones and with classic augmentation (mean
 * and spread over seeds), the best M per K, the per-class changes it brings,
 * a plain sentence, and the cells as CSV.
 */
import type { StudyCell } from './cell.js';
import type { Arm } from './cell.js';

export interface Figure {
  mean: number;
  /** Sample standard deviation over seeds (0 with one seed). */
  sd: number;
  min: number;
  max: number;
  n: number;
}

export interface ArmFigure extends Figure {
  arm: Arm;
  multiplier: number;
  /** Mean over seeds of this arm's accuracy minus real-only's, seed by seed, and its spread. */
  gain: Figure | null;
}

export interface KRow {
  perClassKey: string;
  /** Mean real images per class in the subset (K, or the pool's mean for 'all'). */
  realPerClass: number;
  real: ArmFigure | null;
  classic: ArmFigure | null;
  synthetic: ArmFigure[];
  /** The M (as a multiple of K) with the highest mean accuracy, real alone (0) included. */
  bestMultiplier: number | null;
  /** Per class: real alone's mean accuracy and the best M's change (NaN without one). */
  perClass: { real: number; best: number; change: number }[];
  /** 'helped' when the best M's gain is above zero on every seed, 'hurt' when every M is below real alone on every seed. */
  verdict: 'helped' | 'hurt' | 'unclear' | 'untested';
}

export interface StudyReport {
  rows: KRow[];
  sentence: string;
}

export function figure(values: number[]): Figure {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values), n };
}

/** The order the K appear in: numbers ascending, 'all' last. */
export function orderKeys(keys: string[]): string[] {
  return [...new Set(keys)].sort((a, b) => (a === 'all' ? 1 : b === 'all' ? -1 : Number(a) - Number(b)));
}

export function studyReport(cells: StudyCell[], classNames: string[]): StudyReport {
  const rows = orderKeys(cells.map((c) => c.perClassKey)).map((key) => kRow(key, cells.filter((c) => c.perClassKey === key), classNames.length));
  return { rows, sentence: sentence(rows) };
}

function armFigure(cells: StudyCell[], arm: Arm, multiplier: number, real: StudyCell[]): ArmFigure | null {
  const mine = cells.filter((c) => c.arm === arm && c.multiplier === multiplier);
  if (!mine.length) return null;
  const gains = mine.flatMap((c) => {
    const r = real.find((x) => x.seed === c.seed);
    return r ? [c.accuracy - r.accuracy] : [];
  });
  return { arm, multiplier, ...figure(mine.map((c) => c.accuracy)), gain: arm === 'real' || !gains.length ? null : figure(gains) };
}

function kRow(key: string, cells: StudyCell[], numClasses: number): KRow {
  const realCells = cells.filter((c) => c.arm === 'real');
  const real = armFigure(cells, 'real', 0, realCells);
  const multipliers = [...new Set(cells.filter((c) => c.arm === 'synthetic').map((c) => c.multiplier))].sort((a, b) => a - b);
  const synthetic = multipliers.map((m) => armFigure(cells, 'synthetic', m, realCells)!);
  const candidates = [...(real ? [real] : []), ...synthetic];
  const best = candidates.length ? candidates.reduce((a, b) => (b.mean > a.mean ? b : a)) : null;
  const bestSynthetic = synthetic.length ? synthetic.reduce((a, b) => (b.mean > a.mean ? b : a)) : null;
  const perClassMean = (cs: StudyCell[]) => Array.from({ length: numClasses }, (_, k) => mean(cs.map((c) => c.perClass[k]).filter(Number.isFinite)));
  const realByClass = perClassMean(realCells);
  const bestByClass = bestSynthetic ? perClassMean(cells.filter((c) => c.arm === 'synthetic' && c.multiplier === bestSynthetic.multiplier)) : realByClass.map(() => NaN);
  let verdict: KRow['verdict'] = 'untested';
  if (bestSynthetic?.gain) {
    if (bestSynthetic.gain.min > 0) verdict = 'helped';
    else if (synthetic.every((s) => s.gain && s.gain.max < 0)) verdict = 'hurt';
    else verdict = 'unclear';
  }
  return {
    perClassKey: key,
    realPerClass: mean(realCells.map((c) => c.realCount / numClasses)),
    real,
    classic: armFigure(cells, 'classic', 0, realCells),
    synthetic,
    bestMultiplier: best ? best.multiplier : null,
    perClass: realByClass.map((r, k) => ({ real: r, best: bestByClass[k], change: bestByClass[k] - r })),
    verdict,
  };
}

function mean(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} points`;
export const kLabel = (key: string) => (key === 'all' ? 'all images' : `K = ${key}`);

/** What the rows say, in words: where synthetic data helped, where it hurt, where the seeds disagree, and classic augmentation beside it. */
function sentence(rows: KRow[]): string {
  const tested = rows.filter((r) => r.verdict !== 'untested');
  if (!rows.length) return 'No cell has been measured yet.';
  if (!tested.length) return 'No cell has synthetic images yet (no GAN run for its subset): only real images and classic augmentation were measured.';
  const parts: string[] = [];
  const say = (verdict: KRow['verdict'], lead: string) => {
    const these = tested.filter((r) => r.verdict === verdict);
    if (!these.length) return;
    parts.push(
      `${lead} ${these
        .map((r) => {
          const best = r.synthetic.reduce((a, b) => (b.mean > a.mean ? b : a));
          return `${kLabel(r.perClassKey)} (${pts(best.gain!.mean)} at best, M = ${best.multiplier}K, ±${(100 * best.gain!.sd).toFixed(1)} over ${best.gain!.n} seed${best.gain!.n === 1 ? '' : 's'})`;
        })
        .join(', ')}`,
    );
  };
  say('helped', 'Synthetic data helped at');
  say('hurt', 'Synthetic data hurt here at');
  say('unclear', 'Seeds disagree (no clear effect) at');
  const classic = rows.filter((r) => r.classic?.gain);
  if (classic.length) {
    const beat = classic.filter((r) => {
      const best = r.synthetic.length ? Math.max(...r.synthetic.map((s) => s.mean)) : -Infinity;
      return r.classic!.mean >= best;
    });
    parts.push(
      beat.length === classic.length
        ? 'Classic augmentation did at least as well as the best synthetic mix at every K'
        : beat.length === 0
          ? 'The best synthetic mix beat classic augmentation at every K'
          : `Classic augmentation did at least as well as the best synthetic mix at ${beat.map((r) => kLabel(r.perClassKey)).join(', ')}`,
    );
  }
  return `${parts.join('. ')}.`;
}

const csvNumber = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 1e6) / 1e6) : '');

/** Every measured classifier, one row each, with its per-class accuracies. */
export function studyCsv(cells: StudyCell[], classNames: string[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head = ['per_class', 'seed', 'arm', 'synthetic_multiplier', 'real_images', 'synthetic_images', 'accuracy', 'gan_run', 'seconds', ...classNames.map((c) => `accuracy_${c}`)];
  const lines = cells.map((c) =>
    [c.perClassKey, String(c.seed), c.arm, csvNumber(c.multiplier), String(c.realCount), String(c.syntheticCount), csvNumber(c.accuracy), c.runId ?? '', csvNumber(c.ms / 1000), ...classNames.map((_, k) => csvNumber(c.perClass[k]))].map(quote).join(','),
  );
  return [head.map(quote).join(','), ...lines].join('\n') + '\n';
}
