import * as z from 'zod';
import { matches, parseMatcher } from '../routing/matchers.ts';
import type { Labels } from '../routing/matchers.ts';

/** A silence: events whose labels match every matcher are not sent between `startsAt` and `endsAt`. */
export const SilenceSchema = z
  .object({
    id: z.string(),
    matchers: z.array(z.string()).min(1),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    createdBy: z.string().min(1),
    comment: z.string().min(1),
  })
  .strict();
export type Silence = z.infer<typeof SilenceSchema>;

export function isSilenceActive(silence: Silence, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(silence.startsAt) <= t && t < Date.parse(silence.endsAt);
}

/** The first active silence that covers these labels, or undefined. */
export function silencing(silences: readonly Silence[], labels: Labels, now: Date): Silence | undefined {
  return silences.find((s) => isSilenceActive(s, now) && s.matchers.every((m) => matches(parseMatcher(m), labels)));
}

/**
 * Builds a silence, checking its matchers and times.
 * @throws Error saying which field is wrong.
 */
export function newSilence(
  input: { matchers: string[]; startsAt: Date; endsAt: Date; createdBy: string; comment: string },
  id: string,
): Silence {
  if (input.matchers.length === 0) throw new Error('a silence needs at least one matcher, such as budgetName = dev');
  for (const m of input.matchers) parseMatcher(m);
  if (!(input.endsAt > input.startsAt)) throw new Error('the silence must end after it starts');
  return SilenceSchema.parse({
    id,
    matchers: input.matchers,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    createdBy: input.createdBy,
    comment: input.comment,
  });
}
