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

  it.each(fixtures.filter((f) => f.expected.subject).map((f) => [f.name, f] as const))(
    '%s keeps its SNS subject',
    (_name, fixture) => {
      const bare = readInput(fixture.text).events[0]!;
      // SNS publishes on the day the message states; its time is the publish time.
      const day = bare.kind === 'budget' && bare.budget.notificationDate ? bare.budget.notificationDate : '2024-05-01';
      const envelope = {
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:spend',
        Subject: fixture.expected.subject,
        Message: fixture.text,
        Timestamp: `${day}T10:00:00.000Z`,
      };
      const [event] = readInput(JSON.stringify(envelope)).events;
      expect(event?.source.subject).toBe(fixture.expected.subject);
      expect(event?.correlationId).toBe('m-1');
      if (bare.kind === 'budget') expect(event?.occurredAt).toBe(`${day}T10:00:00.000Z`);
    },
  );

  it('takes the date a Budgets message states when its envelope time contradicts it (a replayed message)', () => {
    const text = readInput(messageFixtures('budgets').find((f) => f.name === 'budgets/cost-daily-actual.txt')!.text)
      .events[0]!.raw;
    const envelope = {
      Type: 'Notification',
      MessageId: 'm-2',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: text,
      Timestamp: '2030-01-01T10:00:00.000Z',
    };
    expect(readInput(JSON.stringify(envelope)).events[0]!.occurredAt).toBe('2023-03-05T00:00:00.000Z');
  });
});

describe('wording and cross-checks', () => {
  const read = (name: string) => readInput(messageFixtures('cloudwatch').find((f) => f.name === name)!.text).events[0]!;

  it('says "below" for a LessThanThreshold alarm', () => {
    expect(read('cloudwatch/ecs-lessthan-alarm-2022.json').title).toBe(
      'Alarm "ProdJenkinsMasterCDK": ECS/ContainerInsights DesiredTaskCount 1 below 2',
    );
  });

  it('uses the China console host for China regions', () => {
    expect(read('cloudwatch/china-region-rds-alarm-2019.json').consoleUrl).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
  });

  it('says the state change when an alarm has no threshold to compare with', () => {
    const event = readInput(
      JSON.stringify({
        AlarmName: 'x',
        NewStateValue: 'ALARM',
        OldStateValue: 'OK',
        NewStateReason: 'Threshold Crossed',
      }),
    ).events[0]!;
    expect(event.title).toBe('Alarm "x" is ALARM (was OK)');
  });

  it('flags a Budgets message whose prose and amount line disagree', () => {
    const text =
      'AWS Budget Notification May 13, 2024\nAWS Account 123456789012\n\nDear AWS Customer,\n\nYou requested that we alert you when the FORECASTED Cost associated with your b budget is greater than $1.00 for the current month. The FORECASTED Cost associated with this budget is $1.03. You can find additional details below.\n\nBudget Name: b\nBudget Type: Cost\nBudgeted Amount: $2.00\nAlert Type: FORECASTED\nAlert Threshold: > $1.00\nFORECASTED Amount: $0.5\n';
    const event = readInput(text).events[0]!;
    expect(event.kind).toBe('budget');
    expect(event.diagnostics).toEqual([
      'the text says the FORECASTED cost is $1.03 but the "FORECASTED Amount:" line says $0.50; the line is used',
    ]);
  });

  it('never reads a decimal comma as a thousands separator', () => {
    const text =
      'AWS Budget Notification May 13, 2024\nAWS Account 123456789012\n\nBudget Name: b\nBudget Type: Cost\nBudgeted Amount: $100.00\nAlert Type: ACTUAL\nAlert Threshold: > $420,00\nACTUAL Amount: $50.00\n';
    const event = readInput(text).events[0]!;
    expect(event.kind === 'budget' && event.budget.threshold).toBe(null);
    expect(event.diagnostics).toEqual(['alert threshold not readable: "$420,00"']);
  });

  it('gives unrecognized JSON a diagnostic, a readable title and the time it states', () => {
    const event = readInput(JSON.stringify({ hello: 'world', timestamp: '2020-01-01T00:00:00Z' })).events[0]!;
    expect(event).toMatchObject({
      kind: 'unrecognized',
      title: 'Unrecognized message: JSON with hello, timestamp',
      occurredAt: '2020-01-01T00:00:00.000Z',
    });
    expect(event.diagnostics).toEqual(['no normalizer reads JSON with keys hello, timestamp']);
  });
});
