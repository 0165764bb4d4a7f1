/**
 * What every IPC call from a page must pass before the studio service sees
 * it. A compromised or foreign page (another window, an iframe from
 * elsewhere, a page navigated away from ours) can still reach ipcMain, so the
 * sender and the envelope are checked here, in plain Node, where tests can
 * reach it without Electron.
 */
import { stat as statAsync } from 'node:fs/promises';
import { isAbsolute, win32 } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../main/engine/config.js';
import { COMMANDS, type CommandName } from '../main/service/contract.js';

export interface GuardError {
  code: 'FORBIDDEN' | 'INVALID_INPUT';
  message: string;
}

/** The parts of Electron's IpcMainInvokeEvent the guard looks at. */
export interface CallEvent {
  sender: { id: number; mainFrame: unknown };
  senderFrame: { url: string } | null;
}

/** How the guard looks at the disk: a promise that rejects for a path that cannot be read. */
export type StatPath = (path: string) => Promise<unknown>;

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
  let frame: { url: string } | null = null;
  let url: string | undefined;
  try {
    // A frame that was destroyed or navigated away throws or is null on access.
    frame = event.senderFrame;
    url = frame?.url;
  } catch {
    url = undefined;
  }
  if (!frame || typeof url !== 'string') return { code: 'FORBIDDEN', message: 'the calling frame is gone' };
  const origin = originOf(url);
  if (origin !== expected.origin) return { code: 'FORBIDDEN', message: `calls from ${origin ?? 'an opaque origin'} are not accepted` };
  if (event.sender.id !== expected.webContentsId) return { code: 'FORBIDDEN', message: 'calls from another window are not accepted' };
  // Electron hands out one WebFrameMain per frame, so identity tells the main frame from an iframe of the same origin.
  if (frame !== event.sender.mainFrame) return { code: 'FORBIDDEN', message: 'calls from a subframe are not accepted' };
  return null;
}

/**
 * A path the main process will not open at all, whatever the page says:
 * Windows UNC and device paths (opening \\host\share sends the user's NTLM
 * hash to that host; \\.\ and \\?\ reach devices and bypass path rules),
 * the same written with forward slashes, NUL bytes, relative paths.
 */
export function unsafeImportPath(p: string, platform: NodeJS.Platform = process.platform): boolean {
  if (p.length === 0 || p.length > 4096 || p.includes('\0')) return true;
  if (/^[\\/]{2}/.test(p)) return true;
  if (platform === 'win32') return !win32.isAbsolute(p) || !/^[a-zA-Z]:[\\/]/.test(p);
  return !isAbsolute(p);
}

/** Stats at a time: enough to keep the disk busy, few enough not to flood the thread pool the service also uses. */
const STAT_CONCURRENCY = 16;

/**
 * Dropped and picked files arrive as paths the page sends. The preload
 * forwards only paths it obtained from the files themselves; here each must
 * also be a plain absolute local path that can be read. One message for
 * every refusal, so a page cannot tell a missing path from a forbidden one,
 * and the stats are asynchronous, so a long list never blocks the main process.
 */
export async function checkImportPaths(input: unknown, stat: StatPath = statAsync): Promise<GuardError | null> {
  const paths = typeof input === 'object' && input !== null ? (input as { paths?: unknown }).paths : undefined;
  if (!Array.isArray(paths)) return null;
  const strings = paths.filter((p): p is string => typeof p === 'string');
  const refuse = (p: string): GuardError => {
    const shown = p.length > 300 ? `${p.slice(0, 300)}…` : p;
    return { code: 'INVALID_INPUT', message: `datasets.import: ${JSON.stringify(shown)} cannot be imported (only files and folders dropped or picked on this computer can)` };
  };
  const bad = strings.find((p) => unsafeImportPath(p));
  if (bad !== undefined) return refuse(bad);
  let next = 0;
  let refused: string | null = null;
  const worker = async () => {
    while (refused === null && next < strings.length) {
      const p = strings[next++];
      try {
        await stat(p);
      } catch {
        refused ??= p;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, strings.length) }, worker));
  return refused === null ? null : refuse(refused);
}

/** The whole check of one 'studio:call': sender, envelope, and for imports the paths. */
export async function checkCall(event: CallEvent, payload: unknown, expected: ExpectedSender, stat?: StatPath): Promise<CheckedCall> {
  const who = checkSender(event, expected);
  if (who) return forbidden(who.message);
  const parsed = Envelope.safeParse(payload);
  if (!parsed.success) return invalid(`malformed call: ${formatZodError(parsed.error)}`);
  const { name, input } = parsed.data;
  if (name === 'datasets.import') {
    const bad = await checkImportPaths(input, stat);
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
  stat?: StatPath,
): Promise<R | { ok: false; error: GuardError }> {
  const checked = await checkCall(event, payload, expected, stat);
  if (!checked.ok) return { ok: false, error: checked.error };
  return call(checked.name, checked.input);
}
