import { describe, expect, it } from 'vitest';
import { CHANNELS, links, spec } from './spec.ts';

describe('the topology spec', () => {
  it.each(CHANNELS)('%s has a consumer with a queue, a DLQ and a handler module', (channel) => {
    const c = spec.consumers[channel];
    expect(c.channel).toBe(channel);
    expect(c.handler).toBe(`packages/functions/src/handlers/${channel}.handler`);
    expect(c.maxReceiveCount).toBeGreaterThanOrEqual(3);
    expect(links.queue(channel)).toMatch(/Queue$/);
    expect(links.dlq(channel)).toMatch(/DeadLetters$/);
  });

  it.each(CHANNELS)('%s: visibility timeout is at least six times the function timeout', (channel) => {
    const c = spec.consumers[channel];
    expect(c.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * c.timeoutSeconds);
  });

  it.each(CHANNELS)('%s: batch settings are within what Lambda allows for SQS', (channel) => {
    const c = spec.consumers[channel];
    expect(c.batchSize).toBeGreaterThanOrEqual(1);
    expect(c.batchSize).toBeLessThanOrEqual(10_000);
    expect(c.batchWindowSeconds).toBeLessThanOrEqual(300);
    expect(c.batchSize > 10 ? c.batchWindowSeconds : 0).toBeGreaterThanOrEqual(c.batchSize > 10 ? 1 : 0); // >10 needs a window
    expect(c.timeoutSeconds).toBeLessThanOrEqual(900);
    expect(c.dlqRetentionSeconds).toBeLessThanOrEqual(14 * 24 * 3600);
  });

  it('lets only the three AWS billing services publish to the topic', () => {
    expect([...spec.topic.publishers].sort()).toEqual([
      'budgets.amazonaws.com',
      'cloudwatch.amazonaws.com',
      'costalerts.amazonaws.com',
    ]);
  });

  it('targets the Lambda runtime and architecture decided in DESIGN.md', () => {
    expect(spec.runtime).toBe('nodejs22.x');
    expect(spec.architecture).toBe('arm64');
  });

  it('has an hourly digest schedule and an hourly watchdog, apart in the hour', () => {
    expect(spec.schedules.map((s) => [s.name, s.schedule])).toEqual([
      ['Digest', 'cron(5 * * * ? *)'],
      ['Watchdog', 'cron(35 * * * ? *)'],
    ]);
  });
});
