/**
 * Realistic AWS message texts for renderer tests, shaped like the fixtures in
 * tests/fixtures/ (Budgets text, CloudWatch billing alarm, Cost Anomaly Detection SNS JSON),
 * with the parts a test varies as parameters. Events come from the real normalizer.
 */
import type { Enrichment } from '../enrich/types.ts';
import type { SpendEvent } from '../event/schema.ts';
import { readInput } from '../read.ts';
import type { AccountDirectory } from '../routing/labels.ts';

export const ACCOUNT = '123456789012';
export const accounts: AccountDirectory = (id) => (id === ACCOUNT ? { name: 'production', tags: {} } : undefined);

/** The single event a message text normalizes to. */
export function eventOf(text: string): SpendEvent {
  const { events } = readInput(text, { now: () => new Date('2026-05-14T09:30:00Z') });
  if (events.length !== 1) throw new Error(`expected one event, got ${events.length}`);
  return events[0]!;
}

export interface BudgetInput {
  name?: string;
  alertType?: 'ACTUAL' | 'FORECASTED';
  limit?: string;
  threshold?: string;
  amount?: string;
  account?: string;
  date?: string;
}

/** An AWS Budgets text notification, as published to SNS. */
export function budgetText({
  name = 'web',
  alertType = 'ACTUAL',
  limit = '$500.00',
  threshold = '$400.00',
  amount = '$560.00',
  account = ACCOUNT,
  date = 'May 14, 2026',
}: BudgetInput = {}): string {
  return `AWS Budget Notification ${date}
AWS Account ${account}

Dear AWS Customer,

You requested that we alert you when the ${alertType} Cost associated with your ${name} budget is greater than ${threshold} for the current month. The ${alertType} Cost associated with this budget is ${amount}. You can find additional details below and by accessing the AWS Budgets dashboard [1].

Budget Name: ${name}
Budget Type: Cost
Budgeted Amount: ${limit}
Alert Type: ${alertType}
Alert Threshold: > ${threshold}
${alertType} Amount: ${amount}

[1] https://console.aws.amazon.com/costmanagement/home#/budgets
`;
}

export interface AlarmInput {
  name?: string;
  state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  value?: number;
  threshold?: number;
  service?: string;
  reason?: string;
}

/** A CloudWatch billing alarm state change (AWS/Billing EstimatedCharges), as published to SNS. */
export function billingAlarmJson({
  name = 'monthly-estimated-charges',
  state = 'ALARM',
  value = 424.2,
  threshold = 300,
  service,
  reason,
}: AlarmInput = {}): string {
  const previous = state === 'OK' ? 'ALARM' : 'OK';
  const verb = state === 'OK' ? 'was not greater than' : 'was greater than';
  return JSON.stringify({
    AlarmName: name,
    AlarmDescription: null,
    AWSAccountId: ACCOUNT,
    NewStateValue: state,
    NewStateReason:
      reason ??
      `Threshold Crossed: 1 out of the last 1 datapoints [${value} (14/05/26 08:13:00)] ${verb} the threshold (${threshold}) (minimum 1 datapoint for ${previous} -> ${state} transition).`,
    StateChangeTime: '2026-05-14T08:13:14.090+0000',
    Region: 'US East (N. Virginia)',
    AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`,
    OldStateValue: previous,
    Trigger: {
      MetricName: 'EstimatedCharges',
      Namespace: 'AWS/Billing',
      StatisticType: 'Statistic',
      Statistic: 'MAXIMUM',
      Unit: null,
      Dimensions: [...(service ? [{ value: service, name: 'ServiceName' }] : []), { value: 'USD', name: 'Currency' }],
      Period: 21600,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: threshold,
      TreatMissingData: 'missing',
      EvaluateLowSampleCountPercentile: '',
    },
  });
}

/** A Cost Anomaly Detection alert, SNS form (as in AWS's documentation sample). */
export function anomalyJson({
  service = 'Amazon Elastic Compute Cloud - Compute',
  linkedAccountName = 'test',
} = {}): string {
  return JSON.stringify({
    accountId: ACCOUNT,
    anomalyDetailsLink:
      'https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/abcdef12-1234-4ea0-84cc-918a97d736ef/anomalies/12345678-abcd-ef12-3456-987654321a13',
    anomalyEndDate: '2026-05-13T00:00:00Z',
    anomalyId: '12345678-abcd-ef12-3456-987654321a13',
    anomalyScore: { currentScore: 0.47, maxScore: 0.47 },
    anomalyStartDate: '2026-05-12T00:00:00Z',
    dimensionalValue: service,
    impact: {
      maxImpact: 151,
      totalActualSpend: 1301,
      totalExpectedSpend: 300,
      totalImpact: 1001,
      totalImpactPercentage: 333.67,
    },
    monitorArn: `arn:aws:ce::${ACCOUNT}:anomalymonitor/abcdef12-1234-4ea0-84cc-918a97d736ef`,
    rootCauses: [
      {
        linkedAccount: ACCOUNT,
        linkedAccountName,
        region: 'ap-northeast-1',
        service,
        usageType: 'APN1-EBS:VolumeUsage.gp3',
        impact: { contribution: 400 },
      },
      {
        linkedAccount: ACCOUNT,
        linkedAccountName,
        region: 'ap-northeast-1',
        service,
        usageType: 'APN1-BoxUsage:t3.large',
        impact: { contribution: 601 },
      },
    ],
    subscriptionId: '874c100c-59a6-4abb-a10a-4682cc3f2d69',
    subscriptionName: 'alertSubscription',
  });
}

/** An AWS Budgets auto-adjustment notice (JSON; the keys normalize/budget-adjustment.ts reads). */
export function budgetAdjustmentJson(name = 'web', previous = '100', current = '150'): string {
  return JSON.stringify({
    budgetName: name,
    accountId: ACCOUNT,
    previousBudgetLimit: { amount: previous, unit: 'USD' },
    currentBudgetLimit: { amount: current, unit: 'USD' },
  });
}

export const UNRECOGNIZED_TEXT = 'Hello from a custom publisher\nsomething <@U999> happened & nobody knows ```why```\n';

/** Every kind, by a name a test table can show. */
export function sampleEvents(): Array<[string, SpendEvent]> {
  return [
    ['budget actual', eventOf(budgetText())],
    ['budget forecasted', eventOf(budgetText({ alertType: 'FORECASTED', amount: '$620.00' }))],
    ['billing alarm ALARM', eventOf(billingAlarmJson({ service: 'AmazonEC2' }))],
    ['billing alarm OK', eventOf(billingAlarmJson({ state: 'OK', value: 120.5 }))],
    ['anomaly', eventOf(anomalyJson())],
    ['budget adjustment', eventOf(budgetAdjustmentJson())],
    ['unrecognized', eventOf(UNRECOGNIZED_TEXT)],
  ];
}

/** An enrichment where Cost Explorer failed: nothing but the reason. */
export function unavailableEnrichment(reason = 'Cost Explorer throttled the request'): Enrichment {
  return {
    accountId: ACCOUNT,
    currency: 'USD',
    window: { start: '2026-05-01', end: '2026-05-15' },
    monthToDate: null,
    previousPeriod: null,
    forecast: null,
    services: [],
    daily: [],
    accounts: null,
    budget: null,
    unavailable: reason,
  };
}

/** Every string anywhere inside a value: for asserting on whole rendered payloads. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
