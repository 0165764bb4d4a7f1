/**
 * Where the studio and its workers meet: one Redis, named by a redis:// URL
 * (rediss:// or --tls for TLS). The password never reaches a log or the
 * database: what is shown or stored is the URL without it.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { StudioError } from '../errors.js';

export interface RedisTarget {
  /** The URL as given: kept in memory only, for connecting. */
  url: string;
  tls?: boolean;
}

export function redisOptions(target: RedisTarget): RedisOptions {
  let u: URL;
  try {
    u = new URL(target.url);
  } catch {
    throw new StudioError(`--redis: "${redactUrl(target.url)}" is not a URL; write redis://[user:password@]host:6379[/db]`, 'INVALID_INPUT');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new StudioError(`--redis: the URL must start with redis:// or rediss://, not ${u.protocol}//`, 'INVALID_INPUT');
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new StudioError(`--redis: database "${u.pathname.slice(1)}" is not a number from 0 to 15`, 'INVALID_INPUT');
  const tls = target.tls || u.protocol === 'rediss:';
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    ...(tls ? { tls: { servername: u.hostname } } : {}),
    // BullMQ's blocking connections require it; commands wait out a reconnect instead of failing.
    maxRetriesPerRequest: null,
    // A worker with a wrong address says so once a second, not in a tight loop.
    retryStrategy: (times) => Math.min(times * 200, 5000),
  };
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Options, not a connection, for BullMQ's Queue and Worker: BullMQ closes what it opens itself. */
export function bullConnection(target: RedisTarget, name: string): ConnectionOptions {
  return { ...redisOptions(target), connectionName: name } as ConnectionOptions;
}

/** A connection that reconnects by itself; its errors reach `onError` (ioredis would print each one). */
export function connect(target: RedisTarget, name: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis({ ...redisOptions(target), connectionName: name, lazyConnect: false });
  redis.on('error', onError);
  return redis;
}

/** Resolves once the server answers PING, or fails with what a person can act on. */
export async function checkReachable(redis: Redis, target: RedisTarget, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StudioError(`Redis at ${redactUrl(target.url)} did not answer within ${timeoutMs / 1000} s`, 'UNAVAILABLE')), timeoutMs);
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError(`Redis at ${redactUrl(target.url)}: ${(err as Error).message}`, 'UNAVAILABLE');
  } finally {
    clearTimeout(timer);
  }
}
