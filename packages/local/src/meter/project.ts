/**
 * A month's bill at any number of alerts, from two metered runs of the local pipeline on one config:
 * a month without alerts (what the schedules, the heartbeat and empty digests cost) and a month of
 * sample alerts. What one alert adds is the difference, divided by the sample's alerts; Cost Explorer,
 * which does not grow with alerts but with refresh windows, is modelled from the windows alerts touch.
 */
import type { Config } from '@spend-alerts/core';
import { type Bill, buildBill } from './bill.ts';
import type { MonthModel } from './model.ts';
import { DAYS_PER_MONTH } from './model.ts';
import type { UsageRecord } from './usage.ts';
import { ceRefreshes } from './wire.ts';

export interface MeteredMonth {
  records: UsageRecord[];
  storedBytes: number;
  /** Alerts published to the topic in the month. */
  alerts: number;
}

/**
 * Whether a source's usage grows with alerts: the consumers' and the topic's do; the schedules'
 * (the digest job, the watchdog) run as often whatever comes, and are taken from the month with alerts.
 */
const growsWithAlerts = (source: string) => source.startsWith('consumer:') || source === 'aws' || source === 'other';

/**
 * What one alert adds, per record key, source and detail: the sample minus the idle month's share
 * (`fraction` of a month: a whole one for a month of samples, less for a busy stretch), over the
 * sample's alerts.
 */
export function perAlert(idle: MeteredMonth, sample: MeteredMonth, fraction = 1): UsageRecord[] {
  if (sample.alerts <= 0) throw new Error('the sample published no alert: nothing to divide by');
  const id = (r: UsageRecord) => `${r.key}\u0000${r.source}\u0000${r.detail}`;
  const base = new Map(idle.records.map((r) => [id(r), r.quantity * fraction]));
  const out: UsageRecord[] = [];
  for (const r of sample.records) {
    if (r.key === 'costExplorer.requests' || !growsWithAlerts(r.source)) continue; // modelled, or fixed
    const extra = r.quantity - (base.get(id(r)) ?? 0);
    if (extra > 0) out.push({ ...r, quantity: extra / sample.alerts });
  }
  return out;
}

/** Cost Explorer's pages per refresh of a few days, from a metered month (the first fill of the history apart). */
export function pagesPerRefresh(records: UsageRecord[]): { steady: number; firstFill: number } {
  const stats = ceRefreshes(records.filter((r) => r.key === 'costExplorer.requests'));
  const steady = stats.filter((s) => s.days <= 3);
  const fills = stats.filter((s) => s.days > 3);
  const refreshes = steady.reduce((n, s) => n + s.refreshes, 0);
  return {
    steady: refreshes ? steady.reduce((n, s) => n + s.pages, 0) / refreshes : 1,
    firstFill: fills.reduce((n, s) => n + s.pages, 0),
  };
}

/**
 * Refreshes in a month: one per window (`enrichment.cacheTtl`) that an alert or a digest with alerts
 * falls in, with alerts spread at random over the month (a window gets none with probability
 * e^(-alerts per window)).
 */
export function refreshesPerMonth(alerts: number, digestSendsWithAlerts: number, windowMs: number): number {
  const windows = Math.max(1, Math.floor((DAYS_PER_MONTH * 86_400_000) / windowMs));
  const triggers = alerts + digestSendsWithAlerts;
  return triggers <= 0 ? 0 : windows * (1 - Math.exp(-triggers / windows));
}

/** How many digests a month go out with alerts in them, at `alerts` a month spread over it. */
export function digestSendsWithAlerts(config: Config, alerts: number): number {
  let sends = 0;
  for (const r of config.receivers) {
    if (r.type === 'webhook' || r.mode !== 'digest') continue;
    const periods = r.digest?.every === 'week' ? DAYS_PER_MONTH / 7 : DAYS_PER_MONTH;
    sends += periods * (1 - Math.exp(-alerts / periods));
  }
  return sends;
}

export interface ProjectionInputs {
  config: Config;
  model: MonthModel;
  idle: MeteredMonth;
  /** A month of the simulated account's alerts: the schedules' usage, Cost Explorer's pages, storage. */
  sample: MeteredMonth;
  /** What one alert adds at this volume (default: the sample month's, see {@link perAlert}). */
  perAlert?: UsageRecord[];
  alertsPerMonth: number;
}

/** The bill of a month of `alertsPerMonth` alerts. */
export function projectBill({
  config,
  model,
  idle,
  sample,
  perAlert: profile,
  alertsPerMonth: n,
}: ProjectionInputs): Bill {
  const scaled = (profile ?? perAlert(idle, sample)).map((r) => ({ ...r, quantity: r.quantity * n }));
  // The schedules' own usage: as in the idle month without alerts, as in the sample month with them.
  const fixed = (n === 0 ? idle : sample).records.filter((r) => !growsWithAlerts(r.source));
  const records = [...idle.records.filter((r) => growsWithAlerts(r.source)), ...fixed, ...scaled].filter(
    (r) => r.key !== 'costExplorer.requests',
  );
  const pages = pagesPerRefresh(sample.records);
  const refreshes = config.enrichment.enabled
    ? refreshesPerMonth(n, digestSendsWithAlerts(config, n), config.enrichment.cacheTtl)
    : 0;
  const requests = Math.min(config.enrichment.maxRequestsPerMonth, refreshes * pages.steady);
  const storedPerAlert = Math.max(0, sample.storedBytes - idle.storedBytes) / sample.alerts;
  return buildBill({
    records,
    storedBytes: idle.storedBytes + storedPerAlert * n,
    model,
    overrides: {
      'costExplorer.requests': {
        count: requests,
        basis: 'modelled',
        note:
          `${refreshes.toFixed(1)} refreshes (a window of ${config.enrichment.cacheTtl / 3_600_000} h with an alert or a digest in it) × ` +
          `${pages.steady.toFixed(2)} pages each as metered, at most enrichment.maxRequestsPerMonth ` +
          `(${config.enrichment.maxRequestsPerMonth}); the first month after deploying adds ${pages.firstFill} pages to fill the history`,
      },
    },
  });
}
