/** An error whose message is meant for the person using the studio: shown as is, without a stack. */
export class StudioError extends Error {
  constructor(message: string, readonly code = 'STUDIO_ERROR') {
    super(message);
    this.name = 'StudioError';
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
