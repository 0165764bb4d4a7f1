/**
 * Words of captions and prompts: one tokenizer and a vocabulary built from a
 * dataset's own captions at import — nothing downloaded. Pure, so the
 * trainers use it in any engine host and the renderer could too.
 */

export interface Vocabulary {
  /** Known words, most frequent first; word i has token id i + FIRST_WORD. */
  words: string[];
  /** How many captions' tokens each word was, in the same order. */
  counts: number[];
}

/** Token 0 pads a caption to its fixed length; 1 stands for a word the vocabulary lacks. */
export const PAD = 0;
export const UNKNOWN = 1;
export const FIRST_WORD = 2;
/** Words a caption keeps: longer ones are cut (emoji names and titles rarely reach it). */
export const MAX_TOKENS = 24;
/** A vocabulary keeps this many words at most, the most frequent. */
export const MAX_WORDS = 20_000;

/** Lower-case words and numbers, compatibility-normalised (ﬁ → fi, full-width digits → digits); punctuation separates. */
export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function buildVocabulary(captions: Iterable<string>, maxWords = MAX_WORDS): Vocabulary {
  const counts = new Map<string, number>();
  for (const c of captions) for (const w of tokenize(c)) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Most frequent first, ties by code point, so the same captions always give the same ids.
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, maxWords);
  return { words: sorted.map(([w]) => w), counts: sorted.map(([, n]) => n) };
}

export interface Encoded {
  /** maxLen token ids, PAD after the caption's last word. */
  ids: Int32Array;
  /** Words of the text the vocabulary lacks, in order (each encoded as UNKNOWN). */
  unknown: string[];
  /** Words cut because the text is longer than maxLen. */
  dropped: number;
}

export class Tokenizer {
  private readonly ids: Map<string, number>;
  constructor(readonly vocab: Vocabulary, readonly maxLen: number) {
    this.ids = new Map(vocab.words.map((w, i) => [w, i + FIRST_WORD]));
  }

  get size(): number {
    return this.vocab.words.length + FIRST_WORD;
  }

  has(word: string): boolean {
    return this.ids.has(word);
  }

  encode(text: string): Encoded {
    const words = tokenize(text);
    const ids = new Int32Array(this.maxLen);
    const unknown: string[] = [];
    words.slice(0, this.maxLen).forEach((w, i) => {
      const id = this.ids.get(w);
      if (id === undefined) unknown.push(w);
      ids[i] = id ?? UNKNOWN;
    });
    return { ids, unknown, dropped: Math.max(0, words.length - this.maxLen) };
  }

  /** Many texts as one [n, maxLen] id array. */
  encodeAll(texts: readonly string[]): Int32Array {
    const out = new Int32Array(texts.length * this.maxLen);
    texts.forEach((t, i) => out.set(this.encode(t).ids, i * this.maxLen));
    return out;
  }
}

/** The token length a dataset's captions need: their longest, within MAX_TOKENS. */
export function captionLength(texts: readonly string[]): number {
  let n = 1;
  for (const t of texts) n = Math.max(n, tokenize(t).length);
  return Math.min(MAX_TOKENS, n);
}

/** Words to one prompt's word being typed: vocabulary words that start with it, most frequent first. */
export function suggest(vocab: Vocabulary, prefix: string, limit = 8): string[] {
  const p = tokenize(prefix).at(-1) ?? '';
  if (!p) return [];
  const out: string[] = [];
  for (const w of vocab.words) {
    if (w.startsWith(p) && w !== p) out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}
