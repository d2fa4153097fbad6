import type { InboundMessage } from '../envelope/unwrap.ts';
import { eventId } from '../event/id.ts';
import type { UnrecognizedEvent } from '../event/schema.ts';
import { isRecord } from '../envelope/unwrap.ts';
import { baseFields, toIsoUtc, type NormalizeOptions } from './common.ts';

const TIME_KEYS = ['timestamp', 'Timestamp', 'time', 'StateChangeTime', 'eventTime', 'date'];

/** A time the message itself states under a common key, so that `occurredAt` is not the clock's. */
function statedTime(json: unknown): string | null {
  if (!isRecord(json)) return null;
  for (const key of TIME_KEYS) {
    const iso = toIsoUtc(json[key]);
    if (iso) return iso;
  }
  return null;
}

type Resembles = UnrecognizedEvent['unrecognized']['resembles'];

const HINTS: Array<[Exclude<Resembles, null>, RegExp]> = [
  ['alarm', /"(?:AlarmName|NewStateValue|AlarmArn)"/i],
  ['anomaly', /"(?:anomalyId|anomalyDetailsLink|rootCauses)"/i],
  ['budget-adjustment', /"(?:previousBudgetLimit|currentBudgetLimit)"/i],
  ['budget', /AWS Budget Notification|Budget Name\s*:/i],
];

/** Which known format a text resembles, when it is not one: a truncated alarm, say. */
export function resemblance(raw: string): Resembles {
  return HINTS.find(([, re]) => re.test(raw))?.[0] ?? null;
}

/**
 * Keeps a message no normalizer could read, so that it is still delivered, as such, with its text.
 * The id hashes the text, so the same message in any envelope is still one event.
 */
export function normalizeUnrecognized(
  message: InboundMessage,
  options: NormalizeOptions,
  diagnostics: string[],
  resembles: Resembles = resemblance(message.raw),
): UnrecognizedEvent {
  const text = message.raw;
  const format: UnrecognizedEvent['unrecognized']['format'] =
    text.trim() === '' ? 'empty' : message.json !== undefined || message.jsonError ? 'json' : 'text';
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const keys = isRecord(message.json) ? Object.keys(message.json) : [];
  const label =
    message.context.subject ??
    (format === 'empty'
      ? '(empty message)'
      : keys.length
        ? `JSON with ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`
        : firstLine);
  if (diagnostics.length === 0) {
    diagnostics = [
      format === 'empty'
        ? 'the message is empty'
        : keys.length
          ? `no normalizer reads JSON with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`
          : 'not a Budgets, CloudWatch alarm or Cost Anomaly Detection message',
    ];
  }
  return Object.assign(
    baseFields(
      message,
      {
        id: eventId('unrecognized', [text]),
        service: 'unknown',
        accountId: message.context.eventBridge?.account ?? null,
        occurredAt: statedTime(message.json),
        severity: 'warning',
        title: `Unrecognized message: ${label}`,
        summary: `spend-alerts could not read this message: ${diagnostics.join('; ')}.`,
        consoleUrl: null,
        diagnostics,
      },
      options,
    ),
    { kind: 'unrecognized' as const, unrecognized: { format, resembles } },
  );
}
