import {
  BudgetsClient,
  CreateSubscriberCommand,
  paginateDescribeBudgets,
  paginateDescribeNotificationsForBudget,
  paginateDescribeSubscribersForNotification,
  type Notification,
} from '@aws-sdk/client-budgets';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Command } from '../command.ts';
import { CliError, type Io } from '../io.ts';
import { awsFailure, clientConfig, readLocalPipeline, TOPIC_ARN } from './send.ts';

const USAGE = 'spend-alerts budgets connect [--apply] [--topic-arn ARN] [--account ID] [--endpoint URL]';
/** AWS Budgets answers in us-east-1 for every commercial account. */
const BUDGETS_REGION = 'us-east-1';

/** One budget alert that does not yet notify the topic. */
interface Missing {
  budget: string;
  notification: Notification;
}

interface Plan {
  budgets: number;
  notifications: number;
  missing: Missing[];
  /** Alerts already sending to another SNS topic: Budgets takes one SNS subscriber per alert. */
  taken: Array<Missing & { topic: string }>;
}

/** `ACTUAL > 80%`, as the plan names an alert. */
export function alertLabel(n: Notification): string {
  const op =
    { GREATER_THAN: '>', LESS_THAN: '<', EQUAL_TO: '=' }[n.ComparisonOperator ?? 'GREATER_THAN'] ??
    n.ComparisonOperator;
  const threshold = n.ThresholdType === 'ABSOLUTE_VALUE' ? `$${n.Threshold}` : `${n.Threshold}%`;
  return `${n.NotificationType} ${op} ${threshold}`;
}

/** Every budget alert of the account, and which of them lack the topic as their SNS subscriber. */
async function makePlan(client: BudgetsClient, accountId: string, topicArn: string): Promise<Plan> {
  const plan: Plan = { budgets: 0, notifications: 0, missing: [], taken: [] };
  for await (const page of paginateDescribeBudgets({ client, pageSize: 100 }, { AccountId: accountId })) {
    for (const b of page.Budgets ?? []) {
      const budget = b.BudgetName!;
      plan.budgets++;
      for await (const np of paginateDescribeNotificationsForBudget(
        { client, pageSize: 100 },
        { AccountId: accountId, BudgetName: budget },
      )) {
        for (const n of np.Notifications ?? []) {
          plan.notifications++;
          const notification: Notification = {
            NotificationType: n.NotificationType,
            ComparisonOperator: n.ComparisonOperator,
            Threshold: n.Threshold,
            ThresholdType: n.ThresholdType,
          };
          const sns: string[] = [];
          for await (const sp of paginateDescribeSubscribersForNotification(
            { client, pageSize: 100 },
            { AccountId: accountId, BudgetName: budget, Notification: notification },
          )) {
            for (const s of sp.Subscribers ?? []) if (s.SubscriptionType === 'SNS' && s.Address) sns.push(s.Address);
          }
          if (sns.includes(topicArn)) continue;
          if (sns.length) plan.taken.push({ budget, notification, topic: sns[0]! });
          else plan.missing.push({ budget, notification });
        }
      }
    }
  }
  return plan;
}

async function callerAccount(io: Io, endpoint: string | undefined): Promise<string> {
  // With --endpoint, STS is asked there too (emulators serve it on one endpoint); else AWS's, or AWS_ENDPOINT_URL_STS.
  const { endpoint: _budgets, ...config } = clientConfig(io, 'BUDGETS', { endpoint, region: BUDGETS_REGION });
  const stsEndpoint = endpoint ?? io.env.AWS_ENDPOINT_URL_STS ?? io.env.AWS_ENDPOINT_URL;
  const sts = new STSClient({ ...config, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account!;
  } catch (error) {
    throw awsFailure('finding the account id (STS GetCallerIdentity; or give --account)', error);
  } finally {
    sts.destroy();
  }
}

export const budgetsCommand: Command = {
  name: 'budgets',
  summary: "Connect the account's existing AWS Budgets to the spend-alerts topic.",
  usage: USAGE,
  details: `connect lists the account's budgets and their alerts, and plans to add the topic as the SNS
subscriber of every alert that lacks it. It changes nothing without --apply; run twice, the second
run plans nothing. An alert that already notifies another SNS topic is reported and left alone:
AWS Budgets takes one SNS topic per alert. The topic must let budgets.amazonaws.com publish (the
deployed topic's policy does).

options:
  --apply          add the planned subscribers (budgets:ModifyBudget)
  --topic-arn ARN  the topic (default: the local pipeline's, from .spend-alerts/local.json)
  --account ID     the account that owns the budgets (default: the caller's, from STS)
  --endpoint URL   a Budgets endpoint other than AWS's (the local stand-in)`,
  options: {
    apply: { type: 'boolean' },
    'topic-arn': { type: 'string' },
    account: { type: 'string' },
    endpoint: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...extra] = positionals;
    if (action !== 'connect')
      throw new CliError(`${action ? `unknown action "${action}"` : 'give an action'}: connect\nusage: ${USAGE}`);
    if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\nusage: ${USAGE}`);
    const endpoint = values.endpoint as string | undefined;
    const topicArn = (values['topic-arn'] as string | undefined) ?? readLocalPipeline(io)?.topicArn;
    if (!topicArn) throw new CliError('no topic: give --topic-arn, or start the local pipeline with npm start');
    if (!TOPIC_ARN.test(topicArn))
      throw new CliError(`--topic-arn "${topicArn}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
    const given = values.account as string | undefined;
    if (given !== undefined && !/^\d{12}$/.test(given))
      throw new CliError(`--account must be a 12-digit account id, not "${given}"`);
    const accountId = given ?? (await callerAccount(io, endpoint));

    const client = new BudgetsClient(clientConfig(io, 'BUDGETS', { endpoint, region: BUDGETS_REGION }));
    try {
      const plan = await makePlan(client, accountId, topicArn).catch((e: unknown) =>
        Promise.reject(awsFailure(`reading the budgets of ${accountId}`, e)),
      );
      io.stderr(
        `account ${accountId}: ${plan.budgets} budget${plan.budgets === 1 ? '' : 's'}, ${plan.notifications} alert${plan.notifications === 1 ? '' : 's'}\n`,
      );
      for (const t of plan.taken)
        io.stderr(`left alone: ${t.budget} / ${alertLabel(t.notification)} already notifies SNS ${t.topic}\n`);
      if (!plan.missing.length) {
        const connected = plan.notifications - plan.taken.length;
        io.stdout(
          `nothing to do: ${connected} alert${connected === 1 ? '' : 's'} already notif${connected === 1 ? 'ies' : 'y'} ${topicArn}\n`,
        );
        return 0;
      }
      for (const m of plan.missing) {
        const line = `add SNS ${topicArn} to ${m.budget} / ${alertLabel(m.notification)}`;
        if (!values.apply) {
          io.stdout(`${line}\n`);
          continue;
        }
        await client
          .send(
            new CreateSubscriberCommand({
              AccountId: accountId,
              BudgetName: m.budget,
              Notification: m.notification,
              Subscriber: { SubscriptionType: 'SNS', Address: topicArn },
            }),
          )
          .catch((e: unknown) => {
            // Added since the plan was made (another run): the goal is reached.
            if ((e as Error).name !== 'DuplicateRecordException') throw awsFailure(line, e);
          });
        io.stdout(`done: ${line}\n`);
      }
      if (!values.apply) io.stderr(`${plan.missing.length} to add; run again with --apply to add them\n`);
      return 0;
    } finally {
      client.destroy();
    }
  },
};
