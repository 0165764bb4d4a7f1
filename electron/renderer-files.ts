/**
 * Which file of the built renderer a studio:// URL names. Anything that
 * would leave the renderer folder is refused, so a page (or a link in an
 * imported file's name) cannot read the rest of the disk through the scheme.
 */
import { statSync } from 'node:fs';
import { extname, normalize, resolve, sep } from 'node:path';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export type RendererFile = { ok: true; path: string; contentType: string } | { ok: false; status: 400 | 404 | 503; message: string };

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export function resolveRendererFile(root: string, pathname: string): RendererFile {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400, message: 'bad path' };
  }
  if (rel.includes('\0')) return { ok: false, status: 400, message: 'bad path' };
  const base = resolve(root);
  const file = resolve(base, `.${normalize(`/${rel}`)}`);
  if (file !== base && !file.startsWith(base + sep)) return { ok: false, status: 404, message: 'not found' };
  // The interface routes inside one page: an extensionless path is a route, not a file.
  const path = isFile(file) ? file : !extname(file) ? resolve(base, 'index.html') : null;
  if (!path) return { ok: false, status: 404, message: 'not found' };
  if (!isFile(path)) return { ok: false, status: 503, message: 'the studio interface is not built; run npm run build' };
  return { ok: true, path, contentType: MIME[extname(path)] ?? 'application/octet-stream' };
}
