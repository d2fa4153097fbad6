import type { Config } from '@spend-alerts/core';
import type { Channel } from './spec.ts';

/**
 * What each function may do, as IAM statements. This is the only place rights are granted: links carry
 * names and URLs only (links.ts), so a function can do exactly what is written here and tested.
 */
export interface Permission {
  actions: string[];
  resources: string[];
}

/** Where the functions run, to build ARNs. */
export interface Account {
  partition: string;
  region: string;
  accountId: string;
}

/** What Lambda's SQS event source needs on the queue, plus SendMessage to re-enqueue a group flush with a delay. */
export const QUEUE_CONSUMER_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
  'sqs:SendMessage',
];

/**
 * The ledger uses conditional single-item writes, queries, one batch read (a batch of records' repeat
 * marks and thread timestamps) and one unconditional batch write (a delivery and its repeat mark);
 * never scans or transactions.
 */
export const LEDGER_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
];

/** A channel consumer: its own queue, its own DLQ (to dead-letter a permanent failure at once), the ledger, and what its channel calls. */
export function consumerPermissions(
  channel: Channel,
  account: Account,
  arns: { queue: string; deadLetters: string; table: string },
  config: Config,
): Permission[] {
  return [
    { actions: QUEUE_CONSUMER_ACTIONS, resources: [arns.queue] },
    { actions: ['sqs:SendMessage'], resources: [arns.deadLetters] },
    { actions: LEDGER_ACTIONS, resources: [arns.table] },
    ...costContext(account, config),
    ...(channel === 'email' ? sendEmail(account, config) : []),
  ];
}

/** The hourly digest job: the ledger (digest buffer and sent marks), email digests, and the spend chart. */
export function digestPermissions(account: Account, tableArn: string, config: Config): Permission[] {
  return [
    { actions: LEDGER_ACTIONS, resources: [tableArn] },
    ...costContext(account, config),
    ...sendEmail(account, config),
  ];
}

/**
 * The hourly watchdog: publishes the daily heartbeat to the spend topic and its findings to the
 * operations topic, reads and writes its own records in the ledger, and reads the dead-letter queues'
 * depth (and one record's age, left visible).
 */
export function watchdogPermissions(arns: {
  topic: string;
  operationsTopic: string;
  table: string;
  deadLetters: string[];
}): Permission[] {
  return [
    { actions: ['sns:Publish'], resources: [arns.topic, arns.operationsTopic] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [arns.table] },
    { actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resources: arns.deadLetters },
  ];
}

/**
 * Cost Explorer has no resource-level permissions (its actions take `*`); Budgets' DescribeBudget is
 * `budgets:ViewBudget` on the account's budgets. Organizations only when the config reads account names from it.
 */
function costContext(account: Account, config: Config): Permission[] {
  const grants: Permission[] = [];
  if (config.enrichment.enabled) {
    grants.push(
      { actions: ['ce:GetCostAndUsage'], resources: ['*'] },
      {
        actions: ['budgets:ViewBudget'],
        resources: [`arn:${account.partition}:budgets::${account.accountId}:budget/*`],
      },
    );
  }
  if (config.organizations.enabled) {
    grants.push({
      actions: ['organizations:ListAccounts', 'organizations:DescribeAccount', 'organizations:ListTagsForResource'],
      resources: ['*'],
    });
  }
  return grants;
}

/**
 * SES authorizes SendEmail against the identity that is verified: the address itself or its domain,
 * so both are allowed, for this sender only; and the configuration set, when one is named.
 */
function sendEmail(account: Account, config: Config): Permission[] {
  if (!config.email) return [];
  const ses = `arn:${account.partition}:ses:${account.region}:${account.accountId}`;
  const from = config.email.from;
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const resources = [`${ses}:identity/${from}`, `${ses}:identity/${domain}`];
  if (config.email.configurationSet) resources.push(`${ses}:configuration-set/${config.email.configurationSet}`);
  return [{ actions: ['ses:SendEmail'], resources }];
}
