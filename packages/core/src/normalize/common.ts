import type { InboundMessage } from '../envelope/unwrap.ts';
import { SCHEMA_VERSION, type Severity } from '../event/kinds.ts';
import type { EventSource } from '../event/schema.ts';
import { canonicalUtc } from '../event/time.ts';
import { formatDecimal } from '../format/decimal.ts';

export interface NormalizeOptions {
  /** The clock, used only when neither the message nor its envelope says when it happened. */
  now?: () => Date;
}

export interface BaseFieldsInput {
  id: string;
  service: EventSource['service'];
  accountId: string | null;
  occurredAt: string | null;
  severity: Severity;
  status?: 'firing' | 'resolved';
  title: string;
  summary: string;
  consoleUrl: string | null;
  diagnostics?: string[];
}

/** The fields every kind shares, filled from the message and its envelope. */
export function baseFields(message: InboundMessage, input: BaseFieldsInput, options: NormalizeOptions) {
  const { context } = message;
  return {
    id: input.id,
    correlationId: context.messageId ?? input.id,
    schemaVersion: SCHEMA_VERSION,
    accountId: input.accountId && /^[0-9]{12}$/.test(input.accountId) ? input.accountId : null,
    occurredAt: input.occurredAt ?? context.timestamp ?? (options.now ?? (() => new Date()))().toISOString(),
    severity: input.severity,
    status: input.status ?? 'firing',
    title: oneLine(input.title),
    summary: input.summary,
    consoleUrl: input.consoleUrl,
    source: {
      service: input.service,
      envelope: context.envelope,
      topicArn: context.topicArn,
      messageId: context.messageId,
      subject: context.subject,
    },
    raw: message.raw,
    diagnostics: input.diagnostics ?? [],
  };
}

/** Collapses whitespace and cuts a title to a length chat clients show on one line. */
export function oneLine(text: string, max = 150): string {
  // Most titles have only single spaces: then there is nothing to collapse, only to trim.
  const flat = (SPACE_TO_COLLAPSE.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '(untitled)';
}

/** Whitespace other than a lone space: what `\s+` → ' ' would change. */
const SPACE_TO_COLLAPSE = /[^\S ]| {2}/;

/** Formats money the way the alerts print it: `$1,234.56`, or `1,234.56 EUR` for other currencies. */
export function formatMoney(value: { amount: number; currency: string } | null | undefined): string {
  if (!value) return 'n/a';
  const digits = formatDecimal(Math.abs(value.amount), 2, 2);
  const sign = value.amount < 0 ? '-' : '';
  return value.currency === 'USD' ? `${sign}$${digits}` : `${sign}${digits} ${value.currency}`;
}

/** Converts a timestamp AWS prints (`+0000` offsets included) to ISO UTC; null when unreadable. */
export function toIsoUtc(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const canonical = canonicalUtc(trimmed);
  if (canonical !== undefined) return canonical;
  const fixed = trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.includes(',') ? value.replace(/,/g, '') : value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
