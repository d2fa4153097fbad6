import { describe, expect, it } from 'vitest';
import { readInput, SpendEventSchema } from '@spend-alerts/core';
import { messageFixtures, SOURCE_FOLDERS } from '../fixtures/load.ts';

const fixtures = messageFixtures(...SOURCE_FOLDERS);

describe('normalizers read every real message fixture', () => {
  it('has fixtures for every source', () => {
    for (const folder of SOURCE_FOLDERS) expect(fixtures.some((f) => f.name.startsWith(`${folder}/`))).toBe(true);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const { events, controls } = readInput(fixture.text);
    expect(controls).toEqual([]);
    expect(events).toHaveLength(1);
    const event = SpendEventSchema.parse(events[0]);
    expect(event.diagnostics).toEqual([]);
    expect(event).toMatchObject(fixture.expected.expect);
    expect(event.raw).toBe(fixture.text);
    expect(event.title.length).toBeGreaterThan(10);
  });

  it.each(fixtures.filter((f) => f.expected.subject).map((f) => [f.name, f] as const))('%s keeps its SNS subject', (_name, fixture) => {
    const envelope = { Type: 'Notification', MessageId: 'm-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:spend', Subject: fixture.expected.subject, Message: fixture.text, Timestamp: '2024-05-01T10:00:00.000Z' };
    const [event] = readInput(JSON.stringify(envelope)).events;
    expect(event?.source.subject).toBe(fixture.expected.subject);
    expect(event?.correlationId).toBe('m-1');
    expect(event?.occurredAt).toBe(fixture.expected.expect.kind === 'billing-alarm' || fixture.expected.expect.kind === 'alarm' ? event?.occurredAt : '2024-05-01T10:00:00.000Z');
  });
});
