import { z } from 'zod';
import { SafeName } from '../../core/names.js';
import { FITS } from '../../images/fits.js';

export { FITS };

/** Square sides: the GAN networks take up to 128 px; super-resolution trains on crops of the larger ones. */
export const IMPORT_SIZES = [28, 32, 64, 128, 256, 512] as const;
export const PAIRINGS = ['none', 'folders', 'side-by-side'] as const;

export const ImportOptionsSchema = z
  .object({
    /** Folders, .zip files and image files; a folder's (or zip's) first-level subfolders become classes. */
    paths: z.array(z.string().min(1).max(4096)).min(1, 'name at least one folder, zip or image').max(100_000),
    name: SafeName.refine((s) => !s.startsWith('builtin:'), 'may not start with "builtin:"'),
    size: z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128), z.literal(256), z.literal(512)]).default(64),
    /** auto: grayscale when every imported image is, else RGB. */
    channels: z.union([z.literal('auto'), z.literal(1), z.literal(3)]).default('auto'),
    fit: z.enum(FITS).default('crop'),
    /** fit 'tiles': images whose longer side is over this are first reduced to it ("keep original size up to N px"). */
    maxSide: z.number().int().min(28).max(16_384).default(2048),
    /**
     * Paired data for image-to-image translation: 'folders' takes A/ and B/ with
     * matching file names (the extension aside), 'side-by-side' splits each
     * image into its left (A) and right (B) halves, as pix2pix's datasets ship.
     * The dataset gets classes A and B, each A image followed by its partner.
     */
    pairs: z.enum(PAIRINGS).default('none'),
    /**
     * A CSV or JSON of captions outside the imported folders (file → caption,
     * names relative to the folder imported). captions.csv, captions.json and
     * captions.txt inside them are read without being named.
     */
    captions: z.string().min(1).max(4096).optional(),
    /** Transparency is flattened onto this colour; `pad` fills with it too. */
    background: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'is not a colour like #ffffff').default('#ffffff'),
    /** Images with more pixels are refused before decoding (decompression bombs). */
    maxPixels: z.number().int().min(1).max(1e9).default(100_000_000),
    /** Files (or zip entries, unpacked) larger than this are refused unread. */
    maxFileBytes: z.number().int().min(1).max(2 ** 31 - 1).default(256 * 2 ** 20),
  })
  .strict();

export type ImportOptionsInput = z.input<typeof ImportOptionsSchema>;
export type ImportOptions = z.output<typeof ImportOptionsSchema>;
