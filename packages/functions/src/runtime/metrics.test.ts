import { describe, expect, it } from 'vitest';
import { unwrap, type InboundMessage } from '@spend-alerts/core';
import { heartbeatMessage, isHeartbeat } from '../pipeline/heartbeat.ts';
import { Metrics } from './metrics.ts';

describe('Metrics', () => {
  it('writes one embedded-metric-format line per invocation with the counts and the Channel dimension', () => {
    const lines: string[] = [];
    const m = new Metrics('slack', 'SpendAlerts/prod', (l) => lines.push(l));
    m.count('Received', 3);
    m.count('Delivered', 2);
    m.count('Received');
    m.flush(1_700_000_000_000);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'SpendAlerts/prod',
            Dimensions: [['Channel']],
            Metrics: [
              { Name: 'Received', Unit: 'Count' },
              { Name: 'Delivered', Unit: 'Count' },
            ],
          },
        ],
      },
      Channel: 'slack',
      Received: 4,
      Delivered: 2,
    });
    m.flush();
    expect(lines).toHaveLength(1); // nothing counted since: nothing written
  });

  it('writes nothing outside a deployment (no namespace)', () => {
    const lines: string[] = [];
    const m = new Metrics('email', undefined, (l) => lines.push(l));
    m.count('Heartbeat');
    m.flush();
    expect(lines).toEqual([]);
  });
});

describe('heartbeat', () => {
  it('is recognized in any envelope and is not an alert', () => {
    const sns = JSON.stringify({
      Type: 'Notification',
      MessageId: 'h',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: heartbeatMessage(new Date('2026-01-01T12:00:00Z')),
    });
    const [message] = unwrap(sns) as InboundMessage[];
    expect(isHeartbeat(message!)).toBe(true);
    const [budget] = unwrap('AWS Budget Notification May 01, 2024') as InboundMessage[];
    expect(isHeartbeat(budget!)).toBe(false);
  });
});
