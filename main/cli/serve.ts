/** `gan-studio serve`: browser mode, the studio's interface and API on a local port. */
import { StudioError } from '../errors.js';
import { studioHome } from '../runs/home.js';
import { isLoopback, serveStudio } from '../server/server.js';
import { StudioService } from '../service/studio-service.js';
import { int, parseOptions } from './options.js';
import { REDIS_OPTIONS, redisTarget } from './remote-options.js';

const OPTIONS = { ...REDIS_OPTIONS, port: { type: 'string' }, host: { type: 'string' } } as const;

export async function serveCommand(args: string[]): Promise<number> {
  const o = parseOptions('serve', args, OPTIONS);
  const port = int('port', o.port, 0) ?? 7860;
  if (port > 65535) throw new StudioError('--port must be at most 65535');
  const host = o.host ?? '127.0.0.1';
  const service = new StudioService(studioHome(), { redis: redisTarget(o) });
  let studio;
  try {
    studio = await serveStudio(service, { host, port });
  } catch (err) {
    await service.close();
    throw err;
  }
  console.log(`GAN Studio is running at ${studio.url}`);
  if (!isLoopback(host)) console.log('Bound beyond this machine: the URL carries the access token; share it only with people who may use this studio.');
  console.log(`Data: ${service.home}. Ctrl-C stops (training runs save a checkpoint first).`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.error('stopping…');
  await studio.close();
  await service.close();
  return 0;
}
