import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { parseClientFrame } from '../../main/server/frames.js';
import { safeRelativePath, serveStudio } from '../../main/server/server.js';
import { StudioService } from '../../main/service/studio-service.js';
import { tempDir } from '../support/helpers.js';

function studio() {
  const s = new StudioService(tempDir());
  after(() => s.close());
  return s;
}

/** Opens a socket and resolves when it is open, or rejects with the refusal's status. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket, pred: (f: { t: string; id?: number; name?: string }) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const f = JSON.parse(data.toString());
      if (pred(f)) {
        ws.off('message', on);
        resolve(f);
      }
    };
    ws.on('message', on);
  });
}

function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('frames from a page are parsed strictly: not JSON, wrong shape, extra keys and oversize frames are refused', () => {
  assert.equal(parseClientFrame('{"t":"call","id":1,"name":"runs.list","input":{}}').ok, true);
  for (const bad of ['nope', '[]', '{"t":"call","id":"1","name":"runs.list"}', '{"t":"call","id":1,"name":"runs.list","input":{},"x":1}', '{"t":"event","id":1,"name":"a"}', 'x'.repeat(5 * 2 ** 20)]) {
    const r = parseClientFrame(bad);
    assert.equal(r.ok, false, bad.slice(0, 60));
  }
  assert.equal(safeRelativePath('cats/1.png'), join('cats', '1.png'));
  for (const bad of ['../x.png', 'a/../../x', '/etc/passwd', 'C:/x.png', 'a//b', '', 'a/./b']) assert.equal(safeRelativePath(bad), null, bad);
});

test('browser mode on loopback: calls and pushed events over the socket; malformed frames answered, not fatal; foreign hosts and origins refused', async () => {
  const service = studio();
  const srv = await serveStudio(service, { port: 0 });
  after(() => srv.close());
  assert.equal(srv.token, null);
  const port = new URL(srv.url).port;
  const ws = await open(`ws://127.0.0.1:${port}/api`);
  ws.send(JSON.stringify({ t: 'call', id: 7, name: 'datasets.list', input: {} }));
  const r = await next(ws, (f) => f.id === 7);
  assert.deepEqual(r.result.value.map((d: { name: string }) => d.name), ['builtin:mnist']);

  ws.send('{"t":"call","id":"x"}');
  const bad = await next(ws);
  assert.deepEqual([bad.id, bad.result.ok, bad.result.error.code], [-1, false, 'INVALID_INPUT']);
  ws.send(JSON.stringify({ t: 'call', id: 8, name: 'runs.rename', input: { id: 'nope', name: 'x' } }));
  assert.match((await next(ws, (f) => f.id === 8)).result.error.message, /is not a run id/);

  // Events are pushed to every page.
  const event = next(ws, (f) => f.t === 'event' && f.name === 'run.status');
  ws.send(JSON.stringify({ t: 'call', id: 9, name: 'runs.create', input: { config: { dataset: 'builtin:mnist', backend: 'cpu', steps: 1, width: 4, batch: 2, zDim: 4 }, start: false } }));
  const created = (await next(ws, (f) => f.id === 9)).result.value;
  ws.send(JSON.stringify({ t: 'call', id: 10, name: 'runs.stop', input: { id: created.id } }));
  ws.send(JSON.stringify({ t: 'call', id: 11, name: 'runs.start', input: { id: created.id } }));
  assert.equal((await event).payload.id, created.id);
  ws.close();

  await assert.rejects(open(`ws://127.0.0.1:${port}/api`, { Origin: 'https://evil.example' }), /refused 403/);
  await assert.rejects(open(`ws://127.0.0.1:${port}/api`, { Host: `evil.example:${port}` }), /refused 403/);
  assert.equal((await http(`http://127.0.0.1:${port}/`, { headers: { Host: `rebind.example:${port}` } })).status, 421);
  const page = await http(`http://127.0.0.1:${port}/`);
  assert.equal(page.status, 200);
  assert.match(page.body, /GAN Studio/);
  assert.equal((await http(`http://127.0.0.1:${port}/..%2f..%2fpackage.json`)).status, 200, 'unknown paths fall back to the page');
  assert.doesNotMatch((await http(`http://127.0.0.1:${port}/..%2f..%2fpackage.json`)).body, /"dependencies"/);
});

test('browser mode beyond loopback needs the printed token; uploads are staged safely and removed after their import', async () => {
  const service = studio();
  const srv = await serveStudio(service, { host: '0.0.0.0', port: 0 });
  after(() => srv.close());
  assert.ok(srv.token && srv.token.length >= 20);
  assert.match(srv.url, /#token=/);
  const port = new URL(srv.url).port;
  await assert.rejects(open(`ws://127.0.0.1:${port}/api`), /refused 403/);
  await assert.rejects(open(`ws://127.0.0.1:${port}/api?token=wrong`), /refused 403/);
  const ws = await open(`ws://127.0.0.1:${port}/api?token=${srv.token}`);

  const sharp = (await import('sharp')).default;
  const png = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#c00' } }).png().toBuffer();
  const batch = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const up = (path: string, headers: Record<string, string>) =>
    http(`http://127.0.0.1:${port}/api/upload?batch=${batch}&path=${encodeURIComponent(path)}`, { method: 'POST', headers, body: png });
  const good = { 'x-studio-upload': '1', 'x-studio-token': srv.token! };
  assert.equal((await up('a.png', { 'x-studio-upload': '1' })).status, 401);
  assert.equal((await up('a.png', { ...good, Origin: 'https://evil.example' })).status, 403);
  assert.equal((await up('../../escape.png', good)).status, 400);
  assert.ok(!existsSync(join(service.home, 'escape.png')));
  const ok1 = await up('reds/a.png', good);
  assert.equal(ok1.status, 200, ok1.body);
  await up('reds/b.png', { ...good });
  const dir = JSON.parse(ok1.body).dir as string;
  assert.deepEqual(readdirSync(join(dir, 'reds')).sort(), ['a.png', 'b.png']);

  ws.send(JSON.stringify({ t: 'call', id: 1, name: 'datasets.import', input: { paths: [dir], name: 'uploaded', size: 28 } }));
  const r = (await next(ws, (f) => f.id === 1)).result;
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.value.imported, 1, 'the two identical uploads are one image');
  assert.equal(r.value.duplicates, 1);
  assert.ok(!existsSync(dir), 'the staging folder outlived its import');
  ws.close();
});
