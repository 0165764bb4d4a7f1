/** `--redis`, `--tls` and GAN_STUDIO_REDIS: where the studio's remote runs and workers meet. */
import type { RedisTarget } from '../remote/connection.js';

export const REDIS_OPTIONS = { redis: { type: 'string' }, tls: { type: 'boolean' } } as const;

/** The Redis from --redis, or from GAN_STUDIO_REDIS; undefined when neither is set. */
export function redisTarget(o: { redis?: string; tls?: boolean }): RedisTarget | undefined {
  const url = o.redis ?? process.env.GAN_STUDIO_REDIS;
  return url ? { url, tls: !!o.tls } : undefined;
}
