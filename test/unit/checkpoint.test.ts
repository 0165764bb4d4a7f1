import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint, type CheckpointData } from '../../main/families/run-checkpoint.js';
import { StudioError } from '../../main/errors.js';
import { writeFileAtomic } from '../../main/fsx.js';
import { tempDir, tinyConfig } from '../support/helpers.js';

function sample(step = 7): CheckpointData {
  return {
    step,
    config: tinyConfig(),
    spec: { size: 28, channels: 1, zDim: 16, width: 8, numClasses: 0, dropout: 0.3 },
    rng: [1, 2, 3, 4],
    iterations: { adamG: step, adamD: step },
    tensors: new Map([
      ['G/a', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6.5]) }],
      ['D/b', { shape: [3], data: new Float32Array([-1, 0, Math.PI]) }],
    ]),
  };
}

test('a checkpoint reads back exactly as written', () => {
  const c = sample();
  const back = decodeCheckpoint(Buffer.concat(encodeCheckpoint(c)));
  assert.equal(back.step, c.step);
  assert.deepEqual(back.config, c.config);
  assert.deepEqual(back.rng, c.rng);
  assert.deepEqual(back.iterations, c.iterations);
  assert.deepEqual([...back.tensors.entries()], [...c.tensors.entries()]);
});

test('a damaged or truncated checkpoint is refused, not loaded', () => {
  const buf = Buffer.concat(encodeCheckpoint(sample()));
  const flipped = Buffer.from(buf);
  flipped[buf.length - 10] ^= 0x40;
  assert.throws(() => decodeCheckpoint(flipped), (e: Error) => e instanceof StudioError && /damaged \(checksum mismatch\)/.test(e.message));
  assert.throws(() => decodeCheckpoint(buf.subarray(0, buf.length - 7)), /damaged/);
  assert.throws(() => decodeCheckpoint(Buffer.from('hello world, not a checkpoint')), /not a GAN Studio checkpoint/);
});

test('a checkpoint from a newer app version is refused with a clear message', () => {
  const buf = Buffer.concat(encodeCheckpoint(sample()));
  const text = buf.toString('latin1').replace('"version":1', '"version":9');
  const body = Buffer.from(text, 'latin1').subarray(0, buf.length - 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(crc32(body) >>> 0);
  assert.throws(() => decodeCheckpoint(Buffer.concat([body, tail])), /newer GAN Studio \(format 9\)/);
});

test('a save that fails half-way leaves the previous checkpoint intact and no stray file', () => {
  const dir = tempDir();
  const path = join(dir, 'step-1.ckpt');
  writeCheckpoint(path, sample(1));
  const before = readFileSync(path);
  const chunks = encodeCheckpoint(sample(2));
  // The write dies after the first chunks, as on a full disk.
  const failing = [chunks[0], chunks[1], { get length(): number { throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); } }];
  assert.throws(() => writeFileAtomic(path, failing as unknown as Uint8Array[]), /ENOSPC/);
  assert.deepEqual(readFileSync(path), before);
  assert.equal(readCheckpoint(path).step, 1);
  assert.deepEqual(readdirSync(dir), ['step-1.ckpt']);
});

test('a missing checkpoint file gets a one-line error', () => {
  const dir = tempDir();
  assert.throws(() => readCheckpoint(join(dir, 'nope.ckpt')), (e: Error) => e instanceof StudioError && /ENOENT/.test(e.message));
  writeFileSync(join(dir, 'empty.ckpt'), '');
  assert.throws(() => readCheckpoint(join(dir, 'empty.ckpt')), /damaged/);
});
