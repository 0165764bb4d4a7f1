/**
 * What travels over the browser-mode socket: calls of the studio contract
 * from the page, their results, and pushed events. Every frame from a page
 * is parsed here before anything acts on it.
 */
import { z } from 'zod';
import type { CommandName, CommandResult, EventName, StudioEvents } from '../service/contract.js';

/** Larger frames are refused unread: no command needs more (explicit latents top out near 2 MB). */
/** Big enough for an image to upscale (24 MB, base64) and its call; anything larger is refused unread. */
export const MAX_FRAME_BYTES = 40 * 2 ** 20;

const CallFrame = z
  .object({
    t: z.literal('call'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    name: z.string().min(1).max(64),
    input: z.unknown(),
  })
  .strict();

export type ClientFrame = z.infer<typeof CallFrame>;

export type ServerFrame =
  | { t: 'result'; id: number; result: CommandResult<CommandName> }
  | { t: 'event'; name: EventName; payload: StudioEvents[EventName] };

/** A page's frame, or why it is refused. */
export function parseClientFrame(raw: string): { ok: true; frame: ClientFrame } | { ok: false; message: string } {
  if (raw.length > MAX_FRAME_BYTES) return { ok: false, message: `frame larger than ${MAX_FRAME_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'frame is not JSON' };
  }
  const parsed = CallFrame.safeParse(json);
  if (!parsed.success) return { ok: false, message: `malformed frame: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, frame: parsed.data };
}
