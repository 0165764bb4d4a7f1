import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { StudioService } from '../../main/service/studio-service.js';
import { tempDir } from '../support/helpers.js';
import { solid, write } from '../support/image-corpus.js';
import { ok, until } from '../support/service.js';

const TINY = { dataset: 'builtin:mnist', width: 8, batch: 8, zDim: 16, backend: 'wasm', steps: 4, checkpointEvery: 2, seed: 5 } as const;

async function refusal(s: StudioService, input: object): Promise<string> {
  const r = await s.call('runs.create', input);
  assert.ok(!r.ok, 'refused');
  if (r.ok) return '';
  assert.equal(r.error.code, 'INVALID_INPUT');
  return r.error.message;
}

test('fine-tuning through the service: a run starts from another run’s weights on a new dataset, its lineage kept and shown; mismatches refused in words', async () => {
  const s = new StudioService(tempDir('gan-studio-finetune'));
  after(() => s.close());
  const src = tempDir('gan-src');
  // Grey 28 px images: the parent's resolution and channels. Colour ones at 28 px: the same size, not the same images.
  for (let i = 0; i < 12; i++) write(join(src, `grey/${i}.png`), await solid(28, 28, [40 + 10 * i, 40 + 10 * i, 40 + 10 * i]).png().toBuffer());
  for (let i = 0; i < 12; i++) write(join(src, `colour/${i}.png`), await solid(28, 28, [200, 10 * i, 30]).png().toBuffer());
  await ok(s, 'datasets.import', { paths: [join(src, 'grey')], name: 'greys', size: 28 });
  await ok(s, 'datasets.import', { paths: [join(src, 'colour')], name: 'reds', size: 28 });

  const parentMsg = await refusal(s, { config: { ...TINY, dataset: 'greys', freezeD: 1 }, start: false });
  assert.match(parentMsg, /freezeD holds D's first blocks at the weights of the run this one starts from/);

  const parent = await ok(s, 'runs.create', { config: TINY, name: 'digits' });
  const done = await until(s, 'run.finished', (e) => e.id === parent.id);
  assert.equal(done.error, null);
  const parentCk = s.store.latestCheckpoint(parent.id)!;
  assert.equal(parentCk.step, 4);

  assert.match(await refusal(s, { config: { ...TINY, dataset: 'greys', task: 'fastgan' }, from: parent.id }), /is a GAN run: a run started from it trains one too \(task generate\)/);
  assert.match(await refusal(s, { config: { ...TINY, dataset: 'reds' }, from: parent.id }), /was trained on 28 px grey images and dataset reds has 28 px colour ones: a fine-tuned run keeps its parent's resolution/);

  // Width and model come from the parent whatever the form says; the new dataset, steps and seed are the child's.
  const child = await ok(s, 'runs.create', { config: { ...TINY, dataset: 'greys', width: 32, steps: 6, seed: 9, freezeD: 1 }, from: parent.id, start: false });
  assert.equal(child.name, 'digits → greys');
  assert.deepEqual([child.config.width, child.config.dataset, child.config.steps, child.config.freezeD], [8, 'greys', 6, 1]);
  const start = s.store.latestCheckpoint(child.id)!;
  assert.equal(start.step, 0);
  for (const [name, t] of parentCk.tensors) {
    if (/^(G|D|EMA)\//.test(name)) assert.deepEqual(start.tensors.get(name)!.data, t.data, `${name} comes from the parent`);
    else assert.equal(start.tensors.has(name), false, `${name} is not carried over`);
  }
  const shown = await ok(s, 'runs.show', { id: child.id });
  assert.deepEqual(shown.startedFrom, { parentId: parent.id, parentName: 'digits', parentDataset: 'builtin:mnist', parentStep: 4, freezeD: 1 });

  const finished = until(s, 'run.finished', (e) => e.id === child.id);
  await ok(s, 'runs.start', { id: child.id });
  assert.equal((await finished).error, null);
  const trained = s.store.latestCheckpoint(child.id)!;
  assert.equal(trained.step, 6);
  assert.deepEqual(trained.tensors.get('D/conv0/W')!.data, parentCk.tensors.get('D/conv0/W')!.data, 'the frozen block kept the parent’s weights');
  assert.notDeepEqual(trained.tensors.get('D/out/W')!.data, parentCk.tensors.get('D/out/W')!.data);
  assert.deepEqual(s.store.readMetrics(child.id).map((m) => m.step), [1, 2, 3, 4, 5, 6], 'the child’s curves are its own, from step 1');

  // The parent can go; the lineage stays, by name.
  await ok(s, 'runs.delete', { id: parent.id });
  const orphan = await ok(s, 'runs.show', { id: child.id });
  assert.deepEqual(orphan.startedFrom, { parentId: null, parentName: 'digits', parentDataset: 'builtin:mnist', parentStep: 4, freezeD: 1 });
});
