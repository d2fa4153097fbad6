import { validateConfig, type ConfigInput } from '@spend-alerts/core';
import { describe, expect, it } from 'vitest';
import { anomalyPlan, billingAlarmPlans, budgetPlans, stageName } from './billing-plan.ts';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:spend';
const base: ConfigInput = {
  version: 1,
  receivers: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x', signingSecret: 'HookSecret' }],
  route: { receiver: 'hook' },
};

describe('budgets from the config', () => {
  it('creates a cost budget per entry, each notification a percentage of the limit sent to the topic', () => {
    const config = validateConfig({
      ...base,
      budgets: [
        {
          name: 'data lake',
          limit: 3000,
          period: 'quarterly',
          account: '222222222222',
          notifications: [
            { type: 'ACTUAL', thresholdPercent: 80 },
            { type: 'FORECASTED', thresholdPercent: 100 },
          ],
        },
      ],
    });
    expect(budgetPlans(config, TOPIC, 'production')).toEqual([
      {
        key: 'BudgetDataLake',
        args: {
          name: 'data lake',
          budgetType: 'COST',
          limitAmount: '3000.00',
          limitUnit: 'USD',
          timeUnit: 'QUARTERLY',
          costFilters: [{ name: 'LinkedAccount', values: ['222222222222'] }],
          notifications: [
            {
              comparisonOperator: 'GREATER_THAN',
              notificationType: 'ACTUAL',
              threshold: 80,
              thresholdType: 'PERCENTAGE',
              subscriberSnsTopicArns: [TOPIC],
            },
            {
              comparisonOperator: 'GREATER_THAN',
              notificationType: 'FORECASTED',
              threshold: 100,
              thresholdType: 'PERCENTAGE',
              subscriberSnsTopicArns: [TOPIC],
            },
          ],
        },
      },
    ]);
  });

  it('uses the schema defaults: monthly, whole account, 80% and 100% actual and 100% forecasted', () => {
    const [plan] = budgetPlans(
      validateConfig({ ...base, budgets: [{ name: 'total', limit: 100 }] }),
      TOPIC,
      'production',
    );
    expect(plan!.args.timeUnit).toBe('MONTHLY');
    expect(plan!.args.costFilters).toEqual([]);
    expect(plan!.args.notifications.map((n) => `${n.notificationType} ${n.threshold}`)).toEqual([
      'ACTUAL 80',
      'ACTUAL 100',
      'FORECASTED 100',
    ]);
  });

  it('refuses forecasted alerts on a daily budget, which AWS Budgets does not offer, naming where', () => {
    const config = validateConfig({
      ...base,
      budgets: [
        {
          name: 'daily',
          limit: 10,
          period: 'daily',
          notifications: [
            { type: 'ACTUAL', thresholdPercent: 100 },
            { type: 'FORECASTED', thresholdPercent: 100 },
          ],
        },
      ],
    });
    expect(() => budgetPlans(config, TOPIC, 'production')).toThrow(
      'budgets[0].notifications[1]: AWS Budgets has no FORECASTED alerts for daily budgets',
    );
  });

  it('suffixes account-wide names outside production, so stages never collide', () => {
    expect(stageName('total', 'production')).toBe('total');
    expect(stageName('total', 'dev')).toBe('total-dev');
  });
});

describe('billing alarms from the config', () => {
  it('alarms on EstimatedCharges in USD, per service and linked account when given, firing and resolving to the topic', () => {
    const config = validateConfig({
      ...base,
      billingAlarms: [
        { name: 'total-10k', threshold: 10000 },
        { name: 'ec2-4k', threshold: 4000, service: 'AmazonEC2', linkedAccount: '333333333333' },
      ],
    });
    const plans = billingAlarmPlans(config, TOPIC, 'production');
    expect(plans.map((p) => p.args.dimensions)).toEqual([
      { Currency: 'USD' },
      { Currency: 'USD', ServiceName: 'AmazonEC2', LinkedAccount: '333333333333' },
    ]);
    expect(plans[1]!.args).toMatchObject({
      name: 'ec2-4k',
      namespace: 'AWS/Billing',
      metricName: 'EstimatedCharges',
      statistic: 'Maximum',
      threshold: 4000,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      alarmActions: [TOPIC],
      okActions: [TOPIC],
    });
    expect(plans[1]!.args.alarmDescription).toBe(
      'Month-to-date estimated charges (AmazonEC2, account 333333333333) reached $4000. Created by spend-alerts.',
    );
  });
});

describe('anomaly detection from the config', () => {
  it('is absent unless enabled', () => {
    expect(anomalyPlan(validateConfig(base), TOPIC, 'spend-alerts', 'production')).toBeUndefined();
  });

  it('monitors AWS services with an IMMEDIATE SNS subscription above the minimum impact', () => {
    const plan = anomalyPlan(
      validateConfig({ ...base, anomalyDetection: { enabled: true, minImpact: 250 } }),
      TOPIC,
      'spend-alerts',
      'production',
    );
    expect(plan).toEqual({
      monitor: { name: 'spend-alerts-production-services', monitorType: 'DIMENSIONAL', monitorDimension: 'SERVICE' },
      subscription: {
        name: 'spend-alerts-production-immediate',
        frequency: 'IMMEDIATE',
        subscribers: [{ type: 'SNS', address: TOPIC }],
        thresholdExpression: {
          dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', matchOptions: ['GREATER_THAN_OR_EQUAL'], values: ['250'] },
        },
      },
    });
  });
});
