/**
 * The datasets `bench:quality` measures on, each with its judge:
 *   mnist    builtin:mnist, the shipped digit judge;
 *   fashion  Fashion-MNIST (70,000 28×28 images, 10 classes), imported from
 *            its IDX files — Debian's dataset-fashion-mnist puts them in
 *            /usr/share/datasets/fashion-mnist — with a judge trained on
 *            its labels;
 *   colour   the emoji colour set (`node dist/bench/emoji-captions.js`
 *            builds the folder from emoji-datasource-google), at 64 px, its
 *            judge trained on its 9 categories;
 *   any folder or file the importer takes (--data), its judge from its
 *   labels, or random features when it has none.
 * Imports and judges are kept in the bench's home and reused.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../main/datasets/mnist.js';
import { loadDataset, type Dataset } from '../main/datasets/index.js';
import { datasetDir, datasetExists } from '../main/datasets/store.js';
import { judgeFor, type JudgeKind } from '../main/evaluation/judges.js';
import { builtinJudge, type Judge } from '../main/judges/index.js';
import { StudioService } from '../main/service/studio-service.js';

export const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export interface BenchSet {
  name: string;
  data: Dataset;
  judge: Judge;
  judgeKind: JudgeKind;
  /** Class names in the judge's order, for the histogram. */
  classNames: string[];
}

export const defaultHome = () => join(tmpdir(), 'gan-studio-quality-bench');

/** Imports the set into home the first time; names it by the set (or the folder). */
export async function openSet(set: string, opts: { home: string; data?: string; size?: number; say: (m: string) => void }): Promise<BenchSet> {
  if (set === 'mnist') {
    const judge = builtinJudge('builtin:mnist');
    return { name: 'builtin:mnist', data: loadMnist(), judge, judgeKind: 'shipped', classNames: judge.classNames };
  }
  const from = opts.data ?? (set === 'fashion' ? FASHION_MNIST : undefined);
  if (!from) throw new Error(`--set ${set} needs --data: the folder (or file) to import`);
  if (!existsSync(from)) {
    throw new Error(set === 'fashion' ? `${from} is missing: install Debian's dataset-fashion-mnist, or pass --data with Fashion-MNIST's IDX files` : `${from} does not exist`);
  }
  const size = opts.size ?? (set === 'colour' ? 64 : 28);
  const name = `${set}-${size}`;
  const service = new StudioService(opts.home);
  try {
    const db = service.store.db;
    if (!datasetExists(db, name)) {
      opts.say(`importing ${from} as ${name} (${size} px)…`);
      const r = await service.call('datasets.import', { paths: [from], name, size: size as 28 });
      if (!r.ok) throw new Error(r.error.message);
      opts.say(`${r.value.imported} images, ${r.value.classes.length} classes`);
    }
    const data = loadDataset(db, opts.home, name);
    const dir = datasetDir(db, opts.home, name);
    const { judge, kind } = await judgeFor(data, dir, opts.say);
    const classNames = set === 'fashion' && data.classNames.join() === '0,1,2,3,4,5,6,7,8,9' ? FASHION_CLASSES : data.classNames;
    return { name, data, judge, judgeKind: kind, classNames };
  } finally {
    await service.close();
  }
}
