/** Loading an exported LayersModel the way a web page would: over HTTP, by tfjs's own loader. */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tf } from './helpers.js';

export async function loadOverHttp(dir: string): Promise<tf.LayersModel> {
  const server = createServer((req, res) => createReadStream(join(dir, (req.url ?? '/').slice(1))).on('error', () => res.writeHead(404).end()).pipe(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    return await tf.loadLayersModel(`http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`);
  } finally {
    server.close();
  }
}

