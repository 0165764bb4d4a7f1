/**
 * GAN Studio's Electron main process: one window onto the studio service,
 * which lives here (training and decoding already run in worker threads, so
 * this process stays responsive) and speaks to the page only through the
 * guarded IPC of ipc.ts.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, nativeTheme, session } from 'electron';
import { RENDERER_DIR } from '../main/server/server.js';
import type { StudioService } from '../main/service/studio-service.js';
import { messageOf } from '../main/errors.js';
import { MENU_CHANNEL, type MenuAction } from './channels.js';
import { RendererEngineHost } from './engine-host.js';
import { connectIpc } from './ipc.js';
import { sqliteForElectronPath } from './launcher.js';
import { menuTemplate } from './menu.js';
import { lockPermissions } from './permissions.js';
import { RunProgress } from './progress.js';
import { registerStudioScheme, serveRenderer } from './protocol.js';
import { createStudioWindow } from './window.js';
import { keychainSecrets } from './keychain.js';

const APP_NAME = 'GAN Studio';
const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const ENGINE_PRELOAD = fileURLToPath(new URL('./engine-preload.cjs', import.meta.url));
/** Stopping runs saves their checkpoints; past this the app quits anyway rather than hang. */
const CLOSE_TIMEOUT_MS = 60_000;

app.setName(APP_NAME);
// The package is named gan-studio; the CLI's default home (main/runs/home.ts) is "<appData>/GAN Studio",
// so userData is set to match, and to GAN_STUDIO_HOME when given (tests, portable installs);
// absolute, as setPath demands and as the CLI resolves it.
const home = process.env.GAN_STUDIO_HOME ? resolve(process.env.GAN_STUDIO_HOME) : join(app.getPath('appData'), APP_NAME);
app.setPath('userData', home);
process.env.GAN_STUDIO_HOME = home;

// SQLite for Electron's ABI: a packaged app has it in place (electron-builder rebuilds it), and must not
// let the environment point native code elsewhere; a checkout uses the copy the launcher built.
if (app.isPackaged) delete process.env.GAN_STUDIO_SQLITE_BINDING;
else if (!process.env.GAN_STUDIO_SQLITE_BINDING) {
  const built = sqliteForElectronPath(app.getAppPath(), process.versions.electron);
  if (existsSync(built)) process.env.GAN_STUDIO_SQLITE_BINDING = built;
}

registerStudioScheme();

if (!app.requestSingleInstanceLock()) app.quit();
else start();

function start(): void {
  let win: BrowserWindow | null = null;
  let service: StudioService | null = null;
  let closing: 'no' | 'closing' | 'closed' = 'no';
  // WebGPU for training, from a hidden page: Dawn's Node bindings cannot run under Electron.
  const gpuEngine = new RendererEngineHost(ENGINE_PRELOAD, !app.isPackaged);
  const progress = new RunProgress();

  const openWindow = () => {
    const w = createStudioWindow(PRELOAD, !app.isPackaged);
    w.on('closed', () => {
      if (win === w) win = null;
      onStudioWindowClosed();
    });
    return w;
  };
  const focusWindow = () => {
    if (!service) return; // still starting: the window comes when the service is up
    if (!win) win = openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const setProgress = (value: number | null) => {
    if (value !== null && win && !win.isDestroyed()) win.setProgressBar(value);
  };
  const importDataset = () => {
    focusWindow();
    const wc = win?.webContents;
    if (!wc) return;
    const action: MenuAction = 'import-dataset';
    // A page may open a file picker only with a user activation, which a menu
    // click in the main process does not give it; a no-op run as a user gesture does.
    void wc
      .executeJavaScript('undefined', true)
      .catch(() => undefined)
      .then(() => wc.isDestroyed() || wc.send(MENU_CHANNEL, action));
  };

  app.on('second-instance', focusWindow);
  app.on('activate', focusWindow);
  // The hidden engine window never closes by itself, so 'window-all-closed' would not come: the studio window's own closing decides.
  const onStudioWindowClosed = () => {
    if (process.platform !== 'darwin') app.quit();
  };
  app.on('before-quit', (event) => {
    if (!service || closing === 'closed') return;
    event.preventDefault();
    if (closing === 'closing') return;
    closing = 'closing';
    const timeout = new Promise<void>((done) => setTimeout(done, CLOSE_TIMEOUT_MS).unref());
    Promise.race([service.close(), timeout])
      .catch((err) => console.error(`gan-studio: closing the studio failed: ${messageOf(err)}`))
      .finally(() => {
        closing = 'closed';
        gpuEngine.close();
        app.quit();
      });
  });

  app.whenReady().then(async () => {
    nativeTheme.themeSource = 'system';
    lockPermissions(session.defaultSession);
    serveRenderer(RENDERER_DIR);
    try {
      // Loaded only now, so the native modules it pulls in fail into the dialog below, not into a bare crash.
      const { StudioService } = await import('../main/service/studio-service.js');
      // Remote workers' Redis: as the CLI takes it, else as Settings saved it (its password in the OS keychain).
      const redis = process.env.GAN_STUDIO_REDIS ? { url: process.env.GAN_STUDIO_REDIS } : undefined;
      service = new StudioService(home, { gpuEngine, redis, secrets: keychainSecrets(join(app.getPath('userData'), 'secrets')) });
    } catch (err) {
      throw new Error(
        `${messageOf(err)}\n\nData folder: ${home}\n` +
          'If this mentions NODE_MODULE_VERSION, better-sqlite3 was built for Node rather than Electron: start the app with npm start, which builds a copy for Electron.',
      );
    }
    connectIpc(service, () => win?.webContents ?? null);
    service.on('run.progress', (e) => setProgress(progress.progress(e)));
    service.on('run.finished', (e) => setProgress(progress.finished(e.id)));

    app.setAboutPanelOptions({
      applicationName: APP_NAME,
      applicationVersion: app.getVersion(),
      credits: 'Train, watch and explore generative adversarial networks.',
    });
    const template = menuTemplate({ appName: APP_NAME, isMac: process.platform === 'darwin', isDev: !app.isPackaged, onImportDataset: importDataset });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
    win = openWindow();
  }).catch((err) => {
    dialog.showErrorBox(`${APP_NAME} cannot start`, messageOf(err));
    app.exit(1);
  });
}
