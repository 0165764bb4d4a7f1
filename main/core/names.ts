import { z } from 'zod';

/** Names people type: no path separators, no "..", nothing invisible. */
export const SafeName = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(100, 'is longer than 100 characters')
  .regex(/^[^/\\\u0000-\u001f]+$/, 'may not contain / or \\ or control characters')
  .refine((s) => !s.includes('..'), 'may not contain ".."');

/** A run's id as the store makes them. */
export const RunId = z.string().regex(/^\d{8}-\d{6}-[0-9a-f]{4}$/, 'is not a run id');
