/**
 * The plain-text notification AWS Budgets publishes to SNS, byte for byte as the real ones in
 * tests/fixtures/budgets/ (see SOURCES.md there), with amounts from the spend model.
 */
import { budgetsDate, type Period } from './calendar.ts';
import { formatUsd, toCents } from './cents.ts';
import type { CostScope, SpendModel } from './spend-model.ts';

/** The parts of a config budget (`BudgetSpec`) a notification needs. */
export interface SimBudget {
  name: string;
  /** USD. */
  limit: number;
  period?: Period | undefined;
  /** Only this linked account's cost; otherwise the whole organization's. */
  account?: string | undefined;
}

/** One of a budget's alerts. */
export interface SimBudgetAlert {
  type: 'ACTUAL' | 'FORECASTED';
  thresholdPercent: number;
}

/** A message as published to SNS: the `Subject` (null when the publisher sets none) and the `Message`. */
export interface PublishedMessage {
  subject: string | null;
  message: string;
}

/** A Budgets notification and the figures it states, in cents. */
export interface BudgetMessage extends PublishedMessage {
  subject: string;
  amountCents: number;
  thresholdCents: number;
  limitCents: number;
}

/** The costs a budget covers, as a spend-model scope. */
export function budgetScope(budget: SimBudget): CostScope {
  return budget.account === undefined ? {} : { account: budget.account };
}

/** A threshold in cents: the percentage of the limit, as the alert line prints it. */
export function thresholdCents(budget: SimBudget, alert: SimBudgetAlert): number {
  return Math.round((toCents(budget.limit) * alert.thresholdPercent) / 100);
}

/** The amount a notification on `day` states: period-to-date (ACTUAL) or period-end forecast (FORECASTED). */
export function budgetAmountCents(budget: SimBudget, alert: SimBudgetAlert, day: string, model: SpendModel): number {
  const period = budget.period ?? 'monthly';
  const scope = budgetScope(budget);
  return alert.type === 'ACTUAL' ? model.periodToDate(day, period, scope) : model.forecastPeriodEnd(day, period, scope);
}

/**
 * The notification AWS Budgets sends on `day` for one of a budget's alerts. Its ACTUAL amount is
 * the model's period-to-date for the budget's scope that day (days before `day`, the lag rule), so
 * it equals to the cent what Cost Explorer answers for the same window.
 * @param accountId the account that owns the budget (the payer, for an organization-wide budget).
 * @example budgetNotification({ name: 'monthly-total', limit: 12000 }, { type: 'ACTUAL', thresholdPercent: 80 }, '2026-04-20', model, model.payerAccountId)
 */
export function budgetNotification(
  budget: SimBudget,
  alert: SimBudgetAlert,
  day: string,
  model: SpendModel,
  accountId: string = model.payerAccountId,
): BudgetMessage {
  const period = budget.period ?? 'monthly';
  const amountCents = budgetAmountCents(budget, alert, day, model);
  const threshold = thresholdCents(budget, alert);
  const limitCents = toCents(budget.limit);
  const { type } = alert;
  // Daily budgets report the last complete day, and their prose says so.
  const prose =
    period === 'daily'
      ? `is greater than ${formatUsd(threshold)} per day. Yesterday, the ${type} Cost associated with this budget is ${formatUsd(amountCents)}.`
      : `is greater than ${formatUsd(threshold)} for the current ${PERIOD_WORD[period]}. The ${type} Cost associated with this budget is ${formatUsd(amountCents)}.`;
  const message = `AWS Budget Notification ${budgetsDate(day)}
AWS Account ${accountId}

Dear AWS Customer,

You requested that we alert you when the ${type} Cost associated with your ${budget.name} budget ${prose} You can find additional details below and by accessing the AWS Budgets dashboard [1].

Budget Name: ${budget.name}
Budget Type: Cost
Budgeted Amount: ${formatUsd(limitCents)}
Alert Type: ${type}
Alert Threshold: > ${formatUsd(threshold)}
${type} Amount: ${formatUsd(amountCents)}

[1] https://console.aws.amazon.com/costmanagement/home#/budgets
`;
  return {
    subject: `AWS Budgets: ${budget.name} has exceeded your alert threshold`,
    message,
    amountCents,
    thresholdCents: threshold,
    limitCents,
  };
}

// Quarterly and annual wording is unverified (no real sample found; tests/fixtures/budgets/SOURCES.md).
const PERIOD_WORD: Record<Exclude<Period, 'daily'>, string> = {
  monthly: 'month',
  quarterly: 'quarter',
  annually: 'year',
};
