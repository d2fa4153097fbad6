import { describe, expect, it } from 'vitest';
import { operationsAlarms } from './monitoring-plan.ts';
import { CHANNELS, spec } from './spec.ts';

const alarms = operationsAlarms(spec, {
  deadLetters: { slack: 'slack-dlq', email: 'email-dlq', webhook: 'webhook-dlq', teams: 'teams-dlq' },
  functions: { SlackConsumer: 'fn-slack', DigestJob: 'fn-digest' },
  metricsNamespace: 'SpendAlerts/production',
});
const withoutMetrics = operationsAlarms(
  spec,
  {
    deadLetters: { slack: 'slack-dlq', email: 'email-dlq', webhook: 'webhook-dlq', teams: 'teams-dlq' },
    functions: { SlackConsumer: 'fn-slack' },
    metricsNamespace: 'SpendAlerts/production',
  },
  { metrics: false },
);
const byKey = new Map(alarms.map((a) => [a.key, a]));

describe('the operations alarms', () => {
  it.each(CHANNELS)('%s: alarm as soon as one record is dead-lettered', (channel) => {
    expect(byKey.get(`${channel}-dead-letters`)).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: `${channel}-dlq` },
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
  });

  it.each(CHANNELS)('%s: alarm when the oldest dead letter is half-way to expiry', (channel) => {
    expect(byKey.get(`${channel}-dead-letters-age`)).toMatchObject({
      metricName: 'ApproximateAgeOfOldestMessage',
      threshold: spec.consumers[channel].dlqRetentionSeconds / 2,
    });
  });

  it.each(CHANNELS)(
    '%s: alarm when no heartbeat went through for 25 hours, missing data counting as missing heartbeats',
    (channel) => {
      const alarm = byKey.get(`${channel}-heartbeat-missing`)!;
      expect(alarm).toMatchObject({
        namespace: 'SpendAlerts/production',
        metricName: 'Heartbeat',
        dimensions: { Channel: channel },
        statistic: 'Sum',
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      });
      expect(alarm.period * alarm.evaluationPeriods).toBe(25 * 3600);
      expect(alarm.datapointsToAlarm).toBe(alarm.evaluationPeriods);
    },
  );

  it('alarms on whole-invocation errors of every function', () => {
    expect(byKey.get('slack-consumer-errors')).toMatchObject({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'fn-slack' },
    });
    expect(byKey.get('digest-job-errors')).toMatchObject({ dimensions: { FunctionName: 'fn-digest' } });
    expect(alarms).toHaveLength(CHANNELS.length * 3 + 2);
  });

  it('has no heartbeat alarm without the custom metric it reads', () => {
    expect(withoutMetrics.map((a) => a.key).filter((k) => k.includes('heartbeat'))).toEqual([]);
    expect(withoutMetrics).toHaveLength(CHANNELS.length * 2 + 1);
  });

  it('stays within what CloudWatch accepts: periods of 60 s multiples, at most 1 day of evaluation under an hour and 7 days above', () => {
    for (const alarm of alarms) {
      expect(alarm.period % 60, alarm.key).toBe(0);
      const range = alarm.period * alarm.evaluationPeriods;
      expect(range, alarm.key).toBeLessThanOrEqual(alarm.period < 3600 ? 86_400 : 604_800);
      expect(alarm.datapointsToAlarm, alarm.key).toBeLessThanOrEqual(alarm.evaluationPeriods);
    }
  });
});
