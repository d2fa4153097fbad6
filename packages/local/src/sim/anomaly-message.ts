/**
 * The JSON Cost Anomaly Detection publishes to an SNS topic for an immediate subscription: the
 * current form (tests/fixtures/anomaly/sns-current-docs-sample.json: timestamps at midnight UTC,
 * five impact fields, root causes with `linkedAccountName` and a contribution), compact and in the
 * key order of the real captured message (sns-real-cloudtrail-2023.json).
 */
import { anomalyAsOf, type AnomalyReport } from './anomaly.ts';
import { centsToNumber } from './cents.ts';
import { stableUuid } from './prng.ts';
import type { PublishedMessage } from './budget-message.ts';
import type { SpendModel } from './spend-model.ts';

/** Who owns the monitor and how its subscription is named. */
export interface AnomalyMessageOptions {
  /** The account that owns the monitor. Default: the model's payer. */
  accountId?: string;
  subscriptionName?: string;
  monitorName?: string;
}

/** An anomaly alert and the report it was made from. */
export interface AnomalyMessage extends PublishedMessage {
  report: AnomalyReport;
}

/**
 * The alert Cost Anomaly Detection sends on `today` for the scenario's anomaly, with what it has
 * seen of it by then (the days before `today`).
 * @throws RangeError when nothing of the anomaly is visible on `today`.
 */
export function anomalyMessage(model: SpendModel, today: string, options: AnomalyMessageOptions = {}): AnomalyMessage {
  const report = anomalyAsOf(model, today);
  if (!report) throw new RangeError(`no anomaly is visible on ${today}`);
  const accountId = options.accountId ?? model.payerAccountId;
  const usd = centsToNumber;
  const body = {
    accountId,
    accountName: model.accountName(accountId) ?? accountId,
    anomalyStartDate: `${report.start}T00:00:00Z`,
    anomalyEndDate: `${report.end}T00:00:00Z`,
    anomalyId: report.anomalyId,
    dimensionalValue: report.service,
    monitorArn: `arn:aws:ce::${accountId}:anomalymonitor/${report.monitorId}`,
    monitorName: options.monitorName ?? 'spend-alerts-services',
    monitorType: 'DIMENSIONAL',
    anomalyScore: { maxScore: report.score.max, currentScore: report.score.current },
    impact: {
      maxImpact: usd(report.maxImpactCents),
      totalExpectedSpend: usd(report.totalExpectedCents),
      totalActualSpend: usd(report.totalActualCents),
      totalImpact: usd(report.totalImpactCents),
      totalImpactPercentage: report.impactPercentage,
    },
    rootCauses: [
      {
        service: report.service,
        region: report.region,
        linkedAccount: report.account,
        linkedAccountName: report.accountName ?? report.account,
        usageType: report.usageType,
        impact: { contribution: usd(report.totalImpactCents) },
      },
    ],
    anomalyDetailsLink: `https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/${report.monitorId}/anomalies/${report.anomalyId}`,
    subscriptionId: stableUuid(model.seed, 'subscription'),
    subscriptionName: options.subscriptionName ?? 'spend-alerts-immediate',
  };
  return { subject: null, message: JSON.stringify(body), report };
}
