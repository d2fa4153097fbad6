import { validateConfig } from '@spend-alerts/core';
import { METRICS } from '@spend-alerts/stacks/metrics';
import { describe, expect, it } from 'vitest';
import { configModel, deployedUsage } from './run-bill.ts';
import type { UsageRecord } from './usage.ts';

const slackOnly = validateConfig({
  version: 1,
  receivers: [{ name: 'ops', type: 'slack', channel: '#ops' }],
  route: { receiver: 'ops' },
  monitoring: { alarms: true, metrics: true },
});

describe('the bill of what a config deploys', () => {
  it('drops what the consumers of channels without receivers did locally, and keeps everything else', () => {
    const records: UsageRecord[] = [
      { key: 'lambda.requests', source: 'consumer:slack', detail: 'invocation', quantity: 3 },
      { key: 'lambda.requests', source: 'consumer:teams', detail: 'invocation', quantity: 3 },
      { key: 'sqs.requests', source: 'consumer:email', detail: 'ReceiveMessage', quantity: 2 },
      { key: 'dynamodb.writeUnits', source: 'digest', detail: 'PutItem', quantity: 4 },
      { key: 'sns.publishes', source: 'aws', detail: 'Publish', quantity: 1 },
    ];
    expect(deployedUsage(records, slackOnly).map((r) => `${r.source} ${r.key}`)).toEqual([
      'consumer:slack lambda.requests',
      'digest dynamodb.writeUnits',
      'aws sns.publishes',
    ]);
  });

  it('models one polled queue, and the alarms and metrics of one channel, for a Slack-only config', () => {
    const model = configModel(slackOnly);
    expect(model.polledQueues).toBe(1);
    // Per channel: DLQ depth, DLQ age, heartbeat; per function (the consumer, the two jobs): errors.
    expect(model.operationsAlarms).toBe(3 + 3);
    // Every metric carries its channel as its one dimension: one channel, one series per metric.
    expect(model.customMetrics).toBe(Object.keys(METRICS).length);
  });
});
