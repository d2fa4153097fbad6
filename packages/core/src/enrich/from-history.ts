/**
 * An alert's cost context, from the organization's daily costs: one answer (a day per item, each by
 * linked account and service) serves every alert, whatever account or budget it is about.
 */
import { money, type Money } from '../event/money.ts';
import { daysInMonth, projectMonthEnd } from './projection.ts';
import type { Enrichment, ServiceCost } from './types.ts';
import { type DayWindow, daysOf, previousPeriod } from './windows.ts';

/** One day's cost, by linked account, then service, in USD. */
export interface CostDay {
  date: string;
  cells: Record<string, Record<string, number>>;
}

export interface FromHistoryInput {
  days: readonly CostDay[];
  window: DayWindow;
  /** The linked accounts the alert is about; empty for the whole bill. */
  scope: readonly string[];
  /** How many services before "Other". */
  top: number;
  /** The account the breakdown is labelled with. */
  accountId: string | null;
  /** A budget's own details (DescribeBudget), whose forecast, when AWS gives one, is the forecast. */
  budget: Enrichment['budget'];
  /** Show the cost by linked account (in a payer account). */
  byAccount: boolean;
  /** Why some of it is missing, already known (the request budget, a failed refresh). */
  unavailable: string | null;
}

export function enrichmentFromHistory(input: FromHistoryInput): Enrichment {
  const { window, scope } = input;
  const byDate = new Map(input.days.map((d) => [d.date, d]));
  const inScope = (account: string) => scope.length === 0 || scope.includes(account);
  const current = daysOf(window);
  const previous = daysOf(previousPeriod(window));
  const services = new Map<string, number>();
  const before = new Map<string, number>();
  const accounts = new Map<string, number>();
  const daily: Array<{ date: string; amount: number }> = [];
  let missing = 0;
  for (const date of current) {
    const day = byDate.get(date);
    if (!day) missing++;
    let total = 0;
    for (const [account, cells] of Object.entries(day?.cells ?? {})) {
      if (!inScope(account)) continue;
      for (const [service, cost] of Object.entries(cells)) {
        services.set(service, (services.get(service) ?? 0) + cost);
        accounts.set(account, (accounts.get(account) ?? 0) + cost);
        total += cost;
      }
    }
    if (day) daily.push({ date, amount: round(total) });
  }
  let previousKnown = false;
  for (const date of previous) {
    const day = byDate.get(date);
    if (!day) continue;
    previousKnown = true;
    for (const [account, cells] of Object.entries(day.cells)) {
      if (!inScope(account)) continue;
      for (const [service, cost] of Object.entries(cells)) before.set(service, (before.get(service) ?? 0) + cost);
    }
  }

  const ranked = [...services].map(([name, cost]) => ({ name, cost: round(cost) })).sort((a, b) => b.cost - a.cost);
  const head = ranked.slice(0, input.top);
  const rest = ranked.slice(input.top);
  const breakdown: ServiceCost[] = head.map((s) => serviceCost(s.name, s.cost, before.get(s.name) ?? null));
  if (rest.length) {
    const restBefore = rest.reduce((n, s) => n + (before.get(s.name) ?? 0), 0);
    breakdown.push(
      serviceCost(
        'Other',
        rest.reduce((n, s) => n + s.cost, 0),
        restBefore || null,
      ),
    );
  }
  const total = ranked.reduce((n, s) => n + s.cost, 0);
  const previousTotal = [...before.values()].reduce((a, b) => a + b, 0);
  const complete = missing === 0 && daily.length > 0;
  return {
    accountId: input.accountId,
    currency: 'USD',
    window,
    monthToDate: daily.length ? money(round(total)) : null,
    previousPeriod: previousKnown ? money(round(previousTotal)) : null,
    forecast: forecast(input.budget, complete ? daily : [], window),
    services: breakdown,
    daily,
    accounts: input.byAccount
      ? [...accounts]
          .map(([id, cost]) => ({ id, name: null, cost: money(round(cost)) }))
          .sort((a, b) => b.cost.amount - a.cost.amount)
      : null,
    budget: input.budget,
    unavailable:
      input.unavailable ??
      (current.length === 0
        ? 'the month has just begun: no cost yet this month'
        : missing
          ? `Cost Explorer has no costs yet for ${missing} of the month's ${current.length} days`
          : null),
  };
}

/**
 * A budget's own forecast when AWS Budgets gives one (it is free, and it is what the budget
 * alerts on); else a projection from the month's daily costs.
 */
function forecast(
  budget: Enrichment['budget'],
  daily: ReadonlyArray<{ amount: number }>,
  window: DayWindow,
): Enrichment['forecast'] {
  if (budget?.forecasted) return { total: budget.forecasted, lower: null, upper: null };
  const projected = projectMonthEnd(
    daily.map((d) => d.amount),
    daysInMonth(window.start),
  );
  if (!projected) return null;
  const m = (n: number | null): Money | null => (n === null ? null : money(n));
  return { total: money(projected.total), lower: m(projected.lower), upper: m(projected.upper) };
}

function serviceCost(name: string, cost: number, previous: number | null): ServiceCost {
  return {
    name,
    cost: money(round(cost)),
    previous: previous === null ? null : money(round(previous)),
    changePercent: previous ? Math.round(((cost - previous) / previous) * 1000) / 10 : null,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
