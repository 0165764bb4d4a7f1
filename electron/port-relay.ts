/**
 * Between a worker_threads port (the training worker's end) and an Electron
 * MessagePortMain (the engine page's end): neither can be handed to the
 * other's side, so messages are copied across. Plain Node, tested without
 * Electron.
 */

/** The parts of the two kinds of port the relay uses. */
export interface RelayEnds {
  node: { postMessage(m: unknown): void; on(e: 'message', l: (m: unknown) => void): void; on(e: 'close', l: () => void): void; close(): void };
  electron: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void; on(e: 'close', l: () => void): void; start(): void; close(): void };
}

/** Messages both ways, copied (structured clone); either end closing closes the other. */
export function relay({ node, electron }: RelayEnds): void {
  node.on('message', (m) => electron.postMessage(m));
  electron.on('message', (e) => node.postMessage(e.data));
  let closed = false;
  const closeBoth = () => {
    if (closed) return;
    closed = true;
    node.close();
    electron.close();
  };
  node.on('close', closeBoth);
  electron.on('close', closeBoth);
  electron.start();
}
