/**
 * The command line's way into the studio: every command that touches runs
 * calls the same service the desktop app and browser mode call, so what a run
 * can do is checked in one place and the CLI only parses flags and writes
 * files.
 */
import { StudioError } from '../errors.js';
import { requireBackend } from '../engine/backends.js';
import type { BackendChoice } from '../engine/config.js';
import { studioHome } from '../runs/home.js';
import { StudioService, type ServiceOptions } from '../service/studio-service.js';
import type { CommandName, CommandResult, CommandResults } from '../service/contract.js';

/** A command's answer, or its error as the CLI's one-line message. */
export function value<C extends CommandName>(r: CommandResult<C>): CommandResults[C] {
  if (!r.ok) throw new StudioError(r.error.message);
  return r.value;
}

export async function call<C extends CommandName>(service: StudioService, name: C, input: unknown): Promise<CommandResults[C]> {
  return value(await service.call(name, input));
}

/**
 * A service for one command that uses a trained model: it draws on `backend`,
 * may write where the command line says (`out`), and does not follow the
 * Redis saved in Settings (a local command needs no queue).
 */
export async function withModelService<T>(backend: BackendChoice, fn: (service: StudioService) => Promise<T>, opts: ServiceOptions = {}): Promise<T> {
  // A backend named but missing is said here, before anything is read or written.
  if (backend !== 'auto') await requireBackend(backend);
  const service = new StudioService(studioHome(), { backend, localFiles: true, savedRemote: false, ...opts });
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

/** The run named by --run (an id or a unique prefix). */
export function runOf(service: StudioService, ref: string | undefined, command: string): string {
  if (!ref) throw new StudioError(`${command}: --run ID is required; \`gan-studio runs\` lists them`);
  return service.store.get(ref).id;
}

/** A ticket for one call's progress events. */
export const ticketOf = (what: string): string => `cli-${what}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
