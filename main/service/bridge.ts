/**
 * What a page sees of the studio, whichever way it is connected: Electron's
 * preload exposes exactly this as `window.studio`; in browser mode the page
 * builds the same object over the WebSocket.
 */
import type { CommandInput, CommandName, CommandResult, EventName, StudioEvents } from './contract.js';

export type StudioEventListener = <E extends EventName>(name: E, payload: StudioEvents[E]) => void;

export interface StudioBridge {
  call<C extends CommandName>(name: C, input: CommandInput<C>): Promise<CommandResult<C>>;
  /** Every event of the contract; returns the function that stops listening. */
  subscribe(listener: StudioEventListener): () => void;
  /** Desktop only: the paths of dropped or picked files, for datasets.import. Absent in a browser. */
  pathsForFiles?(files: File[]): string[];
  readonly kind: 'electron' | 'browser';
}
