/** Calling the studio service from tests: a command's value, or the next event that matches. */
import type { StudioService } from '../../main/service/studio-service.js';
import type { CommandName, CommandResult, EventName, StudioEvents } from '../../main/service/contract.js';

export async function ok<C extends CommandName>(s: StudioService, name: C, input: unknown) {
  const r: CommandResult<C> = await s.call(name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

export function until<E extends EventName>(s: StudioService, event: E, pred: (p: StudioEvents[E]) => boolean): Promise<StudioEvents[E]> {
  return new Promise((resolve) => {
    const off = s.on(event, (p) => {
      if (pred(p)) {
        off();
        resolve(p);
      }
    });
  });
}
