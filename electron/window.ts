/**
 * The studio's one window, locked down per Electron's security checklist:
 * an isolated, sandboxed page without Node, that cannot navigate, open
 * windows or embed webviews.
 */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_URL } from './channels.js';
import { decideNavigation } from './navigation.js';

/** The page's own --bg in light and dark (renderer/src/app.css), so no white flash before it paints. */
export const backgroundColor = () => (nativeTheme.shouldUseDarkColors ? '#15181d' : '#f6f7f9');

/** `devTools` is false in the packaged app: no menu item, shortcut or page can open them there. */
export function createStudioWindow(preload: string, devTools: boolean): BrowserWindow {
  const win = new BrowserWindow({
    title: 'GAN Studio',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: backgroundColor(),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools,
    },
  });
  const wc = win.webContents;
  const stay = (event: { url: string; preventDefault(): void }) => {
    if (decideNavigation(event.url, wc.getURL()) !== 'allow') event.preventDefault();
  };
  wc.on('will-navigate', stay);
  wc.on('will-frame-navigate', stay);
  wc.on('will-redirect', stay);
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-attach-webview', (event) => event.preventDefault());

  const onTheme = () => {
    if (!win.isDestroyed()) win.setBackgroundColor(backgroundColor());
  };
  nativeTheme.on('updated', onTheme);
  win.on('closed', () => nativeTheme.off('updated', onTheme));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}
