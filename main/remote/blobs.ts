/**
 * Large values in Redis — packed datasets, checkpoints — as chunks under one
 * key: the chunks first, then the header that names their count, size and
 * SHA-256, so a reader that finds the header finds a whole blob, and one cut
 * short by a crash is never read. Every key expires; readers renew it.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StudioError } from '../errors.js';

/** Well under Redis' 512 MB string limit, and small enough to stream without stalling others. */
const CHUNK = 4 * 2 ** 20;
/** The largest blob the studio sends: a dataset packs to its pixels and labels. */
export const MAX_BLOB = 2 * 2 ** 30;
/** How long a blob stays without being read (datasets) or written (checkpoints): a week. */
export const BLOB_TTL_S = 7 * 24 * 3600;

interface Header {
  size: number;
  chunks: number;
  sha256: string;
}

export const sha256 = (parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

export async function putBlob(redis: Redis, key: string, parts: Uint8Array[], ttl = BLOB_TTL_S): Promise<Header> {
  const whole = Buffer.concat(parts);
  if (whole.length > MAX_BLOB) throw new StudioError(`${key} is ${(whole.length / 2 ** 30).toFixed(1)} GiB; at most ${MAX_BLOB / 2 ** 30} GiB go through Redis`);
  const header: Header = { size: whole.length, chunks: Math.max(1, Math.ceil(whole.length / CHUNK)), sha256: sha256([whole]) };
  for (let i = 0; i < header.chunks; i += 8) {
    const batch = redis.multi();
    for (let j = i; j < Math.min(header.chunks, i + 8); j++) batch.set(`${key}:${j}`, whole.subarray(j * CHUNK, (j + 1) * CHUNK), 'EX', ttl);
    await batch.exec();
  }
  await redis.set(key, JSON.stringify(header), 'EX', ttl);
  return header;
}

/** The blob's bytes, checked against its header; null when it is not there (never written, or expired). */
export async function getBlob(redis: Redis, key: string, ttl = BLOB_TTL_S): Promise<Buffer | null> {
  const raw = await redis.get(key);
  if (raw === null) return null;
  const header = JSON.parse(raw) as Header;
  const parts: Buffer[] = [];
  for (let i = 0; i < header.chunks; i++) {
    const c = await redis.getBuffer(`${key}:${i}`);
    if (c === null) return null;
    parts.push(c);
  }
  const whole = Buffer.concat(parts);
  if (whole.length !== header.size || sha256([whole]) !== header.sha256) {
    throw new StudioError(`${key} in Redis is damaged (${whole.length} bytes, ${header.size} expected, or a different checksum)`);
  }
  await touchBlob(redis, key, header.chunks, ttl);
  return whole;
}

export async function hasBlob(redis: Redis, key: string): Promise<boolean> {
  return (await redis.exists(key)) === 1;
}

async function touchBlob(redis: Redis, key: string, chunks: number, ttl: number): Promise<void> {
  const m = redis.multi().expire(key, ttl);
  for (let i = 0; i < chunks; i++) m.expire(`${key}:${i}`, ttl);
  await m.exec();
}

export async function deleteBlob(redis: Redis, key: string): Promise<void> {
  const raw = await redis.get(key);
  const chunks = raw ? (JSON.parse(raw) as Header).chunks : 0;
  await redis.del(key, ...Array.from({ length: chunks }, (_, i) => `${key}:${i}`));
}
