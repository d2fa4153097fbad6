/**
 * GetCostAndUsage and GetDimensionValues over the spend model. Data exists only for days before
 * the simulated today (the lag rule of sim/spend-model.ts): days from today on are left out, so a
 * month-to-date query answers exactly what that day's Budgets notification states.
 */
import { addDays, daysIn, monthStart, nextMonthStart } from '../sim/calendar.ts';
import type { SimAccount, SimService } from '../sim/catalog.ts';
import { centsToAmount } from '../sim/cents.ts';
import { hash32 } from '../sim/prng.ts';
import type { CellMatch, SpendModel } from '../sim/spend-model.ts';
import {
  compileFilter,
  dimensionValue,
  readGroupBy,
  type Grouping,
  type SimDimension,
} from './cost-explorer-filter.ts';
import { AwsServiceError, invalid, readEnum, readTimePeriod } from './cost-explorer-protocol.ts';

/** What every Cost Explorer operation needs to know about the simulated world. */
export interface CostExplorerContext {
  model: SpendModel;
  /** The simulated day (UTC); its own costs are not known yet. */
  today: string;
  /** Groups (or ungrouped periods) per GetCostAndUsage page. */
  pageSize: number;
  /** Accounts Cost Explorer has no data for, beyond those the model creates later. */
  noData: ReadonlySet<string>;
}

/**
 * The cost metrics, by the spelling-insensitive form of their names. The simulated organization
 * buys no reservations, gets no credits and has one payer, so every cost metric is the same amount.
 */
const COST_METRICS = new Set(['unblendedcost', 'blendedcost', 'netunblendedcost', 'amortizedcost', 'netamortizedcost']);
const USAGE_METRICS = new Set(['usagequantity', 'normalizedusageamount']);

/** Normalizes `UnblendedCost`, `UNBLENDED_COST` and `unblended_cost` alike. */
export function metricKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

interface Cell {
  account: SimAccount;
  service: SimService;
}

/** The cells a filter picks, among accounts that have data on `day`. */
function cellsWithData(ctx: CostExplorerContext, match: CellMatch, day: string): Cell[] {
  return ctx.model.accounts.flatMap((account) =>
    ctx.noData.has(account.id) || !ctx.model.hasData(account.id, day)
      ? []
      : ctx.model.services.filter((service) => match(account, service)).map((service) => ({ account, service })),
  );
}

/**
 * Raises DataUnavailableException when the filter picks only accounts Cost Explorer knows nothing
 * about yet (created today in the simulation, or configured so), as the real service does for new accounts.
 */
export function assertDataAvailable(ctx: CostExplorerContext, match: CellMatch, lastDay: string): void {
  const inScope = ctx.model.accounts.filter((a) => ctx.model.services.some((s) => match(a, s)));
  if (inScope.length === 0) return;
  if (inScope.every((a) => ctx.noData.has(a.id) || !ctx.model.hasData(a.id, lastDay))) {
    throw new AwsServiceError(
      'DataUnavailableException',
      `Data is not available for the requested account${inScope.length > 1 ? 's' : ''} ${inScope.map((a) => a.id).join(', ')}`,
    );
  }
}

type MetricValues = Record<string, { Amount: string; Unit: string }>;
interface ResultByTime {
  TimePeriod: { Start: string; End: string };
  Total: MetricValues;
  Groups: Array<{ Keys: string[]; Metrics: MetricValues }>;
  Estimated: boolean;
}

/** Answers GetCostAndUsage, one page at a time. */
export function getCostAndUsage(ctx: CostExplorerContext, input: Record<string, unknown>): Record<string, unknown> {
  const { start, end } = readTimePeriod(input.TimePeriod);
  const granularity = readEnum(input.Granularity, 'Granularity', ['DAILY', 'MONTHLY', 'HOURLY'] as const);
  if (granularity === 'HOURLY') invalid('Hourly granularity is not enabled for this account');
  const metrics = readMetrics(input.Metrics);
  const match = compileFilter(input.Filter);
  const groupings = readGroupBy(input.GroupBy);
  const known = earlierDay(end, ctx.today); // the first day without data
  if (start < known) assertDataAvailable(ctx, match, addDays(known, -1));

  const results: ResultByTime[] = periods(start, end, known, granularity).map(({ from, to, dataEnd }) => {
    const sums = new Map<string, { keys: string[]; cents: number }>();
    let total = 0;
    for (const day of daysIn(from, dataEnd)) {
      for (const { account, service } of cellsWithData(ctx, match, day)) {
        const cents = ctx.model.cellCents(day, account.id, service.name);
        if (cents === 0) continue;
        total += cents;
        if (!groupings.length) continue;
        const keys = groupings.map((g) => g.keyOf(account, service));
        const id = keys.join('\u0000');
        const entry = sums.get(id) ?? { keys, cents: 0 };
        entry.cents += cents;
        sums.set(id, entry);
      }
    }
    const groups = [...sums.values()]
      .sort((a, b) => compareKeys(a.keys, b.keys))
      .map((g) => ({ Keys: g.keys, Metrics: metricValues(metrics, g.cents) }));
    return {
      TimePeriod: { Start: from, End: to },
      // With GroupBy, Cost Explorer leaves Total empty and puts the amounts in Groups.
      Total: groupings.length ? {} : metricValues(metrics, total),
      Groups: groups,
      Estimated: to > monthStart(ctx.today),
    };
  });

  const { page, next } = paginate(results, groupings.length > 0, input, ctx.pageSize);
  return {
    ...(next ? { NextPageToken: next } : {}),
    ...(groupings.length ? { GroupDefinitions: groupings.map((g) => ({ Type: g.type, Key: g.key })) } : {}),
    ResultsByTime: page,
    DimensionValueAttributes: accountAttributes(ctx, page, groupings),
  };
}

/** The result periods in `[start, end)`; sums stop at `known` (today), days after it are left out. */
function periods(start: string, end: string, known: string, granularity: 'DAILY' | 'MONTHLY') {
  if (granularity === 'DAILY')
    return daysIn(start, known).map((day) => ({ from: day, to: addDays(day, 1), dataEnd: addDays(day, 1) }));
  const out: Array<{ from: string; to: string; dataEnd: string }> = [];
  // A monthly period keeps the requested bounds (clipped to the month) even when only part of it has data.
  for (let from = start; from < end && from < known; from = nextMonthStart(from)) {
    const to = nextMonthStart(from) < end ? nextMonthStart(from) : end;
    out.push({ from, to, dataEnd: to < known ? to : known });
  }
  return out;
}

function readMetrics(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) invalid('Metrics is required for GetCostAndUsage requests');
  for (const m of value) {
    if (typeof m !== 'string') invalid('Metrics must be strings');
    if (USAGE_METRICS.has(metricKey(m)))
      invalid(`Metric ${m} is not supported by the local Cost Explorer (it simulates costs, not usage)`);
    if (!COST_METRICS.has(metricKey(m))) invalid(`Invalid metric: ${m}`);
  }
  return value as string[];
}

/** Amounts keyed by the metric names exactly as the request spelled them. */
function metricValues(metrics: string[], cents: number): MetricValues {
  return Object.fromEntries(metrics.map((m) => [m, { Amount: centsToAmount(cents), Unit: 'USD' }]));
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/**
 * Splits the results into pages of at most `size` groups (or ungrouped periods). A period whose
 * groups straddle a page boundary appears on both pages, each with its share of the groups, so a
 * client must merge pages by TimePeriod rather than assume one entry per period.
 */
function paginate(
  results: ResultByTime[],
  grouped: boolean,
  input: Record<string, unknown>,
  size: number,
): { page: ResultByTime[]; next: string | null } {
  type Unit = { i: number; g: ResultByTime['Groups'][number] | null };
  const units = results.flatMap((r, i): Unit[] =>
    grouped && r.Groups.length ? r.Groups.map((g) => ({ i, g })) : [{ i, g: null }],
  );
  const fingerprint = requestFingerprint(input);
  const offset = readPageToken(input.NextPageToken, fingerprint);
  const slice = units.slice(offset, offset + size);
  const page: ResultByTime[] = [];
  let last = -1;
  for (const { i, g } of slice) {
    if (i !== last) page.push({ ...results[i]!, TimePeriod: { ...results[i]!.TimePeriod }, Groups: [] });
    last = i;
    if (g) page[page.length - 1]!.Groups.push(g);
  }
  const nextOffset = offset + size;
  return {
    page,
    next:
      nextOffset < units.length
        ? Buffer.from(JSON.stringify({ o: nextOffset, f: fingerprint })).toString('base64url')
        : null,
  };
}

/** A page token is only good for the request it came from. */
function requestFingerprint(input: Record<string, unknown>): number {
  const { NextPageToken: _ignored, ...rest } = input;
  return hash32(JSON.stringify(rest));
}

function readPageToken(token: unknown, fingerprint: number): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o > 0 && parsed.f === fingerprint)
      return parsed.o;
  } catch {
    // fall through: a token that does not parse is as invalid as one from another request
  }
  throw new AwsServiceError('InvalidNextTokenException', 'The pagination token is invalid');
}

/** Account names for the accounts a LINKED_ACCOUNT grouping shows on this page. */
function accountAttributes(ctx: CostExplorerContext, page: ResultByTime[], groupings: Grouping[]) {
  const index = groupings.findIndex((g) => g.type === 'DIMENSION' && g.key === 'LINKED_ACCOUNT');
  if (index < 0) return [];
  const ids = new Set(page.flatMap((r) => r.Groups.map((g) => g.Keys[index]!)));
  return [...ids].sort().map((id) => ({ Value: id, Attributes: { description: ctx.model.accountName(id) ?? id } }));
}

/** Answers GetDimensionValues: the values with any cost in the period (before today), optionally searched. */
export function getDimensionValues(ctx: CostExplorerContext, input: Record<string, unknown>): Record<string, unknown> {
  const { start, end } = readTimePeriod(input.TimePeriod);
  const dimension = readEnum(input.Dimension, 'Dimension', [
    'LINKED_ACCOUNT',
    'SERVICE',
    'RECORD_TYPE',
  ] as const satisfies readonly SimDimension[]);
  if (input.Context !== undefined && input.Context !== 'COST_AND_USAGE')
    invalid(`Context ${JSON.stringify(input.Context)} is not supported by the local Cost Explorer`);
  const match = compileFilter(input.Filter);
  const search = typeof input.SearchString === 'string' ? input.SearchString.toLowerCase() : '';
  const known = earlierDay(end, ctx.today);
  const values = new Map<string, Record<string, string>>();
  for (const day of daysIn(start, known)) {
    for (const { account, service } of cellsWithData(ctx, match, day)) {
      if (ctx.model.cellCents(day, account.id, service.name) === 0) continue;
      const value = dimensionValue(dimension, account, service);
      const attributes: Record<string, string> = dimension === 'LINKED_ACCOUNT' ? { description: account.name } : {};
      const text = `${value} ${attributes.description ?? ''}`.toLowerCase();
      if (!search || text.includes(search)) values.set(value, attributes);
    }
  }
  const list = [...values.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([Value, Attributes]) => ({ Value, Attributes }));
  return { DimensionValues: list, ReturnSize: list.length, TotalSize: list.length };
}

/** The earlier of two ISO days (they compare as strings). */
function earlierDay(a: string, b: string): string {
  return a < b ? a : b;
}
