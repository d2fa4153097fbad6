/**
 * Which notifications AWS would publish on a simulated day, and the exact messages. Budgets,
 * CloudWatch and Cost Anomaly Detection decide from what they know that day: the days before it
 * (the lag rule of spend-model.ts). Everything here is a pure function of the config, the model
 * and the day, so a day can be replayed and gives the same messages.
 */
import { anomalyAsOf } from './anomaly.ts';
import { addDays, daysIn, periodStart } from './calendar.ts';
import { toCents } from './cents.ts';
import { billingAlarmMessage, type AlarmState, type SimBillingAlarm } from './alarm-message.ts';
import { anomalyMessage } from './anomaly-message.ts';
import {
  budgetAmountCents,
  budgetNotification,
  thresholdCents,
  type SimBudget,
  type SimBudgetAlert,
} from './budget-message.ts';
import type { SpendModel } from './spend-model.ts';

export { budgetNotification, budgetScope, budgetAmountCents, thresholdCents } from './budget-message.ts';
export type { BudgetMessage, PublishedMessage, SimBudget, SimBudgetAlert } from './budget-message.ts';
export { billingAlarmMessage, javaDouble } from './alarm-message.ts';
export type { AlarmState, BillingAlarmOptions, SimBillingAlarm } from './alarm-message.ts';
export { anomalyMessage } from './anomaly-message.ts';
export type { AnomalyMessage, AnomalyMessageOptions } from './anomaly-message.ts';

/** The parts of the spend-alerts config (`Config`) that make AWS publish something. */
export interface SimConfig {
  budgets?: ReadonlyArray<SimBudget & { notifications: readonly SimBudgetAlert[] }>;
  billingAlarms?: readonly SimBillingAlarm[];
  anomalyDetection?: { enabled: boolean; minImpact: number };
}

/** One message AWS publishes to the topic on `day`, with the figures it states. */
export type Crossing =
  | {
      kind: 'budget';
      day: string;
      budget: string;
      alert: SimBudgetAlert;
      amountCents: number;
      thresholdCents: number;
      subject: string;
      message: string;
    }
  | {
      kind: 'billing-alarm';
      day: string;
      alarm: string;
      state: AlarmState;
      valueCents: number;
      thresholdCents: number;
      subject: string;
      message: string;
    }
  | {
      kind: 'anomaly';
      day: string;
      anomalyId: string;
      update: boolean;
      impactCents: number;
      subject: null;
      message: string;
    };

/** Who owns what publishes, as it appears in the messages. */
export interface CrossingOptions {
  /** The account that owns the budgets, alarms and monitor. Default: the model's payer. */
  accountId?: string;
  /** The topic the alarms notify (it appears in their messages). */
  topicArn?: string;
}

/**
 * Every notification AWS would publish on `day`, budgets first (in config order), then billing
 * alarms, then the anomaly:
 * - a budget alert once per period, on the first day its amount is greater than the threshold
 *   (AWS's GREATER_THAN): period-to-date for ACTUAL, period-end forecast for FORECASTED; a daily
 *   budget's ACTUAL alert on every day whose yesterday was over;
 * - a billing alarm goes to ALARM on the day month-to-date estimated charges in its scope exceed its
 *   threshold, and back to OK when they no longer do (on the 1st, when the month starts over);
 * - the anomaly once when its impact first reaches `minImpact`, and once more, as an update with
 *   the whole impact, the day after its last day.
 */
export function crossings(
  config: SimConfig,
  model: SpendModel,
  day: string,
  options: CrossingOptions = {},
): Crossing[] {
  const accountId = options.accountId ?? model.payerAccountId;
  const out: Crossing[] = [];
  for (const budget of config.budgets ?? []) {
    for (const alert of budget.notifications) {
      if (!budgetCrossesOn(budget, alert, day, model)) continue;
      const m = budgetNotification(budget, alert, day, model, accountId);
      out.push({
        kind: 'budget',
        day,
        budget: budget.name,
        alert,
        amountCents: m.amountCents,
        thresholdCents: m.thresholdCents,
        subject: m.subject,
        message: m.message,
      });
    }
  }
  for (const alarm of config.billingAlarms ?? []) {
    const threshold = toCents(alarm.threshold);
    const scope = { service: alarm.service, account: alarm.linkedAccount };
    const now = model.monthToDate(day, scope);
    const before = model.monthToDate(addDays(day, -1), scope);
    const state: AlarmState | null =
      now > threshold && before <= threshold ? 'ALARM' : now <= threshold && before > threshold ? 'OK' : null;
    if (!state) continue;
    const m = billingAlarmMessage(alarm, state, day, now, {
      accountId,
      ...(options.topicArn ? { topicArn: options.topicArn } : {}),
    });
    out.push({
      kind: 'billing-alarm',
      day,
      alarm: alarm.name,
      state,
      valueCents: now,
      thresholdCents: threshold,
      subject: m.subject!,
      message: m.message,
    });
  }
  const detection = config.anomalyDetection;
  if (detection?.enabled) {
    const when = anomalyAlertDays(model, toCents(detection.minImpact));
    if (when && (day === when.first || day === when.update)) {
      const m = anomalyMessage(model, day, { accountId });
      out.push({
        kind: 'anomaly',
        day,
        anomalyId: m.report.anomalyId,
        update: day !== when.first,
        impactCents: m.report.totalImpactCents,
        subject: null,
        message: m.message,
      });
    }
  }
  return out;
}

/** Every crossing on the days in `[start, end)`, in order. */
export function timeline(
  config: SimConfig,
  model: SpendModel,
  start: string,
  end: string,
  options: CrossingOptions = {},
): Crossing[] {
  return daysIn(start, end).flatMap((day) => crossings(config, model, day, options));
}

/**
 * A budget alert's state on `day` as DescribeNotificationsForBudget reports it: ALARM once the
 * alert has fired in the current period, OK before.
 */
export function alertState(budget: SimBudget, alert: SimBudgetAlert, day: string, model: SpendModel): 'ALARM' | 'OK' {
  const period = budget.period ?? 'monthly';
  const threshold = thresholdCents(budget, alert);
  const over = (d: string) => budgetAmountCents(budget, alert, d, model) > threshold;
  if (period === 'daily') return alert.type === 'ACTUAL' && over(day) ? 'ALARM' : 'OK';
  const fired = alert.type === 'ACTUAL' ? over(day) : daysIn(periodStart(day, period), addDays(day, 1)).some(over);
  return fired ? 'ALARM' : 'OK';
}

function budgetCrossesOn(budget: SimBudget, alert: SimBudgetAlert, day: string, model: SpendModel): boolean {
  const period = budget.period ?? 'monthly';
  const threshold = thresholdCents(budget, alert);
  const over = (d: string) => budgetAmountCents(budget, alert, d, model) > threshold;
  if (period === 'daily') return alert.type === 'ACTUAL' && over(day);
  if (!over(day)) return false;
  // Once per period: no earlier day of this period was over. ACTUAL only grows within a period,
  // so yesterday suffices; a forecast can dip and rise again, so every earlier day is checked.
  const first = periodStart(day, period);
  if (day === first) return true;
  if (alert.type === 'ACTUAL') return !over(addDays(day, -1));
  return daysIn(first, day).every((d) => !over(d));
}

/** The day the anomaly is first alerted (impact ≥ minimum) and the day of its one update, if any. */
function anomalyAlertDays(model: SpendModel, minImpactCents: number): { first: string; update: string | null } | null {
  const anomaly = model.anomaly;
  const start = model.anomalyStart;
  if (!anomaly || !start) return null;
  const complete = addDays(start, anomaly.days); // the first day its last day is visible
  for (const day of daysIn(addDays(start, 1), addDays(complete, 1))) {
    const report = anomalyAsOf(model, day);
    if (report && report.totalImpactCents >= minImpactCents)
      return { first: day, update: day < complete ? complete : null };
  }
  return null;
}
