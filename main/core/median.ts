/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  const n = s.length;
  return n === 0 ? 0 : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
