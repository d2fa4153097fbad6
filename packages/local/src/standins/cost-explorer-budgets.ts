/**
 * The AWS Budgets operations the pipeline uses (`AWSBudgetServiceGateway.*`), over the budgets of
 * the config and the spend model: spend figures follow the same lag rule as Cost Explorer and the
 * simulated notifications, and subscribers live in memory.
 */
import { addDays, dayNumber, periodStart } from '../sim/calendar.ts';
import { centsToAmount } from '../sim/cents.ts';
import { alertState, budgetScope, type SimBudget, type SimBudgetAlert } from '../sim/notifications.ts';
import type { SpendModel } from '../sim/spend-model.ts';
import { AwsServiceError, isObject } from './cost-explorer-protocol.ts';

/** A budget as the config declares it. */
export type SimBudgetConfig = SimBudget & { notifications: readonly SimBudgetAlert[] };

/** What the Budgets side serves: the config's budgets, owned by one account. */
export interface BudgetsOptions {
  model: SpendModel;
  budgets: readonly SimBudgetConfig[];
  /** The account that owns the budgets. */
  accountId: string;
  /** The topic each notification starts subscribed to (as the deployment sets up); null for none. */
  topicArn: string | null;
}

interface Subscriber {
  SubscriptionType: string;
  Address: string;
}

/** What AWS Budgets says when a budget is left open-ended: its end defaults to 2087-06-15. */
const OPEN_END_EPOCH_SECONDS = 3_706_473_600;
const TIME_UNITS = { daily: 'DAILY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', annually: 'ANNUALLY' } as const;

/** The Budgets side of the stand-in: one instance per server, holding subscribers in memory. */
export function createBudgetsService(options: BudgetsOptions) {
  const { model, budgets, accountId } = options;
  const subscribers = new Map<string, Subscriber[]>();
  if (options.topicArn) {
    for (const b of budgets)
      for (const n of b.notifications)
        subscribers.set(key(b.name, n), [{ SubscriptionType: 'SNS', Address: options.topicArn }]);
  }
  // The deployment creates the budgets the day before the scenario month starts.
  const createdOn = addDays(model.monthStart, -1);

  function findBudget(input: Record<string, unknown>): SimBudgetConfig {
    checkAccount(input.AccountId);
    const name = input.BudgetName;
    if (typeof name !== 'string' || !name)
      throw new AwsServiceError('InvalidParameterException', 'BudgetName is required');
    const budget = budgets.find((b) => b.name === name);
    if (!budget)
      throw new AwsServiceError('NotFoundException', `Unable to get budget: ${name} - the budget doesn't exist.`);
    return budget;
  }

  function checkAccount(id: unknown): void {
    if (typeof id !== 'string' || !/^\d{12}$/.test(id))
      throw new AwsServiceError('InvalidParameterException', 'AccountId must be a 12-digit account id');
    if (id !== accountId)
      throw new AwsServiceError('AccessDeniedException', `You are not authorized to access budgets of account ${id}`);
  }

  function findNotification(budget: SimBudgetConfig, value: unknown): SimBudgetAlert {
    if (!isObject(value)) throw new AwsServiceError('InvalidParameterException', 'Notification is required');
    const found = budget.notifications.find(
      (n) =>
        n.type === value.NotificationType &&
        value.ComparisonOperator === 'GREATER_THAN' &&
        n.thresholdPercent === value.Threshold &&
        (value.ThresholdType ?? 'PERCENTAGE') === 'PERCENTAGE',
    );
    if (!found)
      throw new AwsServiceError('NotFoundException', `Unable to find notification for budget: ${budget.name}`);
    return found;
  }

  function describe(budget: SimBudgetConfig, today: string) {
    const period = budget.period ?? 'monthly';
    const scope = budgetScope(budget);
    return {
      BudgetName: budget.name,
      BudgetLimit: { Amount: decimal(budget.limit), Unit: 'USD' },
      CostFilters: budget.account ? { LinkedAccount: [budget.account] } : {},
      CostTypes: {
        IncludeTax: true,
        IncludeSubscription: true,
        UseBlended: false,
        IncludeRefund: false,
        IncludeCredit: false,
        IncludeUpfront: true,
        IncludeRecurring: true,
        IncludeOtherSubscription: true,
        IncludeSupport: true,
        IncludeDiscount: true,
        UseAmortized: false,
      },
      TimeUnit: TIME_UNITS[period],
      TimePeriod: { Start: epochSeconds(periodStart(createdOn, period)), End: OPEN_END_EPOCH_SECONDS },
      CalculatedSpend: {
        ActualSpend: { Amount: centsToAmount(model.periodToDate(today, period, scope)), Unit: 'USD' },
        // Budgets has no forecasts for daily budgets.
        ...(period === 'daily'
          ? {}
          : { ForecastedSpend: { Amount: centsToAmount(model.forecastPeriodEnd(today, period, scope)), Unit: 'USD' } }),
      },
      BudgetType: 'COST',
      LastUpdatedTime: epochSeconds(createdOn),
    };
  }

  return {
    /** Runs one Budgets operation; null when the operation is not one the stand-in knows. */
    handle(operation: string, input: Record<string, unknown>, today: string): Record<string, unknown> | null {
      switch (operation) {
        case 'DescribeBudget':
          return { Budget: describe(findBudget(input), today) };
        case 'DescribeBudgets': {
          checkAccount(input.AccountId);
          const max = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
          const offset = readToken(input.NextToken);
          const next = offset + max < budgets.length ? String(offset + max) : null;
          return {
            Budgets: budgets.slice(offset, offset + max).map((b) => describe(b, today)),
            ...(next ? { NextToken: next } : {}),
          };
        }
        case 'DescribeNotificationsForBudget': {
          const budget = findBudget(input);
          return {
            Notifications: budget.notifications.map((n) => ({
              NotificationType: n.type,
              ComparisonOperator: 'GREATER_THAN',
              Threshold: n.thresholdPercent,
              ThresholdType: 'PERCENTAGE',
              NotificationState: alertState(budget, n, today, model),
            })),
          };
        }
        case 'DescribeSubscribersForNotification': {
          const budget = findBudget(input);
          const alert = findNotification(budget, input.Notification);
          return { Subscribers: subscribers.get(key(budget.name, alert)) ?? [] };
        }
        case 'CreateSubscriber': {
          const budget = findBudget(input);
          const alert = findNotification(budget, input.Notification);
          const subscriber = readSubscriber(input.Subscriber);
          const list = subscribers.get(key(budget.name, alert)) ?? [];
          if (
            list.some((s) => s.SubscriptionType === subscriber.SubscriptionType && s.Address === subscriber.Address)
          ) {
            throw new AwsServiceError(
              'DuplicateRecordException',
              `Subscriber already exists for budget ${budget.name}: ${subscriber.Address}`,
            );
          }
          subscribers.set(key(budget.name, alert), [...list, subscriber]);
          return {};
        }
        default:
          return null;
      }
    },
  };
}

function key(budget: string, alert: SimBudgetAlert): string {
  return `${budget}\u0000${alert.type}\u0000${alert.thresholdPercent}`;
}

function readSubscriber(value: unknown): Subscriber {
  if (!isObject(value)) throw new AwsServiceError('InvalidParameterException', 'Subscriber is required');
  const { SubscriptionType: type, Address: address } = value;
  if (type !== 'SNS' && type !== 'EMAIL')
    throw new AwsServiceError('InvalidParameterException', 'SubscriptionType must be SNS or EMAIL');
  if (
    typeof address !== 'string' ||
    (type === 'SNS'
      ? !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(address)
      : !/^[^@\s]+@[^@\s]+$/.test(address))
  ) {
    throw new AwsServiceError('InvalidParameterException', `Invalid ${type} address: ${JSON.stringify(address)}`);
  }
  return { SubscriptionType: type, Address: address };
}

function readToken(token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  const n = Number(token);
  if (!Number.isInteger(n) || n <= 0)
    throw new AwsServiceError('InvalidNextTokenException', 'The next token is invalid');
  return n;
}

/** A limit as Budgets writes it: 12000 → "12000.0". */
function decimal(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** AWS JSON 1.1 timestamps are epoch seconds. */
function epochSeconds(day: string): number {
  return dayNumber(day) * 86_400;
}
