/**
 * The hidden engine page's preload: it passes on the ports the main process
 * sends (one per connection: a probe, or a run's steps) to the page, which
 * gives them to its training worker. It exposes nothing else.
 */
import { ipcRenderer } from 'electron';
import type * as Channels from './channels.js' with { 'resolution-mode': 'import' };

const ENGINE_PORT: typeof Channels.ENGINE_PORT_CHANNEL = 'studio:engine-port';

// The preload's window (this file compiles without the DOM's types); its messages reach the page's own listeners.
const page = globalThis as unknown as { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void };

ipcRenderer.on(ENGINE_PORT, (event) => {
  if (event.ports.length === 1) page.postMessage({ type: 'gan-studio-engine-port' }, '*', event.ports);
});
