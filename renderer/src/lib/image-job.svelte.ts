/**
 * One image a person gives to a model (to upscale, to translate) and the
 * model's answer: a new image replaces the last, and an answer to an older
 * request is dropped. The ticket names the request, so that its progress
 * events can be told apart.
 */
import { fileBase64 } from './latest';

export interface GivenImage {
  name: string;
  base64: string;
  /** An object URL of the file, for showing it. */
  url: string;
}

export class ImageJob<R> {
  input = $state<GivenImage | null>(null);
  result = $state<R | null>(null);
  ticket = $state<string | null>(null);

  constructor(
    private readonly prefix: string,
    private readonly request: (input: GivenImage, ticket: string) => Promise<R | null | undefined>,
  ) {}

  async take(file: File | undefined): Promise<void> {
    if (!file) return;
    const base64 = await fileBase64(file);
    if (this.input) URL.revokeObjectURL(this.input.url);
    this.input = { name: file.name, base64, url: URL.createObjectURL(file) };
    this.result = null;
    await this.run();
  }

  /** Asks again for the current image (after a setting changed). */
  async run(): Promise<void> {
    if (!this.input) return;
    const t = `${this.prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    this.ticket = t;
    const r = await this.request(this.input, t);
    if (this.ticket === t) {
      this.result = r ?? null;
      this.ticket = null;
    }
  }
}
