import {
  AccessDeniedException,
  type BudgetsServiceException,
  CreateSubscriberCommand,
  DescribeBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  DuplicateRecordException,
  InvalidParameterException,
  NotFoundException,
  type Notification,
} from '@aws-sdk/client-budgets';
import { readFileSync } from 'node:fs';
import { loadConfig } from '@spend-alerts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountToCents } from '../sim/cents.ts';
import { createSpendModel } from '../sim/spend-model.ts';
import { startHarness, type StandInHarness } from './cost-explorer-testkit.ts';

const config = loadConfig(readFileSync(new URL('../../../../spend-alerts.config.yaml', import.meta.url), 'utf8'));
const model = createSpendModel({ month: '2026-06' });
const OWNER = model.payerAccountId;
const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:SpendEvents`;
const TODAY = '2026-06-20';

let h: StandInHarness;
beforeAll(async () => {
  h = await startHarness({ model, now: `${TODAY}T10:00:00Z`, budgets: config.budgets, topicArn: TOPIC });
});
afterAll(() => h.close());

const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected an error'),
    (e: unknown) => e as BudgetsServiceException,
  );
const actual80: Notification = {
  NotificationType: 'ACTUAL',
  ComparisonOperator: 'GREATER_THAN',
  Threshold: 80,
  ThresholdType: 'PERCENTAGE',
};

describe('Budgets', () => {
  it('describes a budget with its limit, scope and spend by the lag rule', async () => {
    const { Budget } = await h.budgets.send(
      new DescribeBudgetCommand({ AccountId: OWNER, BudgetName: 'data-lake-monthly' }),
    );
    expect(Budget).toMatchObject({
      BudgetName: 'data-lake-monthly',
      BudgetLimit: { Amount: '3000.0', Unit: 'USD' },
      CostFilters: { LinkedAccount: ['222222222222'] },
      TimeUnit: 'MONTHLY',
      BudgetType: 'COST',
      TimePeriod: { Start: new Date('2026-05-01T00:00:00Z'), End: new Date('2087-06-15T00:00:00Z') },
    });
    expect(amountToCents(Budget!.CalculatedSpend!.ActualSpend!.Amount!)).toBe(
      model.monthToDate(TODAY, { account: '222222222222' }),
    );
    expect(amountToCents(Budget!.CalculatedSpend!.ForecastedSpend!.Amount!)).toBe(
      model.forecastMonthEnd(TODAY, { account: '222222222222' }),
    );
    expect(Budget!.LastUpdatedTime).toBeInstanceOf(Date);
  });

  it('lists budgets, a page at a time', async () => {
    const first = await h.budgets.send(new DescribeBudgetsCommand({ AccountId: OWNER, MaxResults: 1 }));
    expect(first.Budgets!.map((b) => b.BudgetName)).toEqual(['monthly-total']);
    const second = await h.budgets.send(
      new DescribeBudgetsCommand({ AccountId: OWNER, MaxResults: 1, NextToken: first.NextToken }),
    );
    expect(second.Budgets!.map((b) => b.BudgetName)).toEqual(['data-lake-monthly']);
    expect(second.NextToken).toBeUndefined();
    expect(
      amountToCents(
        (await h.budgets.send(new DescribeBudgetsCommand({ AccountId: OWNER }))).Budgets![0]!.CalculatedSpend!
          .ActualSpend!.Amount!,
      ),
    ).toBe(model.monthToDate(TODAY));
  });

  it('reports which notifications have fired this period (ALARM) and which not yet (OK)', async () => {
    const { Notifications } = await h.budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId: OWNER, BudgetName: 'monthly-total' }),
    );
    // On June 20: 50% (June 14) and the forecast (June 9) have fired; 80% (June 21) and 100% not yet.
    expect(Notifications!.map((n) => [n.NotificationType, n.Threshold, n.NotificationState])).toEqual([
      ['ACTUAL', 50, 'ALARM'],
      ['ACTUAL', 80, 'OK'],
      ['ACTUAL', 100, 'OK'],
      ['FORECASTED', 100, 'ALARM'],
    ]);
    expect(Notifications![0]).toMatchObject({ ComparisonOperator: 'GREATER_THAN', ThresholdType: 'PERCENTAGE' });
    h.setNow('2026-06-21T10:00:00Z');
    try {
      const later = await h.budgets.send(
        new DescribeNotificationsForBudgetCommand({ AccountId: OWNER, BudgetName: 'monthly-total' }),
      );
      expect(later.Notifications![1]!.NotificationState).toBe('ALARM');
    } finally {
      h.setNow(`${TODAY}T10:00:00Z`);
    }
  });

  it('keeps subscribers: the deployment’s topic to start with, then each added one; adding one twice is a DuplicateRecordException', async () => {
    const subscribers = () =>
      h.budgets.send(
        new DescribeSubscribersForNotificationCommand({
          AccountId: OWNER,
          BudgetName: 'monthly-total',
          Notification: actual80,
        }),
      );
    expect((await subscribers()).Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: TOPIC }]);
    const add = () =>
      h.budgets.send(
        new CreateSubscriberCommand({
          AccountId: OWNER,
          BudgetName: 'monthly-total',
          Notification: actual80,
          Subscriber: { SubscriptionType: 'EMAIL', Address: 'finops@example.com' },
        }),
      );
    await add();
    expect((await subscribers()).Subscribers).toEqual([
      { SubscriptionType: 'SNS', Address: TOPIC },
      { SubscriptionType: 'EMAIL', Address: 'finops@example.com' },
    ]);
    expect(await errorOf(add())).toBeInstanceOf(DuplicateRecordException);
    expect(
      await errorOf(
        h.budgets.send(
          new CreateSubscriberCommand({
            AccountId: OWNER,
            BudgetName: 'monthly-total',
            Notification: actual80,
            Subscriber: { SubscriptionType: 'SNS', Address: TOPIC },
          }),
        ),
      ),
    ).toBeInstanceOf(DuplicateRecordException);
    // Other notifications keep their own list.
    const forecast = await h.budgets.send(
      new DescribeSubscribersForNotificationCommand({
        AccountId: OWNER,
        BudgetName: 'monthly-total',
        Notification: { ...actual80, NotificationType: 'FORECASTED', Threshold: 100 },
      }),
    );
    expect(forecast.Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: TOPIC }]);
  });

  it('answers unknown budgets and notifications with NotFoundException, other accounts with AccessDeniedException, bad input with InvalidParameterException', async () => {
    expect(
      await errorOf(h.budgets.send(new DescribeBudgetCommand({ AccountId: OWNER, BudgetName: 'nope' }))),
    ).toBeInstanceOf(NotFoundException);
    expect(
      await errorOf(
        h.budgets.send(
          new DescribeSubscribersForNotificationCommand({
            AccountId: OWNER,
            BudgetName: 'monthly-total',
            Notification: { ...actual80, Threshold: 90 },
          }),
        ),
      ),
    ).toBeInstanceOf(NotFoundException);
    expect(
      await errorOf(
        h.budgets.send(new DescribeBudgetCommand({ AccountId: '111111111111', BudgetName: 'monthly-total' })),
      ),
    ).toBeInstanceOf(AccessDeniedException);
    expect(
      await errorOf(
        h.budgets.send(
          new CreateSubscriberCommand({
            AccountId: OWNER,
            BudgetName: 'monthly-total',
            Notification: actual80,
            Subscriber: { SubscriptionType: 'SNS', Address: 'not-an-arn' },
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterException);
  });

  it('starts with no subscribers when told there is no topic', async () => {
    const bare = await startHarness({ model, now: `${TODAY}T10:00:00Z`, budgets: config.budgets, topicArn: null });
    try {
      const out = await bare.budgets.send(
        new DescribeSubscribersForNotificationCommand({
          AccountId: OWNER,
          BudgetName: 'data-lake-monthly',
          Notification: actual80,
        }),
      );
      expect(out.Subscribers).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
