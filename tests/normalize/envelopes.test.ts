import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readInput, SpendEventSchema } from '@spend-alerts/core';
import { FIXTURES, messageFixtures, readFixture, SOURCE_FOLDERS } from '../fixtures/load.ts';

const envelopeCases = readdirSync(`${FIXTURES}/envelopes`)
  .filter((f) => f.endsWith('.expected.json'))
  .sort()
  .map((f) => ({ name: f.replace('.expected.json', '.json'), expected: JSON.parse(readFixture(`envelopes/${f}`)) }));

const idOf = (name: string) => readInput(readFixture(name)).events[0]!.id;

describe('envelope fixtures', () => {
  it.each(envelopeCases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const { events, controls } = readInput(readFixture(`envelopes/${name}`));
    expect(events.length).toBe(c.expected.records);
    if (c.expected.control) {
      expect(controls.map((x) => x.control)).toEqual([c.expected.control]);
      return;
    }
    for (const e of events) SpendEventSchema.parse(e);
    expect(events.map((e) => e.kind)).toEqual(c.expected.kinds);
    expect(events.map((e) => e.source.messageId)).toEqual(c.expected.messageIds);
    expect(events.map((e) => e.correlationId)).toEqual(events.map((e, i) => c.expected.messageIds[i] ?? e.id));
    if (c.expected.topicArn) expect(events.every((e) => e.source.topicArn === c.expected.topicArn)).toBe(true);
    if (c.expected.sameNotificationAs) expect(events[0]!.id).toBe(idOf(c.expected.sameNotificationAs));
    if (c.expected.sameNotificationAsPerRecord) {
      expect(events.map((e) => e.id)).toEqual(
        c.expected.sameNotificationAsPerRecord.map((n: string | null, i: number) => (n ? idOf(n) : events[i]!.id)),
      );
    }
  });
});

/** Every way one message can reach a consumer. */
const wrappers: Record<string, (message: string) => unknown> = {
  'SNS envelope as SQS body': (m) => ({
    Records: [{ messageId: 'q1', receiptHandle: 'h', eventSource: 'aws:sqs', body: JSON.stringify(sns(m)) }],
  }),
  'raw delivery SQS record': (m) => ({
    Records: [{ messageId: 'q2', receiptHandle: 'h', eventSource: 'aws:sqs', body: m }],
  }),
  'Lambda SNS event': (m) => ({
    Records: [{ EventSource: 'aws:sns', Sns: { ...sns(m), SigningCertUrl: 'x', UnsubscribeUrl: 'y' } }],
  }),
  'SNS HTTP POST body': (m) => JSON.stringify(sns(m)),
  'bare text': (m) => m,
};

function sns(message: string) {
  return {
    Type: 'Notification',
    MessageId: `sns-${message.length}`,
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:spend',
    Subject: null,
    Message: message,
    Timestamp: '2024-05-02T03:04:05.000Z',
  };
}

describe('the same notification has the same id in every envelope', () => {
  const fixtures = messageFixtures(...SOURCE_FOLDERS);
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const ids = Object.entries(wrappers).map(([how, wrap]) => {
      const { events } = readInput(wrap(f.text));
      expect(events, how).toHaveLength(1);
      return events[0]!.id;
    });
    expect(new Set(ids).size).toBe(1);
  });

  it('different notifications never share an id', () => {
    const ids = fixtures.map((f) => readInput(f.text).events[0]!.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the same anomaly through EventBridge and through SNS is one alert', () => {
    const sns = fixtures.find((f) => f.name === 'anomaly/sns-current-docs-sample.json')!;
    const message = JSON.parse(sns.text);
    const { dimensionalValue, subscriptionId, subscriptionName, ...rest } = message;
    const detail = { ...rest, dimensionValue: dimensionalValue };
    const event = {
      version: '0',
      id: 'eb-1',
      'detail-type': 'Anomaly Detected',
      source: 'aws.ce',
      account: message.accountId,
      time: '2021-05-25T12:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail,
    };
    expect(readInput(JSON.stringify(event)).events[0]!.id).toBe(readInput(sns.text).events[0]!.id);
  });

  it('an anomaly update with a changed impact or end date is a different notification', () => {
    const f = fixtures.find((x) => x.name.startsWith('anomaly/sns-'))!;
    const base = JSON.parse(f.text);
    const id = (m: unknown) => readInput(JSON.stringify(m)).events[0]!.id;
    const changedImpact = { ...base, impact: { ...base.impact, totalImpact: Number(base.impact.totalImpact) + 10 } };
    const changedEnd = { ...base, anomalyEndDate: '2030-01-01T00:00:00Z' };
    expect(new Set([id(base), id(changedImpact), id(changedEnd)]).size).toBe(3);
  });
});
