/**
 * Browser mode: the studio's renderer and its typed API served from Node, for
 * machines without a display or without Electron. The page talks over one
 * WebSocket (calls of the contract, pushed events); files dropped on a page
 * are uploaded into a staging folder and imported from there.
 *
 * On loopback no token is needed, but the Host header must name loopback
 * (DNS rebinding) and a browser's Origin must be this server (other sites).
 * Bound elsewhere, every API request needs the token printed at start.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { StudioError } from '../errors.js';
import { EVENT_NAMES, type CommandName } from '../service/contract.js';
import type { StudioService } from '../service/studio-service.js';
import { MAX_FRAME_BYTES, parseClientFrame, type ServerFrame } from './frames.js';

export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The same policy the Electron window sets: our own scripts only, images from data: URLs, the socket to ourselves. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_UPLOAD_BYTES = 256 * 2 ** 20;

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Required for API access when set; generated for non-loopback hosts. */
  token?: string | null;
  rendererDir?: string;
}

export interface StudioServer {
  server: Server;
  url: string;
  token: string | null;
  close(): Promise<void>;
}

export const isLoopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';

export async function serveStudio(service: StudioService, opts: ServeOptions = {}): Promise<StudioServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token !== undefined ? opts.token : isLoopback(host) ? null : randomBytes(18).toString('base64url');
  const rendererDir = opts.rendererDir ?? RENDERER_DIR;
  const uploads = join(service.home, 'uploads');
  let port = 0;

  const allowedHost = (req: IncomingMessage) => {
    if (!isLoopback(host)) return true;
    const h = (req.headers.host ?? '').toLowerCase();
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(h);
  };
  const sameOrigin = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (!origin) return true; // not a browser: nothing cross-site to guard against
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
  const tokenOk = (given: string | null | undefined) => {
    if (!token) return true;
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    if (!allowedHost(req)) return refuse(res, 421, 'unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://studio');
    if (url.pathname === '/api/upload') {
      if (req.method !== 'POST') return refuse(res, 405, 'POST only');
      if (!sameOrigin(req) || req.headers['x-studio-upload'] !== '1') return refuse(res, 403, 'cross-site upload refused');
      if (!tokenOk(req.headers['x-studio-token'] as string | undefined)) return refuse(res, 401, 'missing or wrong token');
      return void upload(req, res, url, uploads);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'GET only');
    serveStatic(res, rendererDir, url.pathname);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://studio');
    const why =
      url.pathname !== '/api' ? 'no such endpoint' : !allowedHost(req) ? 'unexpected Host header' : !sameOrigin(req) ? 'cross-site connection refused' : !tokenOk(url.searchParams.get('token')) ? 'missing or wrong token' : null;
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  const sockets = new Set<WebSocket>();
  const offs = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      const frame = JSON.stringify({ t: 'event', name, payload } satisfies ServerFrame);
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
    }),
  );

  function connect(ws: WebSocket) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data, isBinary) => {
      const parsed = isBinary ? { ok: false as const, message: 'binary frames are not part of the API' } : parseClientFrame(data.toString());
      if (!parsed.ok) {
        // A frame we cannot even read the id of gets an error under id -1; the connection stays.
        ws.send(JSON.stringify({ t: 'result', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: parsed.message } } } satisfies ServerFrame));
        return;
      }
      const { id, name, input } = parsed.frame;
      const result = await service.call(name as CommandName, input);
      if (name === 'datasets.import') removeStaging(input, uploads);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id, result } satisfies ServerFrame));
    });
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new StudioError(err.code === 'EADDRINUSE' ? `port ${opts.port} is in use; choose another with --port` : `cannot listen on ${host}:${opts.port ?? 0}: ${err.message}`)),
    );
    server.listen(opts.port ?? 0, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token ? `#token=${token}` : ''}`;
  return {
    server,
    url,
    token,
    close: async () => {
      for (const off of offs) off();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}

function serveStatic(res: ServerResponse, root: string, pathname: string): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return refuse(res, 400, 'bad path');
  }
  const file = resolve(root, `.${normalize(rel === '/' ? '/index.html' : rel)}`);
  if (!file.startsWith(resolve(root) + sep)) return refuse(res, 404, 'not found');
  const path = existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  if (!existsSync(path)) return refuse(res, 503, 'the studio interface is not built; run npm run build');
  res.writeHead(200, {
    'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  createReadStream(path).pipe(res);
}

/** A safe relative path: no "..", no absolute or drive paths, no empty parts. */
export function safeRelativePath(p: string): string | null {
  const parts = p.replace(/\\/g, '/').split('/');
  if (p.length > 1024 || parts.length > 32) return null;
  if (parts.some((x) => x === '' || x === '.' || x === '..' || /[\u0000-\u001f:]/.test(x))) return null;
  return parts.join(sep);
}

async function upload(req: IncomingMessage, res: ServerResponse, url: URL, uploads: string): Promise<void> {
  const batch = url.searchParams.get('batch') ?? '';
  const rel = safeRelativePath(url.searchParams.get('path') ?? '');
  if (!/^[0-9a-f-]{36}$/.test(batch) || !rel) return refuse(res, 400, 'upload needs batch=<uuid> and a relative path=');
  const dir = join(uploads, batch);
  const target = join(dir, rel);
  mkdirSync(dirname(target), { recursive: true });
  let size = 0;
  const out = createWriteStream(target);
  const failed = (status: number, message: string) => {
    out.destroy();
    rmSync(target, { force: true });
    if (!res.headersSent) refuse(res, status, message);
    req.destroy();
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) failed(413, `file larger than ${MAX_UPLOAD_BYTES} bytes`);
  });
  out.on('error', (err) => failed(507, `cannot store the upload: ${err.message}`));
  req.pipe(out);
  out.on('finish', () => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ dir, bytes: size }));
  });
}

/** Uploaded files are only staging for an import: once it ends, successfully or not, they go. */
function removeStaging(input: unknown, uploads: string): void {
  const paths = (input as { paths?: unknown })?.paths;
  if (!Array.isArray(paths)) return;
  for (const p of paths) {
    if (typeof p !== 'string') continue;
    const abs = resolve(p);
    if (abs.startsWith(resolve(uploads) + sep)) rmSync(abs, { recursive: true, force: true });
  }
}

