/**
 * What every IPC call from a page must pass before the studio service sees
 * it. A compromised or foreign page (another window, an iframe from
 * elsewhere, a page navigated away from ours) can still reach ipcMain, so the
 * sender and the envelope are checked here, in plain Node, where tests can
 * reach it without Electron.
 */
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../main/engine/config.js';
import { COMMANDS, type CommandName } from '../main/service/contract.js';

export interface GuardError {
  code: 'FORBIDDEN' | 'INVALID_INPUT';
  message: string;
}

/** The parts of Electron's IpcMainInvokeEvent the guard looks at. */
export interface CallEvent {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface ExpectedSender {
  webContentsId: number;
  /** scheme://host, e.g. studio://app */
  origin: string;
}

export type CheckedCall = { ok: true; name: CommandName; input: unknown } | { ok: false; error: GuardError };

const COMMAND_NAMES = Object.keys(COMMANDS) as [CommandName, ...CommandName[]];

const Envelope = z
  .object({
    name: z.enum(COMMAND_NAMES, { errorMap: () => ({ message: 'is not a command of the studio' }) }),
    input: z.unknown(),
  })
  .strict();

const forbidden = (message: string): CheckedCall => ({ ok: false, error: { code: 'FORBIDDEN', message } });
const invalid = (message: string): CheckedCall => ({ ok: false, error: { code: 'INVALID_INPUT', message } });

/**
 * Node's URL gives "null" as the origin of schemes it does not know (studio:),
 * though Chromium treats a registered standard scheme as a real origin; so the
 * origin is rebuilt from its parts, and credentials in the URL disqualify it.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.username || u.password || !u.host) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** Where a call comes from: only the main frame's document of our own window, served from our own scheme. */
export function checkSender(event: CallEvent, expected: ExpectedSender): GuardError | null {
  let url: string | undefined;
  try {
    // A frame that was destroyed or navigated away throws or is null on access.
    url = event.senderFrame?.url;
  } catch {
    url = undefined;
  }
  if (typeof url !== 'string') return { code: 'FORBIDDEN', message: 'the calling frame is gone' };
  const origin = originOf(url);
  if (origin !== expected.origin) return { code: 'FORBIDDEN', message: `calls from ${origin ?? 'an opaque origin'} are not accepted` };
  if (event.sender.id !== expected.webContentsId) return { code: 'FORBIDDEN', message: 'calls from another window are not accepted' };
  return null;
}

/**
 * Dropped files arrive as paths the page claims to have; before an import
 * reads them, each must be absolute and exist. Anything not shaped like a
 * path list is left for the service's own schema to refuse.
 */
export function checkImportPaths(input: unknown, stat: (path: string) => unknown = statSync): GuardError | null {
  const paths = typeof input === 'object' && input !== null ? (input as { paths?: unknown }).paths : undefined;
  if (!Array.isArray(paths)) return null;
  for (const p of paths) {
    if (typeof p !== 'string') continue;
    const shown = p.length > 300 ? `${p.slice(0, 300)}…` : p;
    if (!isAbsolute(p)) return { code: 'INVALID_INPUT', message: `datasets.import: ${shown} is not an absolute path` };
    try {
      stat(p);
    } catch {
      return { code: 'INVALID_INPUT', message: `datasets.import: ${shown} does not exist or cannot be read` };
    }
  }
  return null;
}

/** The whole check of one 'studio:call': sender, envelope, and for imports the paths. */
export function checkCall(event: CallEvent, payload: unknown, expected: ExpectedSender, stat?: (path: string) => unknown): CheckedCall {
  const who = checkSender(event, expected);
  if (who) return forbidden(who.message);
  const parsed = Envelope.safeParse(payload);
  if (!parsed.success) return invalid(`malformed call: ${formatZodError(parsed.error)}`);
  const { name, input } = parsed.data;
  if (name === 'datasets.import') {
    const bad = checkImportPaths(input, stat);
    if (bad) return { ok: false, error: bad };
  }
  return { ok: true, name, input };
}

/** Answers one call: refused calls get the guard's error and never reach `call`. */
export async function dispatchCall<R>(
  event: CallEvent,
  payload: unknown,
  expected: ExpectedSender,
  call: (name: CommandName, input: unknown) => Promise<R>,
  stat?: (path: string) => unknown,
): Promise<R | { ok: false; error: GuardError }> {
  const checked = checkCall(event, payload, expected, stat);
  if (!checked.ok) return { ok: false, error: checked.error };
  return call(checked.name, checked.input);
}
