import type { BillingAlarmSpec, BudgetSpec, Config } from '@spend-alerts/core';

/**
 * Budgets, billing alarms and the anomaly monitor the config asks for, as the arguments of the
 * `@pulumi/aws` resources that create them. All optional: an empty config creates none.
 * `S` is the topic ARN: a string in tests, an output when deploying.
 */

export interface BudgetPlan<S> {
  key: string;
  args: {
    name: string;
    budgetType: 'COST';
    limitAmount: string;
    limitUnit: 'USD';
    timeUnit: 'MONTHLY' | 'QUARTERLY' | 'ANNUALLY' | 'DAILY';
    costFilters: { name: 'LinkedAccount'; values: string[] }[];
    notifications: {
      comparisonOperator: 'GREATER_THAN';
      notificationType: 'ACTUAL' | 'FORECASTED';
      threshold: number;
      thresholdType: 'PERCENTAGE';
      subscriberSnsTopicArns: S[];
    }[];
  };
}

export interface BillingAlarmPlan<S> {
  key: string;
  args: {
    name: string;
    alarmDescription: string;
    namespace: 'AWS/Billing';
    metricName: 'EstimatedCharges';
    dimensions: Record<string, string>;
    statistic: 'Maximum';
    period: number;
    evaluationPeriods: 1;
    threshold: number;
    comparisonOperator: 'GreaterThanOrEqualToThreshold';
    treatMissingData: 'ignore';
    alarmActions: S[];
    okActions: S[];
  };
}

export interface AnomalyPlan<S> {
  monitor: { name: string; monitorType: 'DIMENSIONAL'; monitorDimension: 'SERVICE' };
  subscription: {
    name: string;
    frequency: 'IMMEDIATE';
    subscribers: { type: 'SNS'; address: S }[];
    thresholdExpression: {
      dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE'; matchOptions: ['GREATER_THAN_OR_EQUAL']; values: string[] };
    };
  };
}

const TIME_UNITS = { monthly: 'MONTHLY', quarterly: 'QUARTERLY', annually: 'ANNUALLY', daily: 'DAILY' } as const;

/** Billing data arrives a few times a day; a 6-hour period sees every update without flapping on gaps. */
const BILLING_ALARM_PERIOD = 6 * 3600;

/** AWS-wide names: production keeps the configured name, other stages suffix theirs so they never collide. */
export function stageName(name: string, stage: string): string {
  return stage === 'production' ? name : `${name}-${stage}`;
}

/** The config's budgets, each with its notifications sent to the spend topic. */
export function budgetPlans<S>(config: Config, topicArn: S, stage: string): BudgetPlan<S>[] {
  return config.budgets.map((budget, i) => {
    const forecasted = budget.notifications.findIndex((n) => n.type === 'FORECASTED');
    if (budget.period === 'daily' && forecasted >= 0) {
      throw new Error(
        `budgets[${i}].notifications[${forecasted}]: AWS Budgets has no FORECASTED alerts for daily budgets; use ACTUAL`,
      );
    }
    return {
      key: `Budget${pascal(budget.name)}`,
      args: {
        name: stageName(budget.name, stage),
        budgetType: 'COST',
        limitAmount: budget.limit.toFixed(2),
        limitUnit: 'USD',
        timeUnit: TIME_UNITS[budget.period],
        costFilters: linkedAccountFilter(budget),
        notifications: budget.notifications.map((n) => ({
          comparisonOperator: 'GREATER_THAN',
          notificationType: n.type,
          threshold: n.thresholdPercent,
          thresholdType: 'PERCENTAGE',
          subscriberSnsTopicArns: [topicArn],
        })),
      },
    };
  });
}

/** The config's alarms on month-to-date `EstimatedCharges` (a us-east-1 metric), firing and resolving to the topic. */
export function billingAlarmPlans<S>(config: Config, topicArn: S, stage: string): BillingAlarmPlan<S>[] {
  return config.billingAlarms.map((alarm) => ({
    key: `BillingAlarm${pascal(alarm.name)}`,
    args: {
      name: stageName(alarm.name, stage),
      alarmDescription: describeBillingAlarm(alarm),
      namespace: 'AWS/Billing',
      metricName: 'EstimatedCharges',
      dimensions: billingDimensions(alarm),
      statistic: 'Maximum',
      period: BILLING_ALARM_PERIOD,
      evaluationPeriods: 1,
      threshold: alarm.threshold,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // Keep the state through the hours between billing updates instead of reporting "resolved".
      treatMissingData: 'ignore',
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
  }));
}

/** An AWS services monitor with an IMMEDIATE subscription to the topic, when the config enables it. */
export function anomalyPlan<S>(config: Config, topicArn: S, app: string, stage: string): AnomalyPlan<S> | undefined {
  if (!config.anomalyDetection.enabled) return undefined;
  return {
    monitor: { name: `${app}-${stage}-services`, monitorType: 'DIMENSIONAL', monitorDimension: 'SERVICE' },
    subscription: {
      name: `${app}-${stage}-immediate`,
      frequency: 'IMMEDIATE',
      subscribers: [{ type: 'SNS', address: topicArn }],
      thresholdExpression: {
        dimension: {
          key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
          matchOptions: ['GREATER_THAN_OR_EQUAL'],
          values: [String(config.anomalyDetection.minImpact)],
        },
      },
    },
  };
}

function linkedAccountFilter(budget: BudgetSpec): BudgetPlan<unknown>['args']['costFilters'] {
  return budget.account ? [{ name: 'LinkedAccount', values: [budget.account] }] : [];
}

function billingDimensions(alarm: BillingAlarmSpec): Record<string, string> {
  const dimensions: Record<string, string> = { Currency: 'USD' };
  if (alarm.service) dimensions.ServiceName = alarm.service;
  if (alarm.linkedAccount) dimensions.LinkedAccount = alarm.linkedAccount;
  return dimensions;
}

function describeBillingAlarm(alarm: BillingAlarmSpec): string {
  const scope = [alarm.service, alarm.linkedAccount && `account ${alarm.linkedAccount}`].filter(Boolean).join(', ');
  return `Month-to-date estimated charges${scope ? ` (${scope})` : ''} reached $${alarm.threshold}. Created by spend-alerts.`;
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
