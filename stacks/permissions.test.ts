import { validateConfig, type ConfigInput } from '@spend-alerts/core';
import { describe, expect, it } from 'vitest';
import { consumerPermissions, digestPermissions, watchdogPermissions, type Permission } from './permissions.ts';

const ACCOUNT = { partition: 'aws', region: 'eu-west-1', accountId: '111111111111' };
const ARNS = {
  queue: 'arn:aws:sqs:eu-west-1:111111111111:slack',
  deadLetters: 'arn:aws:sqs:eu-west-1:111111111111:slack-dlq',
  table: 'arn:aws:dynamodb:eu-west-1:111111111111:table/ledger',
};

const base: ConfigInput = {
  version: 1,
  email: { from: 'alerts@mail.example.org' },
  receivers: [{ name: 'ops', type: 'email', to: ['ops@example.org'] }],
  route: { receiver: 'ops' },
};

function pairs(permissions: Permission[]): string[] {
  return permissions.flatMap((p) => p.actions.flatMap((a) => p.resources.map((r) => `${a} ${r}`))).sort();
}

describe('consumer permissions', () => {
  it('grant the queue, its DLQ (send only), the ledger, Cost Explorer and Budgets to a Slack consumer', () => {
    expect(pairs(consumerPermissions('slack', ACCOUNT, ARNS, validateConfig(base)))).toEqual(
      [
        `sqs:ChangeMessageVisibility ${ARNS.queue}`,
        `sqs:DeleteMessage ${ARNS.queue}`,
        `sqs:GetQueueAttributes ${ARNS.queue}`,
        `sqs:ReceiveMessage ${ARNS.queue}`,
        `sqs:SendMessage ${ARNS.queue}`,
        `sqs:SendMessage ${ARNS.deadLetters}`,
        `dynamodb:BatchGetItem ${ARNS.table}`,
        `dynamodb:BatchWriteItem ${ARNS.table}`,
        `dynamodb:DeleteItem ${ARNS.table}`,
        `dynamodb:GetItem ${ARNS.table}`,
        `dynamodb:PutItem ${ARNS.table}`,
        `dynamodb:Query ${ARNS.table}`,
        `dynamodb:UpdateItem ${ARNS.table}`,
        'ce:GetCostAndUsage *',
        'budgets:ViewBudget arn:aws:budgets::111111111111:budget/*',
      ].sort(),
    );
  });

  it('let the email consumer send from the configured identity only (address or domain), in the deploy region', () => {
    const ses = pairs(consumerPermissions('email', ACCOUNT, ARNS, validateConfig(base))).filter((p) =>
      p.startsWith('ses:'),
    );
    expect(ses).toEqual([
      'ses:SendEmail arn:aws:ses:eu-west-1:111111111111:identity/alerts@mail.example.org',
      'ses:SendEmail arn:aws:ses:eu-west-1:111111111111:identity/mail.example.org',
    ]);
  });

  it('add the configuration set when one is named', () => {
    const config = validateConfig({ ...base, email: { from: 'alerts@mail.example.org', configurationSet: 'alerts' } });
    expect(pairs(consumerPermissions('email', ACCOUNT, ARNS, config))).toContain(
      'ses:SendEmail arn:aws:ses:eu-west-1:111111111111:configuration-set/alerts',
    );
  });

  it('give no SES to the Slack and webhook consumers', () => {
    for (const channel of ['slack', 'webhook'] as const) {
      expect(
        pairs(consumerPermissions(channel, ACCOUNT, ARNS, validateConfig(base))).some((p) => p.startsWith('ses:')),
      ).toBe(false);
    }
  });

  it('drop Cost Explorer and Budgets when enrichment is off, and add Organizations only when enabled', () => {
    const off = pairs(
      consumerPermissions('slack', ACCOUNT, ARNS, validateConfig({ ...base, enrichment: { enabled: false } })),
    );
    expect(off.some((p) => p.startsWith('ce:') || p.startsWith('budgets:') || p.startsWith('organizations:'))).toBe(
      false,
    );
    const orgs = pairs(
      consumerPermissions('slack', ACCOUNT, ARNS, validateConfig({ ...base, organizations: { enabled: true } })),
    );
    expect(orgs.filter((p) => p.startsWith('organizations:'))).toEqual([
      'organizations:DescribeAccount *',
      'organizations:ListAccounts *',
      'organizations:ListTagsForResource *',
    ]);
  });
});

describe('scheduled job permissions', () => {
  it('let the digest use the ledger, Cost Explorer, Budgets and SES, and no queue', () => {
    const digest = pairs(digestPermissions(ACCOUNT, ARNS.table, validateConfig(base)));
    expect(new Set(digest.map((p) => p.split(':')[0]))).toEqual(new Set(['dynamodb', 'ce', 'budgets', 'ses']));
  });

  it('let the watchdog publish to the two topics, read and write the ledger, and look at the DLQs only', () => {
    const arns = {
      topic: 'arn:aws:sns:eu-west-1:111111111111:spend',
      operationsTopic: 'arn:aws:sns:eu-west-1:111111111111:ops',
      table: ARNS.table,
      deadLetters: ['arn:aws:sqs:eu-west-1:111111111111:slack-dlq', 'arn:aws:sqs:eu-west-1:111111111111:email-dlq'],
    };
    expect(watchdogPermissions(arns)).toEqual([
      { actions: ['sns:Publish'], resources: [arns.topic, arns.operationsTopic] },
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [ARNS.table] },
      { actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resources: arns.deadLetters },
    ]);
  });
});
