/** Animated GIFs of generated frames (an interpolation walk), encoded by gifenc. */
import gifenc from 'gifenc';
import { toBytes, type ImageBatch } from '../images/png.js';

const { GIFEncoder, applyPalette, quantize } = gifenc;

/**
 * Every image of the batch becomes a frame, enlarged `scale`× with hard
 * pixel edges (a 28 px frame is too small to look at). One palette for the
 * whole walk, so colours do not flicker from frame to frame.
 */
export function encodeGif(batch: ImageBatch, opts: { fps: number; scale: number; loop?: boolean }): Buffer {
  const { size, channels, count } = batch;
  const side = size * opts.scale;
  const frames: Uint8Array[] = [];
  for (let f = 0; f < count; f++) {
    const px = toBytes(batch, f);
    const rgba = new Uint8Array(side * side * 4);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const s = (Math.floor(y / opts.scale) * size + Math.floor(x / opts.scale)) * channels;
        const d = (y * side + x) * 4;
        rgba[d] = px[s];
        rgba[d + 1] = channels === 3 ? px[s + 1] : px[s];
        rgba[d + 2] = channels === 3 ? px[s + 2] : px[s];
        rgba[d + 3] = 255;
      }
    }
    frames.push(rgba);
  }
  // Sample every frame for the shared palette (strided so long walks stay cheap).
  const stride = Math.max(1, Math.floor(count / 16));
  const sampled = frames.filter((_, i) => i % stride === 0);
  const joined = new Uint8Array(sampled.reduce((n, f) => n + f.length, 0));
  let o = 0;
  for (const f of sampled) {
    joined.set(f, o);
    o += f.length;
  }
  const palette = quantize(joined, 256);
  const gif = GIFEncoder();
  const delay = Math.round(1000 / opts.fps);
  frames.forEach((rgba, i) => gif.writeFrame(applyPalette(rgba, palette), side, side, { palette: i === 0 ? palette : undefined, delay, repeat: opts.loop === false ? -1 : 0 }));
  gif.finish();
  return Buffer.from(gif.bytes());
}
