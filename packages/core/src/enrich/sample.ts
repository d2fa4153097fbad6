import { money, type Money } from '../event/money.ts';
import type { SpendEvent } from '../event/schema.ts';
import type { Enrichment, ServiceCost } from './types.ts';

const SERVICES = [
  'Amazon Elastic Compute Cloud - Compute',
  'Amazon Relational Database Service',
  'Amazon Simple Storage Service',
  'Amazon CloudWatch',
  'AWS Lambda',
  'Amazon DynamoDB',
  'Amazon Virtual Private Cloud',
  'Elastic Load Balancing',
];
/** Rough shares of the top five services; the rest is `Other`. */
const SHARES = [0.38, 0.2, 0.12, 0.08, 0.05];

/**
 * Plausible cost context for an event, for previews and demos without Cost Explorer. It is
 * deterministic (seeded by the event id) and coherent with the event: month to date matches a
 * monthly budget's actual spend or a billing alarm's estimated charges, five services and
 * `Other` add up to it, so do the daily amounts, and an anomaly's service leads and jumped.
 * @example sampleEnrichment(event).services.reduce((s, x) => s + x.cost.amount, 0) // ≈ monthToDate
 */
export function sampleEnrichment(event: SpendEvent): Enrichment {
  const random = seededRandom(event.id);
  const currency = eventCurrency(event);
  const window = monthWindow(event.occurredAt);
  const mtdCents = Math.max(0, Math.round(monthToDate(event, window, random) * 100));
  const lead = leadService(event);
  const services = splitServices(mtdCents, lead, currency, random, event.kind === 'anomaly');
  const daily = splitDaily(mtdCents, window, random, event.kind === 'anomaly');
  const previousCents = services.reduce((sum, s) => sum + Math.round((s.previous?.amount ?? 0) * 100), 0);

  const forecastAmount =
    event.kind === 'budget' &&
    event.budget.alertType === 'FORECASTED' &&
    event.budget.spend &&
    (event.budget.period ?? 'monthly') === 'monthly'
      ? event.budget.spend.amount
      : (mtdCents / 100 / window.days) * window.daysInMonth;
  const forecast = {
    total: money(forecastAmount, currency),
    lower: money(Math.max(mtdCents / 100, forecastAmount * 0.92), currency),
    upper: money(forecastAmount * 1.1, currency),
  };

  return {
    accountId: event.accountId,
    currency,
    window: { start: window.start, end: window.end },
    monthToDate: money(mtdCents / 100, currency),
    previousPeriod: money(previousCents / 100, currency),
    forecast,
    services,
    daily,
    accounts: null,
    budget: budgetContext(event, money(mtdCents / 100, currency), forecast.total),
    unavailable: null,
  };
}

interface MonthWindow {
  start: string;
  end: string;
  /** Days from the first of the month to the event's day, inclusive. */
  days: number;
  daysInMonth: number;
}

function monthWindow(occurredAt: string): MonthWindow {
  const at = new Date(occurredAt);
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const days = at.getUTCDate();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return {
    start: iso(new Date(Date.UTC(y, m, 1))),
    end: iso(new Date(Date.UTC(y, m, days + 1))),
    days,
    daysInMonth: new Date(Date.UTC(y, m + 1, 0)).getUTCDate(),
  };
}

/** What month to date would plausibly be, given what the event says. */
function monthToDate(event: SpendEvent, w: MonthWindow, random: () => number): number {
  const elapsed = w.days / w.daysInMonth;
  switch (event.kind) {
    case 'budget': {
      const { spend, period, alertType } = event.budget;
      if (!spend) return 200 + random() * 800;
      const perMonth = {
        daily: spend.amount * w.daysInMonth,
        monthly: spend.amount,
        quarterly: spend.amount / 3,
        annually: spend.amount / 12,
      }[period ?? 'monthly'];
      if (period === 'daily') return spend.amount * w.days;
      return alertType === 'ACTUAL' && (period ?? 'monthly') === 'monthly' ? spend.amount : perMonth * elapsed;
    }
    case 'billing-alarm':
      // EstimatedCharges is itself the month-to-date estimate.
      return event.alarm.value ?? event.alarm.threshold ?? 500;
    case 'alarm':
      return 800 + random() * 400;
    case 'anomaly': {
      const actual = event.anomaly.impact.actualSpend?.amount ?? (event.anomaly.impact.total?.amount ?? 300) * 1.5;
      return actual * (2 + random());
    }
    case 'budget-adjustment':
      return event.budgetAdjustment.currentLimit.amount * (0.4 + 0.4 * random()) * elapsed;
    case 'unrecognized':
      return 1000 + random() * 4000;
  }
}

function leadService(event: SpendEvent): string | null {
  if (event.kind === 'anomaly') return event.anomaly.rootCauses.find((c) => c.service)?.service ?? null;
  if (event.kind === 'billing-alarm') return event.alarm.service;
  return null;
}

function splitServices(
  totalCents: number,
  lead: string | null,
  currency: string,
  random: () => number,
  leadJumped: boolean,
): ServiceCost[] {
  // Mostly in the usual order (EC2 first), with neighbours swapping now and then.
  const others = SERVICES.filter((s) => s !== lead)
    .map((name, i) => ({ name, key: i + random() * 2.5 }))
    .sort((a, b) => a.key - b.key)
    .map((s) => s.name);
  const names = [...(lead ? [lead] : []), ...others].slice(0, SHARES.length);
  // ±20% around each share keeps the lead service (38%) above the next (20%) in every draw.
  const cents = SHARES.map((share) => Math.floor(totalCents * share * (0.8 + 0.4 * random())));
  const rows = names.map((name, i) => ({ name, cents: cents[i]! })).sort((a, b) => b.cents - a.cents);
  rows.push({ name: 'Other', cents: totalCents - cents.reduce((a, b) => a + b, 0) });
  return rows.map(({ name, cents: c }, i) => {
    const change = i === 0 && leadJumped ? 120 + random() * 180 : -25 + random() * 85;
    const previousCents = Math.round(c / (1 + change / 100));
    return {
      name,
      cost: money(c / 100, currency),
      previous: money(previousCents / 100, currency),
      changePercent: previousCents === 0 ? null : Math.round(((c - previousCents) / previousCents) * 1000) / 10,
    };
  });
}

function splitDaily(
  totalCents: number,
  w: MonthWindow,
  random: () => number,
  spikeAtEnd: boolean,
): Enrichment['daily'] {
  const weights = Array.from({ length: w.days }, (_, d) => {
    const base = 1 + 0.2 * Math.sin(d * 1.3) + 0.15 * random() + d * 0.01;
    return spikeAtEnd && d >= w.days - 2 ? base * 3 : base;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const cents = weights.map((x) => Math.floor((totalCents * x) / sum));
  cents[cents.length - 1]! += totalCents - cents.reduce((a, b) => a + b, 0);
  const start = Date.parse(`${w.start}T00:00:00Z`);
  return cents.map((c, d) => ({ date: new Date(start + d * 86_400_000).toISOString().slice(0, 10), amount: c / 100 }));
}

function budgetContext(event: SpendEvent, mtd: Money, forecast: Money): Enrichment['budget'] {
  if (event.kind === 'budget-adjustment')
    return { limit: event.budgetAdjustment.currentLimit, actual: mtd, forecasted: forecast, timeUnit: 'MONTHLY' };
  if (event.kind !== 'budget' || !event.budget.limit) return null;
  const { limit, spend, alertType, period } = event.budget;
  const monthly = (period ?? 'monthly') === 'monthly';
  return {
    limit,
    actual: alertType === 'ACTUAL' ? spend : monthly ? mtd : null,
    forecasted: alertType === 'FORECASTED' ? spend : monthly ? forecast : null,
    timeUnit: period ? period.toUpperCase() : null,
  };
}

function eventCurrency(event: SpendEvent): string {
  switch (event.kind) {
    case 'budget':
      return event.budget.spend?.currency ?? event.budget.limit?.currency ?? 'USD';
    case 'billing-alarm':
      return event.alarm.currency ?? 'USD';
    case 'anomaly':
      return event.anomaly.impact.total?.currency ?? 'USD';
    case 'budget-adjustment':
      return event.budgetAdjustment.currentLimit.currency;
    default:
      return 'USD';
  }
}

/** mulberry32, seeded from the event id: the same event always gets the same sample. */
function seededRandom(seed: string): () => number {
  let a = hash(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
