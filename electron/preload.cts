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

/**
 * The paths this page may import: exactly those read from files the user
 * dropped or picked here. A script injected into the page could otherwise
 * name any folder (the home folder, a network share) and read its images back.
 */
const granted = new Set<string>();
const importGranted = (input: unknown): boolean => {
  const paths = typeof input === 'object' && input !== null ? (input as { paths?: unknown }).paths : undefined;
  return Array.isArray(paths) && paths.length > 0 && paths.every((p) => typeof p === 'string' && granted.has(p));
};

const studio: StudioBridge = {
  kind: 'electron',
  call: (name, input) =>
    name === 'datasets.import' && !importGranted(input)
      ? Promise.resolve({
          ok: false,
          error: { code: 'FORBIDDEN', message: 'datasets.import: only files and folders dropped or picked in this window can be imported' },
        } as const)
      : ipcRenderer.invoke(CALL, { name, input }),
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
  pathsForFiles(files) {
    const paths = Array.from(files, (f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
    for (const p of paths) granted.add(p);
    return paths;
  },
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
