/** The IPC channels between the main process and the preload; the preload repeats them (it cannot load our modules) and its types check they match. */
export const CALL_CHANNEL = 'studio:call';
export const EVENT_CHANNEL = 'studio:event';
export const MENU_CHANNEL = 'studio:menu';

/** The scheme and host the renderer is served from; the only origin allowed to call. */
export const SCHEME = 'studio';
export const APP_ORIGIN = `${SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export type MenuAction = 'import-dataset';
