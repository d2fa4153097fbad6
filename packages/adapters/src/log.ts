import pino, { type Logger } from 'pino';

/** Keys whose values are secrets wherever they appear in a log line. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'url',
  '*.url',
  'webhookUrl',
  '*.webhookUrl',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/** Secret-looking text: Slack tokens, Standard Webhooks secrets, URLs (a webhook URL may carry a token). */
const SECRET_TEXT = [/xox[abposr]-[A-Za-z0-9-]+/g, /whsec_[A-Za-z0-9+/=]+/g, /https?:\/\/[^\s"'<>)]+/g];

/**
 * Removes secrets from free text (error messages from SDKs and HTTP clients quote URLs and
 * sometimes tokens). Console links are kept: they are not secrets and help the reader.
 */
export function scrub(text: string): string {
  let out = text;
  for (const re of SECRET_TEXT) {
    out = out.replace(re, (match) =>
      /^https:\/\/[a-z0-9.-]*console\.aws\.amazon\.com\//.test(match)
        ? match
        : re === SECRET_TEXT[2]
          ? '[url]'
          : '[secret]',
    );
  }
  return out;
}

/** The pipeline's logger: one JSON line per record outcome, secrets redacted by key and scrubbed from messages. */
export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream; base?: Record<string, unknown> } = {},
): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: options.base ?? { service: 'spend-alerts' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) =>
            typeof a === 'string'
              ? scrub(a)
              : a instanceof Error
                ? { err: { name: a.name, message: scrub(a.message) } }
                : a,
          );
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (e: Error) => ({
          name: e?.name,
          message: scrub(String(e?.message ?? e)),
          code: (e as { code?: string })?.code,
        }),
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
