import * as z from 'zod';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30s`, `5m`, `1h30m`, `2d`, `0` into milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (t === '0') return 0;
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNITS[m[2]!]!;
  return Math.round(total);
}

/** A duration written as in Alertmanager (`30s`, `5m`, `4h`), read into milliseconds. */
export const DurationSchema = z.union([z.string(), z.number().int().nonnegative()]).transform((value, ctx) => {
  if (typeof value === 'number') return value * 1000;
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 30s, 5m or 4h` });
    return z.NEVER;
  }
  return ms;
});

/**
 * The name of a secret (resolved at run time from SST secrets or the environment), never its value.
 * Names are letters and digits, starting with a letter, as SST secret names are: `SlackBotToken`.
 */
export const SecretRefSchema = z.string().superRefine((value, ctx) => {
  if (/^(xox[abposr]-|whsec_|https?:\/\/|sk_|ghp_)/i.test(value) || value.length > 64) {
    ctx.addIssue({
      code: 'custom',
      message:
        'looks like a secret value; write the name of a secret (e.g. SlackBotToken) and set its value with `sst secret set` or the environment',
    });
  } else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a secret name: use letters and digits, starting with a letter (e.g. SlackBotToken)`,
    });
  }
});

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'not an IANA time zone such as Europe/Berlin or UTC' });

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** When a digest-mode receiver gets its summary. */
export const DigestScheduleSchema = z
  .object({
    every: z.enum(['day', 'week']).default('day'),
    /** Local hour of day, 0–23, in `timeZone`. */
    hour: z.number().int().min(0).max(23).default(8),
    /** For weekly digests. */
    weekday: z.enum(WEEKDAYS).default('monday'),
    timeZone: TimeZoneSchema.default('UTC'),
    /** Send a short all-quiet line when the period had no alerts, instead of nothing. */
    sendWhenEmpty: z.boolean().default(true),
  })
  .strict();
export type DigestSchedule = z.infer<typeof DigestScheduleSchema>;

/** Fields every receiver has, whatever its channel. */
export const receiverBase = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dot, dash and underscore'),
  mode: z.enum(['immediate', 'digest']).default('immediate'),
  digest: DigestScheduleSchema.optional(),
};
