/**
 * The desktop app's GPU engine: a hidden window (renderer/engine.html) whose
 * dedicated worker trains on Chromium's WebGPU, the one WebGPU that works
 * inside Electron. The studio's training worker thread keeps the run's files
 * and database rows and drives the steps over a port (engine-protocol.ts),
 * which this relays between Node's worker_threads and Electron's
 * MessagePortMain: neither kind of port can be handed to the other.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { BrowserWindow, MessageChannelMain, type MessagePortMain } from 'electron';
import type { BackendStatus } from '../main/engine/backends.js';
import type { EngineMessage } from '../main/training/engine-protocol.js';
import type { EngineHost } from '../main/training/step-host.js';
import { ENGINE_PORT_CHANNEL, ENGINE_URL } from './channels.js';
import { decideNavigation } from './navigation.js';
import { relay } from './port-relay.js';

/** Long enough for a first adapter request on a slow driver; a hung GPU process must not hang New run. */
const PROBE_TIMEOUT_MS = 20_000;

export class RendererEngineHost implements EngineHost {
  private window: Promise<BrowserWindow> | null = null;
  private status: Promise<BackendStatus> | null = null;

  constructor(
    private readonly preload: string,
    private readonly devTools: boolean,
  ) {}

  private page(): Promise<BrowserWindow> {
    this.window ??= new Promise((resolve, reject) => {
      const win = new BrowserWindow({
        show: false,
        webPreferences: {
          preload: this.preload,
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          webSecurity: true,
          webviewTag: false,
          // A hidden window's timers are throttled by default, and training would crawl.
          backgroundThrottling: false,
          devTools: this.devTools,
        },
      });
      const wc = win.webContents;
      const stay = (event: { url: string; preventDefault(): void }) => {
        if (decideNavigation(event.url, wc.getURL()) !== 'allow') event.preventDefault();
      };
      wc.on('will-navigate', stay);
      wc.on('will-redirect', stay);
      wc.setWindowOpenHandler(() => ({ action: 'deny' }));
      win.on('closed', () => (this.window = null));
      // A crashed GPU or renderer process takes this page down: the next run opens a new one.
      wc.on('render-process-gone', () => {
        this.window = null;
        this.status = null;
        if (!win.isDestroyed()) win.destroy();
      });
      wc.once('did-finish-load', () => resolve(win));
      wc.once('did-fail-load', (_e, _code, description) => reject(new Error(`the engine page did not load: ${description}`)));
      void win.loadURL(ENGINE_URL);
    });
    return this.window;
  }

  private async port(): Promise<MessagePortMain> {
    const win = await this.page();
    const { port1, port2 } = new MessageChannelMain();
    win.webContents.postMessage(ENGINE_PORT_CHANNEL, null, [port2]);
    return port1;
  }

  probe(): Promise<BackendStatus> {
    this.status ??= (async () => {
      const port = await this.port();
      try {
        return await new Promise<BackendStatus>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the engine page did not answer')), PROBE_TIMEOUT_MS);
          port.on('message', ({ data }) => {
            const m = data as EngineMessage;
            clearTimeout(timer);
            if (m.type === 'probed') resolve(m.status);
            else reject(new Error(m.type === 'error' ? m.message : `the engine page answered ${m.type}`));
          });
          port.start();
          port.postMessage({ type: 'probe' });
        });
      } finally {
        port.close();
      }
    })().catch((err: Error): BackendStatus => {
      this.status = null;
      return { name: 'webgpu', available: false, detail: 'WebGPU (Chromium)', reason: err.message };
    });
    return this.status;
  }

  async connect(): Promise<MessagePort> {
    const electron = await this.port();
    const { port1, port2 } = new MessageChannel();
    relay({ node: port1, electron });
    return port2;
  }

  close(): void {
    void this.window?.then((w) => !w.isDestroyed() && w.destroy()).catch(() => {});
    this.window = null;
  }
}
