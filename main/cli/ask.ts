import { createInterface } from 'node:readline/promises';
import { StudioError } from '../errors.js';

/** Asks before something that cannot be undone; without a terminal it needs --yes. */
export async function confirmOrRefuse(yes: boolean | undefined, question: string, whatItDoes: string): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new StudioError(`${whatItDoes}; add --yes to confirm`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  if (/^y(es)?$/i.test(answer.trim())) return true;
  console.error('kept');
  return false;
}

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
