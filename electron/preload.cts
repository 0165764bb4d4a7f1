/**
 * The page's only door to the studio: `window.studio`, exactly the
 * StudioBridge of main/service/bridge.ts, and `window.studioMenu` for the
 * application menu. Sandboxed preloads are CommonJS and may load nothing of
 * ours, so the channel names are repeated here; their types tie them to
 * channels.ts. ipcRenderer itself never reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { StudioBridge, StudioEventListener } from '../main/service/bridge.js' with { 'resolution-mode': 'import' };
import type * as Channels from './channels.js' with { 'resolution-mode': 'import' };

const CALL: typeof Channels.CALL_CHANNEL = 'studio:call';
const EVENT: typeof Channels.EVENT_CHANNEL = 'studio:event';
const MENU: typeof Channels.MENU_CHANNEL = 'studio:menu';

// One IPC listener however many subscribers: the page may subscribe per view.
const listeners = new Set<StudioEventListener>();
let listening = false;
const onEvent = (_event: IpcRendererEvent, message: unknown) => {
  const m = message as { name?: unknown; payload?: unknown } | null;
  if (!m || typeof m.name !== 'string') return;
  for (const l of listeners) {
    try {
      (l as (name: string, payload: unknown) => void)(m.name, m.payload);
    } catch (err) {
      console.error(err);
    }
  }
};

const studio: StudioBridge = {
  kind: 'electron',
  call: (name, input) => ipcRenderer.invoke(CALL, { name, input }),
  subscribe(listener) {
    listeners.add(listener);
    if (!listening) {
      ipcRenderer.on(EVENT, onEvent);
      listening = true;
    }
    return () => {
      listeners.delete(listener);
    };
  },
  // Files that are not on disk (pasted images, say) have no path; the import could not read them anyway.
  pathsForFiles: (files) => Array.from(files, (f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0),
};

const studioMenu = {
  onMenu(listener: (action: Channels.MenuAction) => void): () => void {
    const handler = (_event: IpcRendererEvent, action: unknown) => {
      if (action === 'import-dataset') listener(action);
    };
    ipcRenderer.on(MENU, handler);
    return () => {
      ipcRenderer.removeListener(MENU, handler);
    };
  },
};

contextBridge.exposeInMainWorld('studio', studio);
contextBridge.exposeInMainWorld('studioMenu', studioMenu);
