/**
 * The gan-studio command line. Errors meant for people print as one line and
 * exit 1; anything unexpected also prints one line, with the stack only when
 * GAN_STUDIO_DEBUG is set.
 */
import { readFileSync } from 'node:fs';
import { StudioError, messageOf } from '../errors.js';
import { COMMAND_HELP, USAGE } from './help.js';

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./train.js')).trainCommand,
  resume: async () => (await import('./train.js')).resumeCommand,
  sample: async () => (await import('./sample.js')).sampleCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  upscale: async () => (await import('./upscale.js')).upscaleCommand,
  translate: async () => (await import('./translate.js')).translateCommand,
  project: async () => (await import('./project.js')).projectCommand,
  edit: async () => (await import('./project.js')).editCommand,
  runs: async () => (await import('./runs.js')).runsCommand,
  import: async () => (await import('./import.js')).importCommand,
  datasets: async () => (await import('./datasets.js')).datasetsCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  sweep: async () => (await import('./sweep.js')).sweepCommand,
  queue: async () => (await import('./queue.js')).queueCommand,
  interpolate: async () => (await import('./interpolate.js')).interpolateCommand,
  export: async () => (await import('./export.js')).exportCommand,
  backends: async () => (await import('./info.js')).backendsCommand,
  bench: async () => (await import('./bench.js')).benchCommand,
  playground: async () => (await import('./playground.js')).playgroundCommand,
  'augment-study': async () => (await import('./augment.js')).augmentCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    console.log(topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) throw new StudioError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(COMMAND_HELP[name]);
    return 0;
  }
  return (await load())(args);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const json = process.argv.includes('--json');
  const message = err instanceof StudioError ? err.message : `unexpected error: ${messageOf(err).split('\n')[0]}`;
  if (json) console.log(JSON.stringify({ type: 'error', message }));
  console.error(`gan-studio: ${message}`);
  if (!(err instanceof StudioError) && process.env.GAN_STUDIO_DEBUG) console.error(err);
  process.exitCode = 1;
}
