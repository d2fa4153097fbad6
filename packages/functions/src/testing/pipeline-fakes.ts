import { Writable } from 'node:stream';
import { DeliveryError, memoryLedgerStores, type FailureClass, type Notifier } from '@spend-alerts/adapters';
import { createLogger } from '@spend-alerts/adapters/log';
import { validateConfig, type Notification } from '@spend-alerts/core';
import type { SQSRecord } from 'aws-lambda';
import { CONTROL_ATTRIBUTE, flushMessage } from '../pipeline/control.ts';
import type { ChannelDeps, QueueActions } from '../pipeline/deps.ts';

export const T0 = Date.parse('2026-06-15T10:00:00Z');

/** A budget notification as AWS Budgets writes it, for the budget `name`. */
export function budgetText(name: string, spend = 90): string {
  return `AWS Budget Notification June 15, 2026\nAWS Account 111111111111\n\nBudget Name: ${name}\nBudget Type: Cost\nBudgeted Amount: $100.00\nAlert Type: ACTUAL\nAlert Threshold: > $80.00\nACTUAL Amount: $${spend.toFixed(2)}\n`;
}

let seq = 0;
/** An SQS record as Lambda hands it over, its body the bare message (raw delivery). */
export function sqsRecord(body: string, receiveCount = 1, messageId = `m-${++seq}`): SQSRecord {
  return {
    messageId,
    receiptHandle: `r-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:spend-slack',
    awsRegion: 'us-east-1',
  };
}

/** The scheduled flush of a group, as the consumer puts it on its own queue. */
export function flushRecord(groupId: string): SQSRecord {
  const record = sqsRecord(JSON.stringify(flushMessage(groupId)));
  record.messageAttributes = { [CONTROL_ATTRIBUTE]: { stringValue: 'flush', dataType: 'String' } };
  return record;
}

/** What a fake notifier was asked to send: one entry per request, with the budget names in it. */
export interface SentMessage {
  receiver: string;
  budgets: string[];
}

/**
 * A Slack-channel notifier that records each request, and fails those `failWith` picks (by the
 * budget names in it) with the failure class it returns.
 */
export class FakeNotifier implements Notifier {
  readonly channel = 'slack' as const;
  readonly perEvent = false;
  readonly sent: SentMessage[] = [];
  readonly attempts: SentMessage[] = [];
  failWith: (message: SentMessage) => FailureClass | null = () => null;

  async deliver(notification: Notification) {
    const message = {
      receiver: notification.receiver.name,
      budgets: notification.events.map(({ event }) => (event.kind === 'budget' ? event.budget.name : event.kind)),
    };
    this.attempts.push(message);
    const failure = this.failWith(message);
    if (failure) throw new DeliveryError(`fake ${failure}`, failure);
    this.sent.push(message);
    return { ref: `ts-${this.sent.length}` };
  }
}

/** Queue actions that record what the consumer asked of its queue; `deadLetterFails` makes parking fail. */
export class FakeQueue implements QueueActions {
  readonly dead: Array<{ messageId: string; reason: string; failure?: string }> = [];
  readonly backoffs: Array<{ messageId: string; delayMs: number }> = [];
  readonly flushes: Array<{ groupId: string; delayMs: number }> = [];
  deadLetterFails = false;

  async deadLetter(record: SQSRecord, failure: { reason: string; failure?: string }) {
    if (this.deadLetterFails) throw new Error('SQS SendMessage failed');
    this.dead.push({ messageId: record.messageId, reason: failure.reason, failure: failure.failure });
  }
  async backoff(record: SQSRecord, delayMs: number) {
    this.backoffs.push({ messageId: record.messageId, delayMs });
  }
  async scheduleFlush(groupId: string, delayMs: number) {
    this.flushes.push({ groupId, delayMs });
  }
}

/**
 * A Slack consumer's dependencies on the in-memory stores: two Slack receivers (`ops` gets
 * everything, `finance` too with `continue`), the route's settings from `route`, a settable clock.
 */
export function fakeConsumer(route: Record<string, unknown> = {}) {
  let now = T0;
  const config = validateConfig({
    slack: { tokenSecret: 'SlackBotToken' },
    enrichment: { enabled: false },
    receivers: [
      { name: 'ops', type: 'slack', channel: '#ops' },
      { name: 'finance', type: 'slack', channel: '#finance' },
    ],
    route: {
      receiver: 'ops',
      groupWait: '0s',
      repeatInterval: '4h',
      ...route,
      routes: [
        { receiver: 'ops', continue: true },
        { receiver: 'finance', continue: true },
      ],
    },
  });
  const stores = memoryLedgerStores(() => now);
  const notifier = new FakeNotifier();
  const queue = new FakeQueue();
  const deps: ChannelDeps = {
    channel: 'slack',
    config,
    stores,
    notifier,
    enricher: null,
    queue,
    clock: { now: () => new Date(now), realDelayMs: (ms) => ms },
    logger: createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) }),
  };
  return {
    deps,
    stores,
    notifier,
    queue,
    setNow: (ms: number) => {
      now = ms;
    },
  };
}
