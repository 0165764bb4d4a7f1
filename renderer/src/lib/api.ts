/**
 * The page's one way to the studio: Electron's preload bridge when there is
 * one, else the same calls and events over browser mode's WebSocket.
 */
import type { StudioBridge, StudioEventListener } from '../../../main/service/bridge';
import type { CommandName, CommandResult, EventName, StudioEvents } from '../../../main/service/contract';

declare global {
  interface Window {
    studio?: StudioBridge;
    studioMenu?: { onMenu(listener: (action: 'import-dataset') => void): () => void };
  }
}

export function connectStudio(): StudioBridge {
  return window.studio ?? socketBridge();
}

/** The token browser mode prints for non-loopback hosts travels in the URL's fragment, never to the server's logs. */
export function apiToken(): string | null {
  return new URLSearchParams(location.hash.slice(1)).get('token');
}

function socketBridge(): StudioBridge {
  const listeners = new Set<StudioEventListener>();
  const pending = new Map<number, (r: CommandResult<CommandName>) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let ws: WebSocket | null = null;
  let retry = 250;

  const open = () => {
    const token = apiToken();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      retry = 250;
      for (const frame of queue.splice(0)) sock.send(frame);
    };
    sock.onmessage = (m) => {
      const frame = JSON.parse(String(m.data));
      if (frame.t === 'result') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else if (frame.t === 'event') {
        for (const l of listeners) l(frame.name as EventName, frame.payload as StudioEvents[EventName]);
      }
    };
    sock.onclose = () => {
      ws = null;
      // Calls in flight are lost with the connection: say so rather than hang.
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'the connection to the studio was lost; retrying' } });
        pending.delete(id);
      }
      setTimeout(open, retry);
      retry = Math.min(retry * 2, 5000);
    };
  };
  open();

  return {
    kind: 'browser',
    call(name, input) {
      const id = nextId++;
      const frame = JSON.stringify({ t: 'call', id, name, input });
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: CommandResult<CommandName>) => void);
        if (ws?.readyState === WebSocket.OPEN) ws.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface PickedFile {
  file: File;
  /** Relative to what was dropped or picked: class folders survive the upload. */
  path: string;
}

function uuid(): string {
  // crypto.randomUUID needs a secure context, which a remote http:// host is not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Browser mode: sends files into a staging folder on the studio's machine and returns it, for datasets.import. */
export async function uploadFiles(files: PickedFile[], onProgress: (done: number, total: number) => void): Promise<string> {
  const batch = uuid();
  const token = apiToken();
  let dir = '';
  let done = 0;
  const worker = async (list: PickedFile[]) => {
    for (const f of list) {
      const res = await fetch(`./api/upload?batch=${batch}&path=${encodeURIComponent(f.path)}`, {
        method: 'POST',
        headers: { 'x-studio-upload': '1', ...(token ? { 'x-studio-token': token } : {}) },
        body: f.file,
      });
      if (!res.ok) throw new Error(`upload of ${f.path} failed: ${(await res.text()).trim()}`);
      dir = (await res.json()).dir;
      onProgress(++done, files.length);
    }
  };
  const lanes = 4;
  await Promise.all(Array.from({ length: lanes }, (_, i) => worker(files.filter((_, k) => k % lanes === i))));
  return dir;
}

/** Files of a drop, folders walked, with their paths relative to what was dropped. */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  // Drops made by scripts (and some platforms) carry files without entries.
  if (entries.length === 0) return [...data.files].map((file) => ({ file, path: file.name }));
  const out: PickedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, path: prefix + entry.name });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

/** A file input's files: a folder picker gives paths under the chosen folder. */
export function filesFromInput(list: FileList): PickedFile[] {
  return [...list].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

export function unwrap<C extends CommandName>(r: CommandResult<C>) {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
