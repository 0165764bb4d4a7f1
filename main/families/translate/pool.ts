/**
 * CycleGAN's image pool (Shrivastava et al. 2017): the discriminator sees a
 * mix of this step's generated images and ones from earlier steps, which
 * damps the oscillation of training against only the newest generator.
 * Until the pool is full each new image goes in and is returned; after, each
 * is, with probability ½, swapped for a random stored one (which is returned
 * in its place). Held on the CPU and saved with checkpoints: resuming
 * continues with the same pool and the same draws.
 */
import type { Rng } from '../../engine/rng.js';

export class ImagePool {
  private readonly images: Float32Array[] = [];

  constructor(
    readonly capacity: number,
    /** Values per image. */
    readonly per: number,
  ) {}

  get size(): number {
    return this.images.length;
  }

  /** n images end to end → n images for D, as the reference's ImagePool.query. */
  query(batch: Float32Array, n: number, rng: Rng): Float32Array {
    if (this.capacity === 0) return batch;
    const out = new Float32Array(n * this.per);
    for (let i = 0; i < n; i++) {
      const img = batch.slice(i * this.per, (i + 1) * this.per);
      if (this.images.length < this.capacity) {
        this.images.push(img);
        out.set(img, i * this.per);
      } else if (rng.uniform() > 0.5) {
        const j = rng.int(this.capacity);
        out.set(this.images[j], i * this.per);
        this.images[j] = img;
      } else {
        out.set(img, i * this.per);
      }
    }
    return out;
  }

  /** Every stored image end to end, for a checkpoint. */
  save(): Float32Array {
    const out = new Float32Array(this.images.length * this.per);
    this.images.forEach((img, i) => out.set(img, i * this.per));
    return out;
  }

  load(data: Float32Array): void {
    if (data.length % this.per !== 0 || data.length / this.per > this.capacity) throw new Error('the image pool in this checkpoint does not fit the run');
    this.images.length = 0;
    for (let i = 0; i < data.length / this.per; i++) this.images.push(data.slice(i * this.per, (i + 1) * this.per));
  }
}
