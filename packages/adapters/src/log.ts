import pino, { type Logger } from 'pino';
import { isAwsConsoleHost } from '@spend-alerts/core';

/** Keys pino redacts as well, in the case they are usually written (`scrubValue` catches every case). */
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

/**
 * Secret-looking text: Slack tokens of every kind (bot, user, app-level `xapp-`, configuration and
 * refresh `xoxe-`, rotated `xoxe.xoxp-`), Standard Webhooks secrets, credentials after an auth
 * scheme, and URLs (a webhook URL may carry a token).
 */
const SLACK_TOKEN = /\b(?:xox[a-z]?(?:\.xox[a-z]?)?|xapp)-[A-Za-z0-9-]+|\bxoxe\.[A-Za-z0-9.-]+/gi;
const SIGNING_SECRET = /whsec_[A-Za-z0-9+/=]+/g;
const AUTH_CREDENTIAL = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_TEXT = /https?:\/\/[^\s"'<>)]+/gi;

/**
 * Removes secrets from free text (error messages from SDKs and HTTP clients quote URLs and
 * sometimes tokens). AWS console links are kept: they are not secrets and help the reader.
 */
export function scrub(text: string): string {
  return text
    .replace(SLACK_TOKEN, '[secret]')
    .replace(SIGNING_SECRET, '[secret]')
    .replace(AUTH_CREDENTIAL, '$1 [secret]')
    .replace(URL_TEXT, (match) => (isConsoleLink(match) ? match : '[url]'));
}

function isConsoleLink(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && !url.username && !url.password && isAwsConsoleHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Keys whose values are secrets wherever they appear, in any case (`Authorization`,
 * `headers.AUTHORIZATION`, `webhook.url`): the value is replaced, whatever it is.
 */
const SECRET_KEY =
  /^(token|secret|signingsecret|url|urls|webhookurl|authorization|proxy-authorization|cookie|set-cookie|x-api-key|password)$/i;

/** How deep a logged value is walked; below that, strings are still scrubbed by `scrub` on output. */
const MAX_DEPTH = 8;

/**
 * A copy of a logged value with every string scrubbed and every secret-named key redacted, at
 * any depth: what a log line or a dead-letter attribute may carry.
 */
export function scrubValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error)
    return { name: value.name, message: scrub(value.message), code: (value as { code?: string }).code };
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined ? '[redacted]' : scrubValue(v, depth + 1, seen);
  }
  return out;
}

/** The pipeline's logger: one JSON line per record outcome, secrets redacted by key and scrubbed from messages. */
export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream; base?: Record<string, unknown> } = {},
): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: options.base ?? { service: 'spend-alerts' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (a instanceof Error ? { err: scrubValue(a) } : scrubValue(a)));
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
  return scrubChildren(logger);
}

/** Child loggers' fields (event ids, receivers) reach every line too: scrubbed when bound. */
function scrubChildren(logger: Logger): Logger {
  const child = logger.child.bind(logger) as unknown as (
    bindings: pino.Bindings,
    opts?: pino.ChildLoggerOptions,
  ) => Logger;
  const scrubbed = (bindings: pino.Bindings, opts?: pino.ChildLoggerOptions) =>
    scrubChildren(child(scrubValue(bindings) as pino.Bindings, opts));
  logger.child = scrubbed as unknown as Logger['child'];
  return logger;
}

export type { Logger };
