import { resolve } from 'node:path';
import { type Bill, type BillItem, fmt } from '@spend-alerts/local/meter/bill.ts';
import { estimateMonthlyBill } from '@spend-alerts/local/meter/estimate.ts';
import type { Command } from '../command.ts';
import { readConfig } from '../config.ts';
import { CliError } from '../io.ts';

const DEFAULT_ALERTS = 1000;

export const costCommand: Command = {
  name: 'cost',
  summary: "What a config's pipeline costs a month in AWS, idle and at N alerts, measured on the local pipeline.",
  usage: 'spend-alerts cost [--config FILE] [--alerts-per-month N[,N…]] [--json] [--month-seconds S]',
  details: `Runs the local pipeline twice on the config, metered (about a minute): a simulated month
without alerts, then a month of the simulated account's alerts. Prints, per price dimension, what a
month costs idle and at each N: the counts metered on the local stand-ins (what one alert adds is the
difference between the two months over the sample's alerts) and, where a local run cannot see, modelled
from the spec with the rate it says (the event source mappings' polling, the schedules, Cost Explorer's
refresh windows). us-east-1 list prices without free tier; your own billing alarms and budgets apart.

options:
  --alerts-per-month N  alerts a month to price (default ${DEFAULT_ALERTS}; several: 1000,100000)
  --json                one JSON object: every bill, with every item
  --month-seconds S     real seconds each simulated month takes (default 20)`,
  options: {
    config: { type: 'string' },
    'alerts-per-month': { type: 'string' },
    json: { type: 'boolean' },
    'month-seconds': { type: 'string' },
  },
  async run({ values }, io) {
    const counts = String(values['alerts-per-month'] ?? DEFAULT_ALERTS)
      .split(',')
      .map((s) => Number(s.replace(/_/g, '')));
    if (!counts.every((n) => Number.isInteger(n) && n >= 0))
      throw new CliError(`--alerts-per-month takes whole numbers, not "${values['alerts-per-month']}"`);
    const seconds = values['month-seconds'] === undefined ? 20 : Number(values['month-seconds']);
    if (!(seconds > 0))
      throw new CliError(`--month-seconds must be a positive number, not "${values['month-seconds']}"`);
    // Validated here, so that an invalid config is refused before anything starts.
    const { path } = await readConfig(io, values.config);
    const estimate = await estimateMonthlyBill({
      configPath: resolve(io.cwd, path),
      alertsPerMonth: counts,
      monthSeconds: seconds,
      onProgress: (step) => io.stderr(`spend-alerts cost: metering ${step}…\n`),
    });
    if (values.json) {
      io.stdout(`${JSON.stringify({ config: path, sampleAlerts: estimate.sample.alerts, bills: estimate.bills })}\n`);
      return 0;
    }
    io.stdout(renderBills(path, estimate.sample.alerts, estimate.bills));
    return 0;
  },
};

/** The bills side by side: one row per item, one column per alert volume. */
export function renderBills(
  path: string,
  sampleAlerts: number,
  bills: Array<{ alertsPerMonth: number; bill: Bill }>,
): string {
  const first = bills[0]!.bill;
  const heads = bills.map((b) =>
    b.alertsPerMonth === 0 ? 'idle' : `${b.alertsPerMonth.toLocaleString('en-US')} alerts`,
  );
  const rows = first.items.map((item, i) => [item.label, item.basis, ...bills.map((b) => fmt(b.bill.items[i]!.usd))]);
  const width = [
    Math.max(...rows.map((r) => r[0]!.length), 4),
    8,
    ...heads.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i + 2]!.length))),
  ];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(width[i]!) : c.padStart(width[i]!)))
      .join('  ')
      .trimEnd();
  const totals = ['total', '', ...bills.map((b) => fmt(b.bill.usd))];
  const apart = first.listedApart.filter((i) => i.count > 0);
  return [
    `spend-alerts cost: ${path}, prices of ${first.pricesAsOf} (${first.region}, list price, no free tier)`,
    `measured on the local pipeline: a month without alerts and a month of ${sampleAlerts} sample alerts`,
    '',
    line(['item', 'basis', ...heads]),
    ...rows.map(line),
    line(totals),
    '',
    ...(apart.length ? [`listed apart, your own resources: ${apart.map(describeApart).join('; ')}`] : []),
    ...notes(first, bills.at(-1)!.bill),
    '',
  ].join('\n');
}

function describeApart(item: BillItem): string {
  return `${item.label} × ${item.count}: ${fmt(item.usd)}`;
}

/** The modelled items' notes, once each. */
function notes(idle: Bill, busiest: Bill): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of [...busiest.items, ...idle.items]) {
    if (item.basis !== 'modelled' || !item.note || seen.has(item.item)) continue;
    seen.add(item.item);
    out.push(`- ${item.label}: ${item.note}`);
  }
  return out.length ? ['', 'modelled:', ...out] : [];
}
