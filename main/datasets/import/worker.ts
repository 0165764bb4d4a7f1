/**
 * Worker-thread entry: one import, so decoding and packing never run on the
 * thread that serves the UI. It opens its own connection to the database.
 */
import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../../db/database.js';
import { StudioError, messageOf } from '../../errors.js';
import { databasePath } from '../../db/database.js';
import { importDataset } from './importer.js';
import type { ImportControlMessage, ImportEvent } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('import worker must run in a worker thread');

const control = { cancelled: false };
const emit = (e: ImportEvent) => port.postMessage(e);

port.on('message', (msg: ImportControlMessage) => {
  if (msg.type === 'cancel') {
    control.cancelled = true;
    return;
  }
  let db: ReturnType<typeof openDatabase> | null = null;
  Promise.resolve()
    .then(() => {
      db = openDatabase(databasePath(msg.home));
      return importDataset(db, msg.home, msg.options, control, (progress) => emit({ type: 'progress', progress }));
    })
    .then((report) => emit({ type: 'done', report }))
    .catch((err) => {
      const known = err instanceof StudioError;
      emit({ type: 'error', code: known ? err.code : 'FAILED', message: known ? err.message : `import failed: ${messageOf(err).split('\n')[0]}` });
    })
    .finally(() => {
      db?.close();
      port.close();
    });
});
