/**
 * Runs an async job for the newest input only: while one is in flight, later
 * inputs replace each other and only the last is run next. Dragging a slider
 * asks for dozens of images; the person only wants the one under the cursor.
 */
export function latestOnly<I, O>(job: (input: I) => Promise<O>, onResult: (output: O, input: I) => void) {
  let busy = false;
  let queued: { input: I } | null = null;
  const run = async (input: I) => {
    busy = true;
    try {
      onResult(await job(input), input);
    } finally {
      busy = false;
      if (queued) {
        const next = queued.input;
        queued = null;
        void run(next);
      }
    }
  };
  return (input: I) => {
    if (busy) queued = { input };
    else void run(input);
  };
}

/** Saves bytes as a file through the browser's download, in Electron and in browser mode alike. */
export function download(base64: string, mime: string, filename: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: mime }), filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file's bytes as base64, for commands that take an image. */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
