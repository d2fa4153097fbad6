/**
 * What Cost Anomaly Detection would know about the scenario's anomaly on a given day. Like every
 * other view of the model it sees only days before `today` (the lag rule), so an anomaly that
 * starts on day S is first reported on S+1 and grows as more of it is seen.
 */
import { addDays, daysIn } from './calendar.ts';
import { stableUuid } from './prng.ts';
import type { SpendModel } from './spend-model.ts';

/** One day of the anomalous cost: what was spent and what the usual pattern predicted. */
export interface AnomalyDay {
  day: string;
  actualCents: number;
  expectedCents: number;
}

/** The anomaly as observed on one day. */
export interface AnomalyReport {
  anomalyId: string;
  monitorId: string;
  account: string;
  accountName: string | null;
  service: string;
  region: string;
  usageType: string;
  /** First and last observed day (`end` is the last day before `today`). */
  start: string;
  end: string;
  days: AnomalyDay[];
  totalActualCents: number;
  totalExpectedCents: number;
  /** Actual minus expected over the observed days. */
  totalImpactCents: number;
  /** The largest single day's impact. */
  maxImpactCents: number;
  /** Impact as a percentage of expected spend, two decimals. */
  impactPercentage: number;
  score: { current: number; max: number };
}

/**
 * The anomaly as Cost Anomaly Detection sees it on `today`, or null when none of it is visible yet
 * (or the scenario has none).
 */
export function anomalyAsOf(model: SpendModel, today: string): AnomalyReport | null {
  const anomaly = model.anomaly;
  const start = model.anomalyStart;
  if (!anomaly || !start || today <= start) return null;
  const last = addDays(start, anomaly.days - 1);
  const end = today <= last ? addDays(today, -1) : last;
  const days = daysIn(start, addDays(end, 1)).map((day) => ({
    day,
    actualCents: model.cellCents(day, anomaly.account, anomaly.service),
    expectedCents: model.expectedCents(day, anomaly.account, anomaly.service),
  }));
  const totalActualCents = days.reduce((sum, d) => sum + d.actualCents, 0);
  const totalExpectedCents = days.reduce((sum, d) => sum + d.expectedCents, 0);
  const impacts = days.map((d) => d.actualCents - d.expectedCents);
  // A score in [0, 1): how far the day's cost sits outside its usual level.
  const scores = days.map((d) => round2(1 - d.expectedCents / Math.max(d.actualCents, 1)));
  return {
    anomalyId: stableUuid(model.seed, 'anomaly', start, anomaly.account, anomaly.service),
    monitorId: stableUuid(model.seed, 'monitor'),
    account: anomaly.account,
    accountName: model.accountName(anomaly.account) ?? null,
    service: anomaly.service,
    region: anomaly.region,
    usageType: anomaly.usageType,
    start,
    end,
    days,
    totalActualCents,
    totalExpectedCents,
    totalImpactCents: totalActualCents - totalExpectedCents,
    maxImpactCents: Math.max(...impacts),
    impactPercentage:
      totalExpectedCents > 0 ? round2(((totalActualCents - totalExpectedCents) / totalExpectedCents) * 100) : 0,
    score: { current: scores[scores.length - 1]!, max: Math.max(...scores) },
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
