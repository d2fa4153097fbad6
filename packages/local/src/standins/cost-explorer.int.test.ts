import {
  CostExplorerServiceException,
  DataUnavailableException,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  InvalidNextTokenException,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysIn } from '../sim/calendar.ts';
import { DEFAULT_ACCOUNTS, EC2_COMPUTE, PAYER_ACCOUNT_ID } from '../sim/catalog.ts';
import { amountToCents } from '../sim/cents.ts';
import { createSpendModel } from '../sim/spend-model.ts';
import { paginateGetCostAndUsage, startHarness, type StandInHarness } from './cost-explorer-testkit.ts';

const PRODUCTION = '111111111111';
const DATA_LAKE = '222222222222';
const SANDBOX = '333333333333';
const model = createSpendModel({ month: '2026-06' });
const TODAY = '2026-06-20';

let h: StandInHarness;
beforeAll(async () => {
  h = await startHarness({ model, now: `${TODAY}T10:00:00Z`, noDataAccounts: ['444444444444'] });
});
afterAll(() => h.close());

const usage = (input: Partial<GetCostAndUsageCommandInput>) =>
  h.ce.send(
    new GetCostAndUsageCommand({
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      TimePeriod: { Start: '2026-06-01', End: TODAY },
      ...input,
    }),
  );
const cents = (amount: string | undefined) => amountToCents(amount ?? 'missing');
const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected an error'),
    (e: unknown) => e as CostExplorerServiceException,
  );

describe('GetCostAndUsage', () => {
  it('answers month-to-date as strings in USD, keyed by the metric names as requested', async () => {
    const out = await usage({ Metrics: ['UnblendedCost', 'BlendedCost', 'NET_UNBLENDED_COST'] });
    expect(out.ResultsByTime).toHaveLength(1);
    const [result] = out.ResultsByTime!;
    expect(result!.TimePeriod).toEqual({ Start: '2026-06-01', End: TODAY });
    expect(result!.Estimated).toBe(true);
    expect(result!.Groups).toEqual([]);
    expect(Object.keys(result!.Total!)).toEqual(['UnblendedCost', 'BlendedCost', 'NET_UNBLENDED_COST']);
    expect(result!.Total!.UnblendedCost).toEqual({ Amount: expect.stringMatching(/^\d+\.\d{2}$/), Unit: 'USD' });
    expect(cents(result!.Total!.UnblendedCost!.Amount)).toBe(model.monthToDate(TODAY));
    expect(out.NextPageToken).toBeUndefined();
  });

  it('treats End as exclusive: three days from the 10th end on the 13th', async () => {
    const out = await usage({ Granularity: 'DAILY', TimePeriod: { Start: '2026-06-10', End: '2026-06-13' } });
    expect(out.ResultsByTime!.map((r) => r.TimePeriod)).toEqual([
      { Start: '2026-06-10', End: '2026-06-11' },
      { Start: '2026-06-11', End: '2026-06-12' },
      { Start: '2026-06-12', End: '2026-06-13' },
    ]);
    expect(out.ResultsByTime!.map((r) => cents(r.Total!.UnblendedCost!.Amount))).toEqual(
      ['2026-06-10', '2026-06-11', '2026-06-12'].map((d) => model.costBetween(d, addDays(d, 1))),
    );
  });

  it('has data only for days before the simulated today', async () => {
    const daily = await usage({ Granularity: 'DAILY', TimePeriod: { Start: '2026-06-15', End: '2026-06-25' } });
    expect(daily.ResultsByTime!.map((r) => r.TimePeriod!.Start)).toEqual(daysIn('2026-06-15', TODAY));
    const month = await usage({ TimePeriod: { Start: '2026-06-01', End: '2026-07-01' } });
    expect(month.ResultsByTime!.map((r) => r.TimePeriod)).toEqual([{ Start: '2026-06-01', End: '2026-07-01' }]);
    expect(cents(month.ResultsByTime![0]!.Total!.UnblendedCost!.Amount)).toBe(model.monthToDate(TODAY));
    expect(
      (await usage({ Granularity: 'DAILY', TimePeriod: { Start: '2026-06-25', End: '2026-06-30' } })).ResultsByTime,
    ).toEqual([]);
  });

  it('splits MONTHLY periods at month boundaries and marks only the current month estimated', async () => {
    const out = await usage({ TimePeriod: { Start: '2026-04-15', End: TODAY } });
    expect(out.ResultsByTime!.map((r) => [r.TimePeriod!.Start, r.TimePeriod!.End, r.Estimated])).toEqual([
      ['2026-04-15', '2026-05-01', false],
      ['2026-05-01', '2026-06-01', false],
      ['2026-06-01', TODAY, true],
    ]);
    expect(cents(out.ResultsByTime![1]!.Total!.UnblendedCost!.Amount)).toBe(
      model.costBetween('2026-05-01', '2026-06-01'),
    );
  });

  it('groups by SERVICE and LINKED_ACCOUNT, with account names and an empty Total', async () => {
    const out = await usage({
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
    });
    const [result] = out.ResultsByTime!;
    expect(result!.Total).toEqual({});
    expect(out.GroupDefinitions).toEqual([
      { Type: 'DIMENSION', Key: 'SERVICE' },
      { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
    ]);
    const ec2Lake = result!.Groups!.find((g) => g.Keys![0] === EC2_COMPUTE && g.Keys![1] === DATA_LAKE)!;
    expect(cents(ec2Lake.Metrics!.UnblendedCost!.Amount)).toBe(
      model.monthToDate(TODAY, { account: DATA_LAKE, service: EC2_COMPUTE }),
    );
    expect(result!.Groups!.reduce((s, g) => s + cents(g.Metrics!.UnblendedCost!.Amount), 0)).toBe(
      model.monthToDate(TODAY),
    );
    expect(
      result!.Groups!.some((g) => g.Keys![0] === 'Amazon Relational Database Service' && g.Keys![1] === SANDBOX),
    ).toBe(false); // no cost, no group
    expect(out.DimensionValueAttributes).toEqual(
      DEFAULT_ACCOUNTS.map((a) => ({ Value: a.id, Attributes: { description: a.name } })).sort((a, b) =>
        a.Value < b.Value ? -1 : 1,
      ),
    );
  });

  it('groups by a cost allocation tag, keyed `tag$value`, untagged as `tag$`', async () => {
    const out = await usage({ GroupBy: [{ Type: 'TAG', Key: 'team' }] });
    const groups = Object.fromEntries(
      out.ResultsByTime![0]!.Groups!.map((g) => [g.Keys![0], cents(g.Metrics!.UnblendedCost!.Amount)]),
    );
    expect(Object.keys(groups).sort()).toEqual(['team$', 'team$data', 'team$platform']);
    expect(groups.team$data).toBe(model.monthToDate(TODAY, { account: DATA_LAKE }));
    expect(groups.team$).toBe(model.monthToDate(TODAY, { account: PAYER_ACCOUNT_ID }));
    expect(out.DimensionValueAttributes).toEqual([]);
  });

  it('filters by Dimensions, And, Or and Not', async () => {
    const total = async (Filter: GetCostAndUsageCommandInput['Filter']) =>
      cents((await usage({ Filter })).ResultsByTime![0]!.Total!.UnblendedCost!.Amount);
    const mtd = (match: Parameters<typeof model.costWhere>[2]) => model.costWhere('2026-06-01', TODAY, match);
    expect(await total({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PRODUCTION, SANDBOX] } })).toBe(
      mtd((a) => a.id === PRODUCTION || a.id === SANDBOX),
    );
    expect(await total({ Dimensions: { Key: 'SERVICE', Values: [EC2_COMPUTE, 'EC2 - Other'] } })).toBe(
      model.monthToDate(TODAY, { service: 'AmazonEC2' }),
    );
    expect(
      await total({
        And: [
          { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [DATA_LAKE] } },
          { Not: { Dimensions: { Key: 'SERVICE', Values: [EC2_COMPUTE] } } },
        ],
      }),
    ).toBe(mtd((a, s) => a.id === DATA_LAKE && s.name !== EC2_COMPUTE));
    expect(
      await total({
        Or: [{ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [SANDBOX] } }, { Tags: { Key: 'team', Values: ['data'] } }],
      }),
    ).toBe(mtd((a) => a.id === SANDBOX || a.id === DATA_LAKE));
    expect(await total({ Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund'] } } })).toBe(
      model.monthToDate(TODAY),
    );
    expect(await total({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['555555555555'] } })).toBe(0); // an account with no costs
  });

  it('paginates: two accounts, a month of days, grouped by service span several pages that add up', async () => {
    const input: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: '2026-05-01', End: '2026-06-01' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PRODUCTION, DATA_LAKE] } },
    };
    const before = h.standIn.requests.length;
    const pages: GetCostAndUsageCommandOutput[] = [];
    for await (const page of paginateGetCostAndUsage({ client: h.ce }, { ...input })) pages.push(page);
    expect(pages.length).toBeGreaterThan(2);
    expect(h.standIn.requests.length - before).toBe(pages.length); // each page is a billed request
    for (const page of pages)
      expect(page.ResultsByTime!.reduce((n, r) => n + r.Groups!.length, 0)).toBeLessThanOrEqual(100);
    // Merged by period, as a client must: a day's groups may straddle two pages.
    const byDay = new Map<string, number>();
    for (const r of pages.flatMap((p) => p.ResultsByTime!)) {
      byDay.set(
        r.TimePeriod!.Start!,
        (byDay.get(r.TimePeriod!.Start!) ?? 0) +
          r.Groups!.reduce((s, g) => s + cents(g.Metrics!.UnblendedCost!.Amount), 0),
      );
    }
    const starts = pages.flatMap((p) => p.ResultsByTime!.map((r) => r.TimePeriod!.Start));
    expect(starts.length).toBeGreaterThan(byDay.size);
    expect([...byDay.keys()]).toEqual(daysIn('2026-05-01', '2026-06-01'));
    for (const [day, sum] of byDay)
      expect(sum).toBe(model.costWhere(day, addDays(day, 1), (a) => a.id === PRODUCTION || a.id === DATA_LAKE));
  });

  it('rejects a page token from another request with the typed InvalidNextTokenException', async () => {
    const first = await usage({
      Granularity: 'DAILY',
      TimePeriod: { Start: '2026-05-01', End: '2026-06-01' },
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    expect(first.NextPageToken).toBeTruthy();
    const error = await errorOf(usage({ NextPageToken: first.NextPageToken }));
    expect(error).toBeInstanceOf(InvalidNextTokenException);
    expect((await errorOf(usage({ NextPageToken: 'garbage' }))).name).toBe('InvalidNextTokenException');
  });

  it.each([
    ['End before Start', { TimePeriod: { Start: '2026-06-10', End: '2026-06-10' } }],
    ['a date that does not exist', { TimePeriod: { Start: '2026-02-30', End: '2026-03-02' } }],
    ['no metrics', { Metrics: [] }],
    ['a usage metric', { Metrics: ['UsageQuantity'] }],
    ['hourly granularity', { Granularity: 'HOURLY' as const }],
    [
      'three groupings',
      {
        GroupBy: [
          { Type: 'DIMENSION' as const, Key: 'SERVICE' },
          { Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' },
          { Type: 'TAG' as const, Key: 'team' },
        ],
      },
    ],
    ['an unsupported dimension', { Filter: { Dimensions: { Key: 'INSTANCE_TYPE' as const, Values: ['m5.large'] } } }],
    [
      'an expression with two operators',
      {
        Filter: {
          Dimensions: { Key: 'SERVICE' as const, Values: ['x'] },
          Not: { Dimensions: { Key: 'SERVICE' as const, Values: ['y'] } },
        },
      },
    ],
  ])('answers %s with ValidationException (status 400)', async (_case, input) => {
    const error = await errorOf(usage(input));
    expect(error).toBeInstanceOf(CostExplorerServiceException);
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('GetCostForecast', () => {
  const forecast = (input: Record<string, unknown> = {}) =>
    h.ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: TODAY, End: '2026-07-01' },
        Metric: 'UNBLENDED_COST',
        Granularity: 'MONTHLY',
        ...input,
      }),
    );

  it('forecasts the rest of the month from today, with a prediction interval around the mean', async () => {
    const out = await forecast({ PredictionIntervalLevel: 80 });
    expect(out.Total).toEqual({ Amount: expect.stringMatching(/^\d+\.\d{2}$/), Unit: 'USD' });
    expect(cents(out.Total!.Amount)).toBe(model.forecastBetween(TODAY, TODAY, '2026-07-01'));
    const [period] = out.ForecastResultsByTime!;
    expect(period!.TimePeriod).toEqual({ Start: TODAY, End: '2026-07-01' });
    expect(period!.MeanValue).toBe(out.Total!.Amount);
    const [lower, mean, upper] = [
      period!.PredictionIntervalLowerBound,
      period!.MeanValue,
      period!.PredictionIntervalUpperBound,
    ].map(cents) as [number, number, number];
    expect(lower < mean && mean < upper).toBe(true);
    const wide = (await forecast({ PredictionIntervalLevel: 95 })).ForecastResultsByTime![0]!;
    expect(cents(wide.PredictionIntervalUpperBound) - cents(wide.PredictionIntervalLowerBound)).toBeGreaterThan(
      upper - lower,
    );
  });

  it('gives DAILY results that add up to the total, and honours the filter', async () => {
    const out = await forecast({
      Granularity: 'DAILY',
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [DATA_LAKE] } },
    });
    expect(out.ForecastResultsByTime!.map((r) => r.TimePeriod!.Start)).toEqual(daysIn(TODAY, '2026-07-01'));
    expect(out.ForecastResultsByTime!.reduce((s, r) => s + cents(r.MeanValue), 0)).toBe(cents(out.Total!.Amount));
    expect(cents(out.Total!.Amount)).toBe(model.forecastBetween(TODAY, TODAY, '2026-07-01', { account: DATA_LAKE }));
  });

  it.each([
    ['a start before today', { TimePeriod: { Start: addDays(TODAY, -1), End: '2026-07-01' } }],
    ['a usage metric', { Metric: 'USAGE_QUANTITY' }],
    ['an unknown metric', { Metric: 'UnblendedCost' }],
    ['a prediction level out of range', { PredictionIntervalLevel: 50 }],
  ])('rejects %s with ValidationException', async (_case, input) => {
    const error = await errorOf(forecast(input));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('accounts without data', () => {
  it('raises the typed DataUnavailableException for an account configured to have none', async () => {
    const onlyNew = { Dimensions: { Key: 'LINKED_ACCOUNT' as const, Values: ['444444444444'] } };
    const model4 = createSpendModel({
      month: '2026-06',
      accounts: [...DEFAULT_ACCOUNTS, { id: '444444444444', name: 'new', baseDaily: { 'AWS Lambda': 3 } }],
    });
    const h4 = await startHarness({ model: model4, now: `${TODAY}T10:00:00Z`, noDataAccounts: ['444444444444'] });
    try {
      const error = await errorOf(
        h4.ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: '2026-06-01', End: TODAY },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost'],
            Filter: onlyNew,
          }),
        ),
      );
      expect(error).toBeInstanceOf(DataUnavailableException);
      // Mixed with accounts that have data, the answer leaves it out instead.
      const mixed = await h4.ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-06-01', End: TODAY },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['444444444444', SANDBOX] } },
        }),
      );
      expect(cents(mixed.ResultsByTime![0]!.Total!.UnblendedCost!.Amount)).toBe(
        model.monthToDate(TODAY, { account: SANDBOX }),
      );
    } finally {
      await h4.close();
    }
  });

  it('raises it for an account created today, until a day of its costs is known', async () => {
    const fresh = createSpendModel({
      month: '2026-06',
      accounts: [
        ...DEFAULT_ACCOUNTS,
        { id: '444444444444', name: 'fresh', createdOn: TODAY, baseDaily: { 'AWS Lambda': 30 } },
      ],
    });
    const hf = await startHarness({ model: fresh, now: `${TODAY}T10:00:00Z` });
    const Filter = { Dimensions: { Key: 'LINKED_ACCOUNT' as const, Values: ['444444444444'] } };
    const mtd = () =>
      hf.ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-06-01', End: addDays(TODAY, 1) },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter,
        }),
      );
    const ahead = (start: string) =>
      hf.ce.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: start, End: '2026-07-01' },
          Metric: 'UNBLENDED_COST',
          Granularity: 'MONTHLY',
          Filter,
        }),
      );
    try {
      expect(await errorOf(mtd())).toBeInstanceOf(DataUnavailableException);
      expect(await errorOf(ahead(TODAY))).toBeInstanceOf(DataUnavailableException);
      hf.setNow(`${addDays(TODAY, 1)}T10:00:00Z`);
      expect(cents((await mtd()).ResultsByTime![0]!.Total!.UnblendedCost!.Amount)).toBe(
        fresh.costBetween(TODAY, addDays(TODAY, 1), { account: '444444444444' }),
      );
      expect(cents((await ahead(addDays(TODAY, 1))).Total!.Amount)).toBeGreaterThan(0);
    } finally {
      await hf.close();
    }
  });
});

describe('faults', () => {
  it('throttles scripted requests with ThrottlingException, which the SDK treats as throttling and retries', async () => {
    h.standIn.faults.failNext(1, { target: 'GetCostAndUsage' });
    const error = await errorOf(usage({}));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(h.standIn.requests.at(-1)).toMatchObject({
      target: 'AWSInsightsIndexService.GetCostAndUsage',
      status: 400,
      error: 'ThrottlingException',
    });

    const retrying = await startHarness({ model, now: `${TODAY}T10:00:00Z`, maxAttempts: 3 });
    try {
      retrying.standIn.faults.failNext(1);
      retrying.standIn.faults.failNext(1, {
        code: 'LimitExceededException',
        message: 'You made too many calls in a short period of time.',
      });
      const out = await retrying.ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-06-01', End: TODAY },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      );
      expect(out.$metadata.attempts).toBe(3);
      expect(retrying.standIn.requests.map((r) => r.error ?? r.status)).toEqual([
        'ThrottlingException',
        'LimitExceededException',
        200,
      ]);
      expect(retrying.standIn.faults.injected).toBe(2);
      expect(retrying.standIn.costExplorerChargesCents()).toBe(1);
    } finally {
      await retrying.close();
    }
  });

  it('throttles at random with a seeded PRNG: the same seed fails the same requests', async () => {
    const run = async (seed: number) => {
      const r = await startHarness({ model, now: `${TODAY}T10:00:00Z` });
      r.standIn.faults.failRandomly(0.4, { seed });
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++)
        outcomes.push(
          await r.ce
            .send(
              new GetDimensionValuesCommand({ TimePeriod: { Start: '2026-06-01', End: TODAY }, Dimension: 'SERVICE' }),
            )
            .then(
              () => 'ok',
              (e: Error) => e.name,
            ),
        );
      await r.close();
      return outcomes;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
    const throttled = a.filter((o) => o === 'ThrottlingException').length;
    expect(throttled).toBeGreaterThan(2);
    expect(throttled).toBeLessThan(18);
  });
});

describe('GetDimensionValues', () => {
  it('lists linked accounts with their names, searchable, and services', async () => {
    const accounts = await h.ce.send(
      new GetDimensionValuesCommand({ TimePeriod: { Start: '2026-06-01', End: TODAY }, Dimension: 'LINKED_ACCOUNT' }),
    );
    expect(accounts.DimensionValues!.map((v) => [v.Value, v.Attributes!.description])).toEqual([
      [PRODUCTION, 'production'],
      [DATA_LAKE, 'data-lake'],
      [SANDBOX, 'sandbox'],
      [PAYER_ACCOUNT_ID, 'management'],
    ]);
    expect(accounts.TotalSize).toBe(4);
    const searched = await h.ce.send(
      new GetDimensionValuesCommand({
        TimePeriod: { Start: '2026-06-01', End: TODAY },
        Dimension: 'LINKED_ACCOUNT',
        SearchString: 'DATA',
      }),
    );
    expect(searched.DimensionValues!.map((v) => v.Value)).toEqual([DATA_LAKE]);
    const services = await h.ce.send(
      new GetDimensionValuesCommand({
        TimePeriod: { Start: '2026-06-01', End: TODAY },
        Dimension: 'SERVICE',
        Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [SANDBOX] } },
      }),
    );
    expect(services.DimensionValues!.map((v) => v.Value)).toEqual(
      model
        .serviceNames('AmazonEC2')
        .concat(['AWS Lambda', 'Amazon Simple Storage Service', 'Amazon DynamoDB', 'AmazonCloudWatch'])
        .sort(),
    );
  });
});

describe('the wire', () => {
  it('records every request with its target, input and simulated time', async () => {
    const before = h.standIn.requests.length;
    await usage({ Granularity: 'DAILY' });
    const [recorded] = h.standIn.requests.slice(before);
    expect(recorded).toMatchObject({
      target: 'AWSInsightsIndexService.GetCostAndUsage',
      status: 200,
      at: new Date(`${TODAY}T10:00:00Z`),
    });
    expect(recorded!.input).toMatchObject({ Granularity: 'DAILY', TimePeriod: { Start: '2026-06-01', End: TODAY } });
  });

  it('answers unknown targets and other methods the way AWS JSON endpoints do', async () => {
    const post = await fetch(h.standIn.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSInsightsIndexService.GetReservationCoverage',
      },
      body: '{}',
    });
    expect(post.status).toBe(400);
    expect(post.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await post.json()).toEqual({ __type: 'UnknownOperationException', message: expect.any(String) });
    const bad = await fetch(h.standIn.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage' },
      body: '{not json',
    });
    expect(((await bad.json()) as { __type: string }).__type).toBe('SerializationException');
    expect((await fetch(h.standIn.url)).status).toBe(404);
  });
});
