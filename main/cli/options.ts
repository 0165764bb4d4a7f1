import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ZodError } from 'zod';
import { StudioError } from '../errors.js';
import { BACKEND_CHOICES, type BackendChoice } from '../engine/config.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's options; unknown or malformed options become one-line errors. */
export function parseOptions<O extends Options>(command: string, args: string[], options: O) {
  // `--steps -5` is a negative number, not a missing value followed by an option.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    const opt = options[args[i].slice(2)];
    if (args[i].startsWith('--') && opt?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${args[i]}=${next}`);
      i++;
    } else joined.push(args[i]);
  }
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0].replace(/^Unknown option/, 'unknown option');
    throw new StudioError(`${command}: ${msg}; see \`gan-studio ${command} --help\``);
  }
}

/** Files named among the options (import PATH…, upscale IMAGE…), apart from the options and their values. */
export function splitPositionals(args: string[], options: Options): { positionals: string[]; flags: string[] } {
  const positionals: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      flags.push(a);
      const spec = options[a.slice(2).split('=')[0]];
      if (spec?.type === 'string' && !a.includes('=') && i + 1 < args.length) flags.push(args[++i]);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

/** A number option, or undefined when absent; anything that is not a finite number is refused. */
export function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new StudioError(`--${name} must be a number, got "${value}"`);
  return n;
}

export function int(name: string, value: string | undefined, min = 1): number | undefined {
  const n = num(name, value);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min) throw new StudioError(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/** Config field → the CLI option that sets it, so validation errors name what the user typed. */
const FLAG_OF: Record<string, string> = {
  dSteps: 'd-steps',
  lrG: 'lr-g',
  lrD: 'lr-d',
  zDim: 'z-dim',
  emaDecay: 'ema',
  checkpointEvery: 'checkpoint-every',
  spectralNorm: 'spectral-norm',
  labelSmoothing: 'label-smoothing',
  freezeD: 'freeze-d',
};

/** An on/off option, or undefined when absent. */
export function onOff(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new StudioError(`--${name} must be on or off, got "${value}"`);
}

export function explainConfigError(err: ZodError): StudioError {
  const parts = err.issues.map((i) => {
    const key = String(i.path[0] ?? '');
    return key ? `--${FLAG_OF[key] ?? key}: ${i.message}` : i.message;
  });
  return new StudioError(parts.join('; '));
}

export function backendChoice(value: string | undefined): BackendChoice | undefined {
  if (value === undefined) return undefined;
  if (!(BACKEND_CHOICES as readonly string[]).includes(value)) {
    throw new StudioError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${value}"`);
  }
  return value as BackendChoice;
}
