/**
 * The contract over IPC: calls in on 'studio:call' (each passes the guard
 * before the service sees it), every service event out on 'studio:event'.
 */
import { ipcMain, type WebContents } from 'electron';
import { EVENT_NAMES } from '../main/service/contract.js';
import type { StudioService } from '../main/service/studio-service.js';
import { APP_ORIGIN, CALL_CHANNEL, EVENT_CHANNEL } from './channels.js';
import { dispatchCall } from './ipc-guard.js';

/** `target` is read on every call and event: on macOS the window can close and come back with new webContents. */
export function connectIpc(service: StudioService, target: () => WebContents | null): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, payload: unknown) => {
    const wc = target();
    if (!wc) return { ok: false, error: { code: 'FORBIDDEN', message: 'the studio window is closed' } };
    return dispatchCall(event, payload, { webContentsId: wc.id, origin: APP_ORIGIN }, (name, input) => service.call(name, input));
  });
  const offs = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(EVENT_CHANNEL, { name, payload });
    }),
  );
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    for (const off of offs) off();
  };
}
