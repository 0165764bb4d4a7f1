/**
 * The renderer comes from studio://app, a privileged scheme of our own, not
 * from file://: a file:// page shares its origin with every local file, a
 * studio:// page has an origin the IPC guard can recognise.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../main/server/server.js';
import { SCHEME } from './channels.js';
import { resolveRendererFile } from './renderer-files.js';

/** Must run before the app is ready. */
export function registerStudioScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

const textResponse = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });

export function serveRenderer(rendererDir: string): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return textResponse(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'GET only');
    const found = resolveRendererFile(rendererDir, url.pathname);
    if (!found.ok) return textResponse(found.status, found.message);
    let body: Buffer;
    try {
      body = await readFile(found.path);
    } catch {
      return textResponse(404, 'not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': found.contentType,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      },
    });
  });
}
