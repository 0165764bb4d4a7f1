/**
 * Records frames (PNG images) as a WebM video with the browser's own encoder
 * (MediaRecorder), which Chromium and so Electron have; there is no WebM
 * encoder on the Node side to depend on.
 */

export function webmSupported(): boolean {
  return typeof MediaRecorder !== 'undefined' && typeof HTMLCanvasElement.prototype.captureStream === 'function' && MediaRecorder.isTypeSupported('video/webm');
}

/** pngs: base64 frames of one size; each is shown for 1/fps s, enlarged `scale`× with hard pixel edges. */
export async function encodeWebm(pngs: string[], fps: number, scale: number, onProgress: (done: number) => void): Promise<Blob> {
  const bitmaps = await Promise.all(pngs.map((b) => createImageBitmap(new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))], { type: 'image/png' }))));
  const canvas = document.createElement('canvas');
  canvas.width = bitmaps[0].width * scale;
  canvas.height = bitmaps[0].height * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  const draw = (b: ImageBitmap) => ctx.drawImage(b, 0, 0, canvas.width, canvas.height);
  draw(bitmaps[0]);
  // Frames are pushed by hand (captureStream(0)) so each one is in the video exactly once.
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as MediaStreamTrack & { requestFrame(): void };
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  recorder.start();
  for (let i = 0; i < bitmaps.length; i++) {
    draw(bitmaps[i]);
    track.requestFrame();
    onProgress(i + 1);
    // The recorder stamps frames with wall-clock time: the pause is the frame's duration.
    await new Promise((r) => setTimeout(r, 1000 / fps));
  }
  recorder.stop();
  await stopped;
  for (const b of bitmaps) b.close();
  return new Blob(chunks, { type: 'video/webm' });
}
