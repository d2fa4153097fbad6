import type { InboundMessage } from '../envelope/unwrap.ts';
import { eventId } from '../event/id.ts';
import type { UnrecognizedEvent } from '../event/schema.ts';
import { baseFields, type NormalizeOptions } from './common.ts';

type Resembles = UnrecognizedEvent['unrecognized']['resembles'];

const HINTS: Array<[Exclude<Resembles, null>, RegExp]> = [
  ['alarm', /"(?:AlarmName|NewStateValue|AlarmArn)"/],
  ['anomaly', /"(?:anomalyId|anomalyDetailsLink|rootCauses)"/],
  ['budget-adjustment', /"(?:previousBudgetLimit|currentBudgetLimit)"/],
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
  const format = text.trim() === '' ? 'empty' : message.json !== undefined || message.jsonError ? 'json' : 'text';
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const label = message.context.subject ?? (format === 'empty' ? '(empty message)' : firstLine);
  return {
    ...baseFields(
      message,
      {
        id: eventId('unrecognized', [text]),
        service: 'unknown',
        accountId: null,
        occurredAt: null,
        severity: 'warning',
        title: `Unrecognized message: ${label}`,
        summary: diagnostics.length ? `spend-alerts could not read this message: ${diagnostics.join('; ')}.` : 'spend-alerts does not know this message format; its text follows.',
        consoleUrl: null,
        diagnostics,
      },
      options,
    ),
    kind: 'unrecognized',
    unrecognized: { format, resembles },
  };
}
