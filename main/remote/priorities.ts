/**
 * A remote run's priority, as people choose it and as BullMQ keeps it (1 is
 * taken first, ties in the order queued). Every job gets one — a job without
 * would jump ahead of them all — and reordering hands the waiting jobs' own
 * numbers round again in the new order. No Node imports: New run shows them.
 */
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_VALUE: Record<Priority, number> = { high: 1, normal: 1024, low: 1 << 20 };

/** The name of a priority BullMQ holds (reordering may have moved it between the three). */
export function priorityName(value: number): Priority {
  return value <= PRIORITY_VALUE.high ? 'high' : value <= PRIORITY_VALUE.normal ? 'normal' : 'low';
}
