/** The IPC channels between the main process and the preload; the preload repeats them (it cannot load our modules) and its types check they match. */
export const CALL_CHANNEL = 'studio:call';
export const EVENT_CHANNEL = 'studio:event';
export const MENU_CHANNEL = 'studio:menu';
/** Main process → the hidden engine page: a port to train or probe over (engine-protocol.ts). */
export const ENGINE_PORT_CHANNEL = 'studio:engine-port';

/** The scheme and host the renderer is served from; the only origin allowed to call. */
export const SCHEME = 'studio';
export const APP_ORIGIN = `${SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
/** The desktop app's hidden page that hosts the WebGPU step engine in a worker. */
export const ENGINE_URL = `${APP_ORIGIN}/engine.html`;

export type MenuAction = 'import-dataset';
