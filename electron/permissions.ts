/**
 * The studio's page needs one browser permission: the clipboard, for the
 * explorer's Copy latent and Paste latent. Every other permission (camera,
 * notifications, devices, …) is refused, by all three of Chromium's doors:
 * requests, synchronous checks, and device (HID, serial, USB) access. Plain
 * Node, so the decisions are tested without Electron.
 */
import { APP_ORIGIN } from './channels.js';
import { originOf } from './ipc-guard.js';

/** Reading (Paste latent) and sanitized writing (Copy latent); not the deprecated synchronous read. */
export const CLIPBOARD_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-read', 'clipboard-sanitized-write']);

/** Whether `permission` may be granted to a frame at `url`: the clipboard, for the main frame of our own origin only. */
export function permissionAllowed(permission: string, url: string | undefined, isMainFrame: boolean): boolean {
  if (!CLIPBOARD_PERMISSIONS.has(permission) || !isMainFrame || url === undefined) return false;
  return originOf(url) === APP_ORIGIN;
}

/** The parts of Electron's Session the handlers are installed on. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; isMainFrame: boolean }) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string; isMainFrame: boolean; embeddingOrigin?: string }) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

export function lockPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl, details.isMainFrame)),
  );
  // Checks may come without a document URL (service workers); then the requesting origin must be ours and nothing may embed it.
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    details.embeddingOrigin === undefined && permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
  session.setDevicePermissionHandler(() => false);
}
