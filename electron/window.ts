/**
 * The studio's one window, locked down per Electron's security checklist:
 * an isolated, sandboxed page without Node, that cannot navigate, open
 * windows or embed webviews.
 */
import { BrowserWindow, nativeTheme, shell } from 'electron';
import { APP_URL } from './channels.js';
import { decideNavigation, isHttps } from './navigation.js';

/** The page's own --bg in light and dark (renderer/src/app.css), so no white flash before it paints. */
export const backgroundColor = () => (nativeTheme.shouldUseDarkColors ? '#15181d' : '#f6f7f9');

const openInBrowser = (url: string) => {
  if (isHttps(url)) void shell.openExternal(url);
};

export function createStudioWindow(preload: string): BrowserWindow {
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
    },
  });
  const wc = win.webContents;
  wc.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, wc.getURL());
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'external') openInBrowser(event.url);
  });
  wc.on('will-redirect', (event) => {
    if (decideNavigation(event.url, wc.getURL()) !== 'allow') event.preventDefault();
  });
  wc.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
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
