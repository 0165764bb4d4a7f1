/**
 * CIFAR's binary batches: records of a label byte (CIFAR-100: a coarse and
 * a fine label byte) and 3,072 pixel bytes, the red, green and blue 32×32
 * planes. data_batch_1.bin … data_batch_5.bin and test_batch.bin are
 * CIFAR-10's; train.bin and test.bin CIFAR-100's (its fine labels are used).
 */
import { invalid, type ImageArray } from './numeric.js';

export const CIFAR_NAME = /^(data_batch_\d+|test_batch|train|test)\.bin$/i;
/** The class-name files CIFAR ships beside its batches. */
export const CIFAR_META = { 10: 'batches.meta.txt', 100: 'fine_label_names.txt' } as const;

const PLANE = 32 * 32;
/** Bytes per record: label byte(s), then three planes. */
export const CIFAR_RECORD = { 10: 1 + 3 * PLANE, 100: 2 + 3 * PLANE } as const;

export function cifarVariant(name: string): 10 | 100 {
  return /^(train|test)\.bin$/i.test(name) ? 100 : 10;
}

export function parseCifar(where: string, name: string, b: Uint8Array): { images: ImageArray; labels: Int32Array } {
  const variant = cifarVariant(name);
  const record = CIFAR_RECORD[variant];
  const labelBytes = record - 3 * PLANE;
  if (b.length === 0 || b.length % record !== 0) {
    throw invalid(where, `truncated or not a CIFAR-${variant} batch: ${b.length.toLocaleString('en')} bytes is not a whole number of ${record.toLocaleString('en')}-byte records`);
  }
  const count = b.length / record;
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = b[i * record + labelBytes - 1];
    if (label >= variant) throw invalid(where, `record ${i} has label ${label}; CIFAR-${variant} has ${variant} classes`);
    labels[i] = label;
  }
  const images: ImageArray = {
    where,
    count,
    height: 32,
    width: 32,
    channels: 3,
    notes: [],
    pixelsAt(i: number): Buffer {
      const base = i * record + labelBytes;
      const px = Buffer.allocUnsafe(3 * PLANE);
      for (let p = 0; p < PLANE; p++) for (let c = 0; c < 3; c++) px[p * 3 + c] = b[base + c * PLANE + p];
      return px;
    },
  };
  return { images, labels };
}
