/**
 * The service's commands for augmentation studies: start, follow, stop,
 * resume, delete, and the report with its CSV. AugmentStudies drives them.
 */
import { studyCsv, studyReport } from '../studies/report.js';
import { flipsAllowed, studySeeds } from '../studies/settings.js';
import type { StudyRecord } from '../runs/studies.js';
import type { AugmentStudies } from './augment-studies.js';
import type { CommandHandlers, StudyDetail } from './contract.js';

type AugmentCommands = 'augment.start' | 'augment.list' | 'augment.show' | 'augment.stop' | 'augment.resume' | 'augment.delete' | 'augment.csv';

/** `of` gives the studies once the service has made them (its handlers are made first). */
export function augmentHandlers(of: () => AugmentStudies): Pick<CommandHandlers, AugmentCommands> {
  const classNamesOf = (s: StudyRecord) => {
    try {
      return of().ctx.dataset(s.dataset).classes;
    } catch {
      // The dataset was deleted after the study: its classes by number.
      const n = of().studies.cells(s.id)[0]?.perClass.length ?? 0;
      return Array.from({ length: n }, (_, i) => String(i));
    }
  };
  const counts = (s: StudyRecord) => {
    const cells = of().studies.cells(s.id);
    return { cells, cellsDone: new Set(cells.map((c) => `${c.perClassKey}/${c.seed}`)).size, cellCount: s.settings.perClass.length * studySeeds(s.settings).length };
  };
  const detail = (s: StudyRecord): StudyDetail => {
    const classNames = classNamesOf(s);
    const { cells, cellsDone, cellCount } = counts(s);
    const gans = Object.entries(s.runs).map(([key, { runId, trained }]) => {
      const r = of().ctx.store.find(runId);
      return { key, runId, trained, status: r?.status ?? ('deleted' as const), step: r?.step ?? 0, target: r?.targetSteps ?? 0 };
    });
    return { ...s, classNames, cells, cellsDone, cellCount, report: studyReport(cells, classNames), gans, flips: flipsAllowed(s.settings.flips, classNames), progress: of().progress(s.id) };
  };
  return {
    'augment.start': ({ name, ...settings }) => of().start(settings, name),
    'augment.list': () =>
      of()
        .studies.list()
        .map((s) => {
          const { cellsDone, cellCount } = counts(s);
          return { ...s, cellsDone, cells: cellCount };
        }),
    'augment.show': ({ id }) => detail(of().get(id)),
    'augment.stop': ({ id }) => of().stop(id),
    'augment.resume': ({ id }) => of().resume(id),
    'augment.delete': async ({ id }) => {
      await of().delete(id);
      return { deleted: id };
    },
    'augment.csv': ({ id }) => {
      const s = of().get(id);
      return { csv: studyCsv(of().studies.cells(id), classNamesOf(s)), filename: `${s.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || s.id}.csv` };
    },
  };
}
