/**
 * Digests for tests: a day in May 2026 in Berlin, a coherent month of costs, two budgets, and
 * events from the real normalizer, some carrying markup and Slack mentions in every field a
 * message controls.
 */
import { anomalyJson, billingAlarmJson, budgetText, eventOf } from '../channels/test-messages.ts';
import { DigestScheduleSchema } from '../config/primitives.ts';
import type { Enrichment } from '../enrich/types.ts';
import { money } from '../event/money.ts';
import type { SpendEvent } from '../event/schema.ts';
import { buildDigest, type BuildDigestInput, type Digest, type DigestBudgetInput } from './build.ts';
import { latestDigestPeriod } from './period.ts';

export const SCHEDULE = DigestScheduleSchema.parse({ every: 'day', hour: 8, timeZone: 'Europe/Berlin' });
/** day:2026-05-14@Europe/Berlin, sent 2026-05-15 08:00 local. */
export const PERIOD = latestDigestPeriod(SCHEDULE, new Date('2026-05-15T06:05:00Z'));

/** Markup, a script, Slack mentions and an entity: what no rendered digest may pass through raw. */
export const HOSTILE = '<script>alert(1)</script> <!channel> <@U123ABC> & <img src=x onerror=alert(2)>';

export const BUDGETS: DigestBudgetInput[] = [
  {
    spec: {
      name: 'monthly-total',
      limit: 12000,
      period: 'monthly',
      notifications: [{ type: 'ACTUAL', thresholdPercent: 80 }],
    },
  },
  {
    spec: {
      name: 'data-lake-monthly',
      limit: 3000,
      period: 'monthly',
      account: '222222222222',
      notifications: [{ type: 'ACTUAL', thresholdPercent: 80 }],
    },
  },
];

/** Fourteen days of May at about $420 a day: $5,860 to date, forecast $13,020 (108.5% of monthly-total). */
export function enrichment(overrides: Partial<Enrichment> = {}): Enrichment {
  const daily = Array.from({ length: 14 }, (_, i) => ({
    date: `2026-05-${String(i + 1).padStart(2, '0')}`,
    amount: 400 + (i % 3) * 20,
  }));
  const mtd = daily.reduce((s, d) => s + d.amount, 0);
  const svc = (name: string, cost: number, previous: number) => ({
    name,
    cost: money(cost),
    previous: money(previous),
    changePercent: Math.round(((cost - previous) / previous) * 1000) / 10,
  });
  return {
    accountId: '123456789012',
    currency: 'USD',
    window: { start: '2026-05-01', end: '2026-05-15' },
    monthToDate: money(mtd),
    previousPeriod: money(5000),
    forecast: { total: money(13020), lower: money(12000), upper: money(14000) },
    services: [
      svc('Amazon Elastic Compute Cloud - Compute', 2500, 2000),
      svc('Amazon Relational Database Service', 1400, 1500),
      svc('Amazon Simple Storage Service', 900, 600),
      svc('AWS Lambda', 480, 500),
      svc('Amazon CloudWatch', 300, 250),
      svc('Other', mtd - 5580, 150),
    ],
    daily,
    accounts: [{ id: '222222222222', name: 'data-lake', cost: money(2700) }],
    budget: null,
    unavailable: null,
    ...overrides,
  };
}

/** A budget alert, a billing alarm and an anomaly, of ordinary content. */
export function plainEvents(): SpendEvent[] {
  return [
    eventOf(budgetText({ name: 'web', amount: '$560.00', limit: '$500.00' })),
    eventOf(billingAlarmJson({ service: 'AmazonEC2' })),
    eventOf(anomalyJson()),
  ];
}

/** Events whose names, services and reasons carry {@link HOSTILE}, and a console link that is a script. */
export function hostileEvents(): SpendEvent[] {
  const budget = eventOf(budgetText({ name: HOSTILE }));
  return [
    { ...budget, consoleUrl: 'javascript:alert(3)' },
    eventOf(anomalyJson({ service: HOSTILE, linkedAccountName: HOSTILE })),
    eventOf(billingAlarmJson({ name: 'alarm-<!here>', reason: HOSTILE })),
    eventOf(`${HOSTILE}\n`),
  ];
}

export function digestOf(overrides: Partial<BuildDigestInput> = {}): Digest {
  return buildDigest({
    receiver: 'finops-digest',
    period: PERIOD,
    events: plainEvents(),
    enrichment: enrichment(),
    budgets: BUDGETS,
    ...overrides,
  });
}
