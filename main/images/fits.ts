/**
 * How an image becomes a square (pure, so the renderer's import form shares it).
 * tiles: the original pixels kept, each image cut into whole size×size tiles (for super-resolution and other image-to-image training).
 */
export const FITS = ['crop', 'pad', 'stretch', 'tiles'] as const;
