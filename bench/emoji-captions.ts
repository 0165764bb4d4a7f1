/**
 * node dist/bench/emoji-captions.js --from PATH/emoji-datasource-google --out DIR [--no-skin-tones]
 *
 * A recipe, not shipped data: builds an importable captioned folder from the
 * npm package emoji-datasource-google (Apache-2.0 images; `npm pack
 * emoji-datasource-google` and unpack it, nothing else needed). Each emoji's
 * 64 px PNG goes into a folder named for its category (the class a
 * class-conditional run and the judge learn), and captions.csv gives its
 * name and short names as captions ("grinning face with smiling eyes",
 * "smile"); a skin-tone variant adds its tone ("waving hand, dark skin
 * tone"). Import it with `gan-studio import DIR --name emoji --size 32`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface Emoji {
  name: string | null;
  short_names: string[];
  image: string;
  category: string;
  has_img_google: boolean;
  skin_variations?: Record<string, { image: string; has_img_google: boolean }>;
}

const TONES: Record<string, string> = { '1F3FB': 'light', '1F3FC': 'medium light', '1F3FD': 'medium', '1F3FE': 'medium dark', '1F3FF': 'dark' };
/** Skin-tone swatches alone, five images of a colour: no picture to learn. */
const SKIP_CATEGORIES = new Set(['Component']);

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function emojiCaptions(emoji: Emoji): string[] {
  const name = (emoji.name ?? emoji.short_names[0]).toLowerCase().replace(/\s+/g, ' ').trim();
  const out = [name];
  for (const s of emoji.short_names) {
    const words = s.replace(/[_-]+/g, ' ').replace(/^flag ([a-z]{2})$/, 'flag').trim();
    if (words && !out.includes(words)) out.push(words);
  }
  return out;
}

function main(): void {
  const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' }, 'no-skin-tones': { type: 'boolean' } } });
  if (!values.from || !values.out) throw new Error('usage: --from PATH/emoji-datasource-google --out DIR');
  const list = JSON.parse(readFileSync(join(values.from, 'emoji.json'), 'utf8')) as Emoji[];
  const images = join(values.from, 'img', 'google', '64');
  const rows = ['file,caption'];
  let count = 0;
  const add = (category: string, image: string, captions: string[]) => {
    const src = join(images, image);
    if (!existsSync(src)) return;
    mkdirSync(join(values.out!, category), { recursive: true });
    copyFileSync(src, join(values.out!, category, image));
    for (const c of captions) rows.push(`${csvField(`${category}/${image}`)},${csvField(c)}`);
    count++;
  };
  for (const e of list) {
    if (SKIP_CATEGORIES.has(e.category) || !e.has_img_google) continue;
    const captions = emojiCaptions(e);
    add(e.category, e.image, captions);
    if (values['no-skin-tones']) continue;
    for (const [tone, v] of Object.entries(e.skin_variations ?? {})) {
      if (!v.has_img_google || !TONES[tone]) continue;
      add(e.category, v.image, captions.map((c) => `${c}, ${TONES[tone]} skin tone`));
    }
  }
  writeFileSync(join(values.out, 'captions.csv'), rows.join('\n') + '\n');
  console.log(`${count} images, ${rows.length - 1} captions in ${values.out}`);
}

if (process.argv[1]?.endsWith('emoji-captions.js')) main();
