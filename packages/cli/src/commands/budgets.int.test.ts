import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BudgetsClient,
  CreateSubscriberCommand,
  DescribeSubscribersForNotificationCommand,
} from '@aws-sdk/client-budgets';
import { createSpendModel } from '@spend-alerts/local/sim/spend-model.ts';
import {
  startCostExplorer,
  type CostExplorerStandIn,
  type SimBudgetConfig,
} from '@spend-alerts/local/standins/cost-explorer.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { helpText, parseCommandArgs } from '../command.ts';
import { CliError } from '../io.ts';
import { memoryIo } from '../testing.ts';
import { budgetsCommand } from './budgets.ts';

const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:SpendEvents`;
const OTHER_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:FinanceTeam`;
const BUDGETS: SimBudgetConfig[] = [
  {
    name: 'monthly-total',
    limit: 12000,
    notifications: [
      { type: 'ACTUAL', thresholdPercent: 80 },
      { type: 'FORECASTED', thresholdPercent: 100 },
    ],
  },
  {
    name: 'data-lake-monthly',
    limit: 3000,
    account: '222222222222',
    notifications: [{ type: 'ACTUAL', thresholdPercent: 90 }],
  },
  { name: 'sandbox-daily', limit: 50, period: 'daily', notifications: [{ type: 'ACTUAL', thresholdPercent: 100 }] },
];

let standIn: CostExplorerStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(budgets = BUDGETS) {
  standIn = await startCostExplorer({
    model: createSpendModel({ month: '2026-04' }),
    clock: () => new Date('2026-04-20T10:00:00Z'),
    budgets,
    accountId: ACCOUNT,
    topicArn: null,
  });
  return standIn.url;
}

async function budgets(argv: string[], cwd = tmpdir()) {
  const io = memoryIo('', cwd);
  try {
    const args = parseCommandArgs(budgetsCommand, argv);
    if (args.values.help) io.stdout(helpText(budgetsCommand));
    const code = args.values.help ? 0 : await budgetsCommand.run(args, io);
    return { code, out: io.out, err: io.err };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { code: error.exitCode, out: io.out, err: error.message };
  }
}

const client = (endpoint: string) =>
  new BudgetsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const subscribers = async (endpoint: string, budget: string, type: 'ACTUAL' | 'FORECASTED', threshold: number) =>
  (
    await client(endpoint).send(
      new DescribeSubscribersForNotificationCommand({
        AccountId: ACCOUNT,
        BudgetName: budget,
        Notification: {
          NotificationType: type,
          ComparisonOperator: 'GREATER_THAN',
          Threshold: threshold,
          ThresholdType: 'PERCENTAGE',
        },
      }),
    )
  ).Subscribers;

describe('budgets connect', () => {
  it('plans the missing subscriptions, adds them only with --apply, and plans nothing the second time', async () => {
    const endpoint = await start();
    const args = ['connect', '--endpoint', endpoint, '--account', ACCOUNT, '--topic-arn', TOPIC];
    // One alert already has the topic, one another topic: neither is planned.
    const sub = (budget: string, threshold: number, topic: string) =>
      client(endpoint).send(
        new CreateSubscriberCommand({
          AccountId: ACCOUNT,
          BudgetName: budget,
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: threshold,
            ThresholdType: 'PERCENTAGE',
          },
          Subscriber: { SubscriptionType: 'SNS', Address: topic },
        }),
      );
    await sub('data-lake-monthly', 90, TOPIC);
    await sub('sandbox-daily', 100, OTHER_TOPIC);

    const plan = await budgets(args);
    expect(plan.code).toBe(0);
    expect(plan.out).toBe(
      `add SNS ${TOPIC} to monthly-total / ACTUAL > 80%\nadd SNS ${TOPIC} to monthly-total / FORECASTED > 100%\n`,
    );
    expect(plan.err).toContain(`account ${ACCOUNT}: 3 budgets, 4 alerts`);
    expect(plan.err).toContain(`left alone: sandbox-daily / ACTUAL > 100% already notifies SNS ${OTHER_TOPIC}`);
    expect(plan.err).toContain('2 to add; run again with --apply to add them');
    expect(await subscribers(endpoint, 'monthly-total', 'ACTUAL', 80)).toEqual([]);

    const applied = await budgets([...args, '--apply']);
    expect(applied).toMatchObject({
      code: 0,
      out: `done: add SNS ${TOPIC} to monthly-total / ACTUAL > 80%\ndone: add SNS ${TOPIC} to monthly-total / FORECASTED > 100%\n`,
    });
    expect(await subscribers(endpoint, 'monthly-total', 'ACTUAL', 80)).toEqual([
      { SubscriptionType: 'SNS', Address: TOPIC },
    ]);
    expect(await subscribers(endpoint, 'monthly-total', 'FORECASTED', 100)).toEqual([
      { SubscriptionType: 'SNS', Address: TOPIC },
    ]);

    for (const again of [args, [...args, '--apply']]) {
      expect(await budgets(again)).toEqual({
        code: 0,
        out: `nothing to do: 3 alerts already notify ${TOPIC}\n`,
        err: `account ${ACCOUNT}: 3 budgets, 4 alerts\nleft alone: sandbox-daily / ACTUAL > 100% already notifies SNS ${OTHER_TOPIC}\n`,
      });
    }
    expect(await subscribers(endpoint, 'sandbox-daily', 'ACTUAL', 100)).toEqual([
      { SubscriptionType: 'SNS', Address: OTHER_TOPIC },
    ]);
  });

  it('takes a subscriber that appeared since the plan (DuplicateRecordException) as done', async () => {
    const endpoint = await start(BUDGETS.slice(1, 2));
    standIn!.faults.failNext(1, { target: 'CreateSubscriber', code: 'DuplicateRecordException' });
    const applied = await budgets([
      'connect',
      '--apply',
      '--endpoint',
      endpoint,
      '--account',
      ACCOUNT,
      '--topic-arn',
      TOPIC,
    ]);
    expect(applied).toMatchObject({ code: 0, out: `done: add SNS ${TOPIC} to data-lake-monthly / ACTUAL > 90%\n` });
  });

  it('reads every page of budgets', async () => {
    const many = Array.from(
      { length: 130 },
      (_, i): SimBudgetConfig => ({
        name: `team-${i}`,
        limit: 100,
        notifications: [{ type: 'ACTUAL', thresholdPercent: 50 }],
      }),
    );
    const endpoint = await start(many);
    const plan = await budgets(['connect', '--endpoint', endpoint, '--account', ACCOUNT, '--topic-arn', TOPIC]);
    expect(plan.out.trimEnd().split('\n')).toHaveLength(130);
    expect(plan.out).toContain('to team-129 / ACTUAL > 50%');
    expect(standIn!.requests.filter((r) => r.target.endsWith('.DescribeBudgets'))).toHaveLength(2);
  });

  it("uses the local pipeline's topic by default", async () => {
    const endpoint = await start(BUDGETS.slice(1, 2));
    const cwd = mkdtempSync(join(tmpdir(), 'spend-alerts-budgets-'));
    try {
      mkdirSync(join(cwd, '.spend-alerts'));
      writeFileSync(
        join(cwd, '.spend-alerts', 'local.json'),
        JSON.stringify({ topicArn: TOPIC, endpoint: 'http://127.0.0.1:1', queues: {}, pid: process.pid }),
      );
      expect((await budgets(['connect', '--endpoint', endpoint, '--account', ACCOUNT], cwd)).out).toBe(
        `add SNS ${TOPIC} to data-lake-monthly / ACTUAL > 90%\n`,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('fails with exit 1 when the account cannot be found or read', async () => {
    const endpoint = await start();
    const noSts = await budgets(['connect', '--endpoint', endpoint, '--topic-arn', TOPIC]);
    expect(noSts.code).toBe(1);
    expect(noSts.err).toMatch(/^finding the account id \(STS GetCallerIdentity; or give --account\) failed: /);
    const denied = await budgets([
      'connect',
      '--endpoint',
      endpoint,
      '--account',
      '999999999999',
      '--topic-arn',
      TOPIC,
    ]);
    expect(denied).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^reading the budgets of 999999999999 failed: AccessDeniedException/),
    });
  });

  it.each([
    [[], /give an action: connect/],
    [['disconnect'], /unknown action "disconnect": connect/],
    [['connect', '--account', '1'], /no topic: give --topic-arn, or start the local pipeline/],
    [['connect', '--topic-arn', 'SpendEvents'], /--topic-arn "SpendEvents" is not an SNS topic ARN/],
    [['connect', '--topic-arn', TOPIC, '--account', 'me'], /--account must be a 12-digit account id, not "me"/],
    [['connect', '--dry-run'], /Unknown option '--dry-run'/],
  ])('rejects %j with exit 2', async (argv, message) => {
    const result = await budgets(argv);
    expect(result.err).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('has --help', async () => {
    const { code, out } = await budgets(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('usage: spend-alerts budgets connect [--apply]');
  });
});
