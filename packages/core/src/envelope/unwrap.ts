import type { EnvelopeLayer } from '../event/schema.ts';
import { canonicalUtc } from '../event/time.ts';

/** Where a message came from, gathered while its envelopes are taken off. */
export interface MessageContext {
  /** Wrappers, outermost first. */
  envelope: EnvelopeLayer[];
  topicArn: string | null;
  /** The SNS MessageId. */
  messageId: string | null;
  subject: string | null;
  /** The publish time the envelope states (SNS Timestamp, EventBridge time, SQS SentTimestamp), ISO UTC. */
  timestamp: string | null;
  sqs: SqsRecordRef | null;
  eventBridge: {
    id: string | null;
    source: string | null;
    detailType: string | null;
    region: string | null;
    account: string | null;
  } | null;
}

export interface SqsRecordRef {
  messageId: string;
  receiptHandle: string | null;
  eventSourceArn: string | null;
  receiveCount: number | null;
}

/** A message ready for a normalizer: its original text and, when it is JSON, the parsed value. */
export interface InboundMessage {
  type: 'message';
  /** The message text as published (for EventBridge, the whole event). */
  raw: string;
  /** The parsed message, or `undefined` when the text is not JSON. For EventBridge, the `detail`. */
  json: unknown;
  /** Why JSON-looking text did not parse. */
  jsonError: string | null;
  context: MessageContext;
}

/** SNS control traffic on an HTTP subscription: reported, never turned into an alert. */
export interface ControlMessage {
  type: 'control';
  control: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  topicArn: string | null;
  messageId: string | null;
  /** The URL that confirms the subscription; shown so an operator can act on it. */
  subscribeUrl: string | null;
  context: MessageContext;
}

export type Unwrapped = InboundMessage | ControlMessage;

const MAX_DEPTH = 4;

export function emptyContext(): MessageContext {
  return {
    envelope: [],
    topicArn: null,
    messageId: null,
    subject: null,
    timestamp: null,
    sqs: null,
    eventBridge: null,
  };
}

/**
 * Takes off every envelope a spend message can arrive in and returns the messages inside:
 * a Lambda SQS or SNS event (many records), an SNS envelope (as an SQS body or an HTTP POST),
 * an EventBridge event, or the bare message itself (raw delivery).
 * Never throws: text that is none of these is returned as a bare message.
 * @example unwrap(sqsEvent).length // one entry per record
 */
export function unwrap(input: string | unknown): Unwrapped[] {
  if (typeof input === 'string') return unwrapText(input, emptyContext(), 0);
  return unwrapValue(input, safeStringify(input), emptyContext(), 0);
}

/** Unwraps one record of a Lambda SQS event; handlers call this per record to report failures per record. */
export function unwrapSqsRecord(record: unknown): Unwrapped[] {
  const r = isRecord(record) ? record : {};
  const attributes = isRecord(r.attributes) ? r.attributes : {};
  const sent = str(attributes.SentTimestamp);
  const receiveCount = str(attributes.ApproximateReceiveCount);
  const context: MessageContext = {
    ...emptyContext(),
    envelope: ['sqs'],
    timestamp: sent && /^\d+$/.test(sent) ? new Date(Number(sent)).toISOString() : null,
    sqs: {
      messageId: str(r.messageId) ?? '',
      receiptHandle: str(r.receiptHandle),
      eventSourceArn: str(r.eventSourceARN),
      receiveCount: receiveCount ? Number(receiveCount) : null,
    },
  };
  const body = typeof r.body === 'string' ? r.body : safeStringify(r.body ?? '');
  return unwrapText(body, context, 1);
}

function unwrapLambdaRecord(record: unknown): Unwrapped[] {
  if (isRecord(record) && isRecord(record.Sns)) {
    return unwrapSns(record.Sns, { ...emptyContext(), envelope: ['sns'] }, 1);
  }
  if (isRecord(record) && (record.eventSource === 'aws:sqs' || 'receiptHandle' in record))
    return unwrapSqsRecord(record);
  return unwrapValue(record, safeStringify(record), emptyContext(), 1);
}

function unwrapText(text: string, context: MessageContext, depth: number): Unwrapped[] {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [bare(text, undefined, null, context)];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [bare(text, undefined, (error as Error).message, context)];
  }
  return unwrapValue(value, text, context, depth);
}

function unwrapValue(value: unknown, raw: string, context: MessageContext, depth: number): Unwrapped[] {
  // A Lambda event is only ever the outermost layer.
  if (depth === 0 && isRecord(value) && Array.isArray(value.Records))
    return value.Records.flatMap((r) => unwrapLambdaRecord(r));
  if (depth < MAX_DEPTH && isSnsEnvelope(value))
    return unwrapSns(value, { ...context, envelope: [...context.envelope, 'sns'] }, depth + 1);
  if (depth < MAX_DEPTH && isEventBridgeEvent(value)) {
    return [
      bare(raw, value.detail, null, {
        ...context,
        envelope: [...context.envelope, 'eventbridge'],
        timestamp: context.timestamp ?? isoOrNull(value.time),
        eventBridge: {
          id: str(value.id),
          source: str(value.source),
          detailType: str(value['detail-type']),
          region: str(value.region),
          account: str(value.account),
        },
      }),
    ];
  }
  return [bare(raw, value, null, context)];
}

function unwrapSns(sns: Record<string, unknown>, outer: MessageContext, depth: number): Unwrapped[] {
  const context: MessageContext = {
    ...outer,
    topicArn: str(sns.TopicArn),
    messageId: str(sns.MessageId),
    subject: str(sns.Subject),
    timestamp: isoOrNull(sns.Timestamp) ?? outer.timestamp,
  };
  const type = str(sns.Type);
  if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation') {
    return [
      {
        type: 'control',
        control: type,
        topicArn: context.topicArn,
        messageId: context.messageId,
        subscribeUrl: str(sns.SubscribeURL) ?? str(sns.SubscribeUrl),
        context,
      },
    ];
  }
  const message = typeof sns.Message === 'string' ? sns.Message : safeStringify(sns.Message ?? '');
  return unwrapText(message, context, depth);
}

function bare(raw: string, json: unknown, jsonError: string | null, context: MessageContext): InboundMessage {
  return { type: 'message', raw, json, jsonError, context };
}

function isSnsEnvelope(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    typeof value.Type === 'string' &&
    ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'].includes(value.Type) &&
    typeof value.TopicArn === 'string' &&
    'Message' in value
  );
}

function isEventBridgeEvent(value: unknown): value is Record<string, unknown> & { detail: unknown } {
  return (
    isRecord(value) && typeof value['detail-type'] === 'string' && typeof value.source === 'string' && 'detail' in value
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const canonical = canonicalUtc(value);
  if (canonical !== undefined) return canonical;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function safeStringify(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
