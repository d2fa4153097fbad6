/**
 * sst.config.ts's run() under Pulumi's mocks, bundled as `sst deploy` bundles it, on the @pulumi/pulumi
 * that `sst install` put in .sst/platform (stacks/tools/run-under-mocks.mjs). Installs the platform
 * offline first when it is missing. Asserts the resources a deploy would create.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, links, spec, type Channel } from './spec.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const TOOLS = path.join(ROOT, 'stacks', 'tools');

interface MockResource {
  type: string;
  name: string;
  region: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
}
interface MockRun {
  account: string;
  resources: MockResource[];
  rpc: Array<Record<string, any>>;
  outputs: Record<string, string>;
  errors: string[];
}

const SECRETS = {
  SST_SECRET_SlackBotToken: 'xoxb-not-a-real-token',
  SST_SECRET_FinanceWebhookSecret: 'whsec_bm90LWEtcmVhbC1zZWNyZXQ=',
  SST_SECRET_PlatformTeamsWorkflowUrl: 'https://example.invalid/workflows/x/triggers/manual/paths/invoke?sig=not-real',
};

async function deployUnderMocks(
  args: string[],
  env: Record<string, string> = SECRETS,
): Promise<{ code: number; run: MockRun }> {
  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('SST_SECRET_') && key !== 'SPEND_ALERTS_CONFIG'),
  );
  try {
    const { stdout } = await run(process.execPath, [path.join(TOOLS, 'run-under-mocks.mjs'), ...args], {
      cwd: ROOT,
      env: { ...cleanEnv, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, run: JSON.parse(stdout) as MockRun };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (!failed.stdout) throw new Error(`run-under-mocks.mjs failed without output: ${failed.stderr}`);
    return { code: failed.code ?? 1, run: JSON.parse(failed.stdout) as MockRun };
  }
}

function resources(r: MockRun, type: string): MockResource[] {
  return r.resources.filter((x) => x.type === type);
}

function resource(r: MockRun, type: string, name: string): MockResource {
  const found = r.resources.find((x) => x.type === type && x.name === name);
  if (!found)
    throw new Error(
      `no ${type} named ${name}; have: ${resources(r, type)
        .map((x) => x.name)
        .join(', ')}`,
    );
  return found;
}

// Written out, not imported from permissions.ts, so that a widened grant fails here.
const QUEUE_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
  'sqs:SendMessage',
];
const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
];

const consumer = (channel: Channel) => `${channel.charAt(0).toUpperCase()}${channel.slice(1)}Consumer`;

/** Each (action, resource) pair a role's inline policy allows. */
function grants(role: MockResource): string[] {
  const pairs: string[] = [];
  for (const inline of role.inputs.inlinePolicies as Array<{ policy: string }>) {
    for (const statement of JSON.parse(inline.policy).Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const action of [statement.Action].flat())
        for (const res of [statement.Resource].flat()) pairs.push(`${action} ${res}`);
    }
  }
  return pairs.sort();
}

function expand(actions: string[], resourceArns: string[]): string[] {
  return actions.flatMap((a) => resourceArns.map((r) => `${a} ${r}`));
}

let workDir: string;
let east: MockRun;
let west: MockRun;
let minimal: MockRun;
let missingSecret: { code: number; run: MockRun };

beforeAll(async () => {
  // The platform comes from `sst install`, offline; CI's `npm run check:infra` has usually run it already.
  await run(process.execPath, [path.join(TOOLS, 'platform.mjs'), '--ensure'], { cwd: ROOT });

  workDir = mkdtempSync(path.join(os.tmpdir(), 'spend-alerts-deploy-test-'));
  const minimalConfig = path.join(workDir, 'minimal.yaml');
  writeFileSync(
    minimalConfig,
    [
      'version: 1',
      'email: { from: alerts@spend.example.org }',
      'receivers:',
      '  - { name: ops, type: email, to: [ops@spend.example.org] }',
      'route: { receiver: ops }',
      // The opt-in monitoring: CloudWatch alarms and custom metrics, beside the watchdog.
      'monitoring: { alarms: true, metrics: true }',
      '',
    ].join('\n'),
  );

  const [a, b, c, d] = await Promise.all([
    deployUnderMocks(['--stage', 'test', '--region', 'us-east-1']),
    deployUnderMocks(['--stage', 'production', '--region', 'eu-west-1']),
    deployUnderMocks(['--stage', 'test', '--region', 'us-east-1'], { SPEND_ALERTS_CONFIG: minimalConfig }),
    deployUnderMocks(['--stage', 'test'], {
      SST_SECRET_FinanceWebhookSecret: SECRETS.SST_SECRET_FinanceWebhookSecret,
      SST_SECRET_PlatformTeamsWorkflowUrl: SECRETS.SST_SECRET_PlatformTeamsWorkflowUrl,
    }),
  ]);
  for (const [label, result] of [
    ['us-east-1', a],
    ['eu-west-1', b],
    ['minimal config', c],
  ] as const) {
    if (result.code !== 0)
      throw new Error(`${label}: the program failed under mocks:\n${result.run.errors.join('\n')}`);
  }
  [east, west, minimal, missingSecret] = [a.run, b.run, c.run, d];
}, 300_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('sst.config.ts under Pulumi mocks (us-east-1, the example config)', () => {
  it('lets only Budgets, CloudWatch and Cost Anomaly Detection of this account publish to the spend topic', () => {
    const topic = resource(east, 'aws:sns/topic:Topic', `${spec.topic.name}Topic`);
    const policy = resource(east, 'aws:sns/topicPolicy:TopicPolicy', `${spec.topic.name}Policy`);
    expect(policy.inputs.arn).toBe(topic.state.arn);
    const document = JSON.parse(policy.inputs.policy);
    expect(document.Statement).toHaveLength(1);
    const [statement] = document.Statement;
    expect(statement.Effect).toBe('Allow');
    expect([...statement.Principal.Service].sort()).toEqual([
      'budgets.amazonaws.com',
      'cloudwatch.amazonaws.com',
      'costalerts.amazonaws.com',
    ]);
    expect(statement.Action).toEqual(['sns:Publish']);
    expect(statement.Resource).toBe(topic.state.arn);
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': east.account } });
  });

  it.each(CHANNELS)(
    '%s: a queue with a DLQ after maxReceiveCount, visibility at least six times its function timeout',
    (channel) => {
      const queue = resource(east, 'aws:sqs/queue:Queue', `${links.queue(channel)}Queue`);
      const dlq = resource(east, 'aws:sqs/queue:Queue', `${links.dlq(channel)}Queue`);
      const fn = resource(east, 'aws:lambda/function:Function', `${consumer(channel)}Function`);
      expect(JSON.parse(queue.inputs.redrivePolicy)).toEqual({
        deadLetterTargetArn: dlq.state.arn,
        maxReceiveCount: spec.consumers[channel].maxReceiveCount,
      });
      expect(queue.inputs.visibilityTimeoutSeconds).toBe(spec.consumers[channel].visibilityTimeoutSeconds);
      expect(queue.inputs.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * fn.inputs.timeout);
      expect(dlq.inputs.messageRetentionSeconds).toBe(spec.consumers[channel].dlqRetentionSeconds);
      expect(dlq.inputs.redrivePolicy).toBeUndefined();
    },
  );

  it.each(CHANNELS)('%s: the queue is subscribed to the spend topic, and accepts messages from it only', (channel) => {
    const topic = resource(east, 'aws:sns/topic:Topic', `${spec.topic.name}Topic`);
    const queue = resource(east, 'aws:sqs/queue:Queue', `${links.queue(channel)}Queue`);
    const subscriptions = resources(east, 'aws:sns/topicSubscription:TopicSubscription').filter(
      (s) => s.inputs.endpoint === queue.state.arn,
    );
    expect(subscriptions.map((s) => [s.inputs.topic, s.inputs.protocol])).toEqual([[topic.state.arn, 'sqs']]);
    const policies = resources(east, 'aws:sqs/queuePolicy:QueuePolicy').filter(
      (p) => p.inputs.queueUrl === queue.state.url,
    );
    expect(policies).toHaveLength(1);
    const [statement] = JSON.parse(policies[0]!.inputs.policy).Statement;
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: ['sns.amazonaws.com'] },
      Action: ['sqs:SendMessage'],
      Resource: queue.state.arn,
    });
    expect(statement.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [topic.state.arn] } });
  });

  it.each(CHANNELS)(
    '%s: the consumer reads its queue with partial batch responses and the spec batch settings',
    (channel) => {
      const queue = resource(east, 'aws:sqs/queue:Queue', `${links.queue(channel)}Queue`);
      const fn = resource(east, 'aws:lambda/function:Function', `${consumer(channel)}Function`);
      const mappings = resources(east, 'aws:lambda/eventSourceMapping:EventSourceMapping').filter(
        (m) => m.inputs.eventSourceArn === queue.state.arn,
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.inputs).toMatchObject({
        functionName: fn.state.arn,
        functionResponseTypes: ['ReportBatchItemFailures'],
        batchSize: spec.consumers[channel].batchSize,
        maximumBatchingWindowInSeconds: spec.consumers[channel].batchWindowSeconds,
      });
    },
  );

  it('runs every function on nodejs22.x and arm64 with the spec limits, the config bundled, the spec handler built', () => {
    const expected = [
      ...CHANNELS.map((c) => ({
        id: consumer(c),
        handler: spec.consumers[c].handler,
        timeout: spec.consumers[c].timeoutSeconds,
        memory: spec.consumers[c].memoryMb,
      })),
      ...spec.schedules.map((s) => ({
        id: `${s.name}Job`,
        handler: s.handler,
        timeout: s.timeoutSeconds,
        memory: s.memoryMb,
      })),
    ];
    expect(resources(east, 'aws:lambda/function:Function')).toHaveLength(expected.length);
    for (const { id, handler, timeout, memory } of expected) {
      const fn = resource(east, 'aws:lambda/function:Function', `${id}Function`);
      expect(fn.inputs).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], timeout, memorySize: memory });
      expect(fn.inputs.environment.variables).toMatchObject({
        SPEND_ALERTS_CONFIG: '/var/task/spend-alerts.config.json',
        SPEND_ALERTS_STAGE: 'test',
      });
      const build = east.rpc.find((call) => call.method === 'Runtime.Build' && call.functionID === id);
      const config = { from: '.sst/spend-alerts.config.json', to: 'spend-alerts.config.json' };
      // The digest draws its chart with a font shipped beside it (Lambda has no system fonts).
      const copyFiles =
        id === 'DigestJob'
          ? [config, { from: 'packages/adapters/assets/fonts/DejaVuSans.ttf', to: 'fonts/DejaVuSans.ttf' }]
          : [config];
      expect(build).toMatchObject({ handler, runtime: 'nodejs22.x', architecture: 'arm64', copyFiles });
    }
    expect(
      resource(east, 'aws:lambda/function:Function', 'DigestJobFunction').inputs.environment.variables
        .SPEND_ALERTS_CHART_FONT,
    ).toBe('/var/task/fonts/DejaVuSans.ttf');
    expect(east.rpc.filter((call) => call.unexpected)).toEqual([]);
  });

  it('links each function to what it reads through Resource, and nothing more', () => {
    const linksOf = (id: string) =>
      east.rpc.find((call) => call.method === 'Runtime.Build' && call.functionID === id)?.links;
    expect(linksOf('SlackConsumer')).toEqual(['Ledger', 'SlackBotToken', 'SlackDeadLetters', 'SlackQueue']);
    expect(linksOf('EmailConsumer')).toEqual(['EmailDeadLetters', 'EmailQueue', 'Ledger']);
    expect(linksOf('WebhookConsumer')).toEqual([
      'FinanceWebhookSecret',
      'Ledger',
      'WebhookDeadLetters',
      'WebhookQueue',
    ]);
    expect(linksOf('TeamsConsumer')).toEqual(['Ledger', 'PlatformTeamsWorkflowUrl', 'TeamsDeadLetters', 'TeamsQueue']);
    expect(linksOf('DigestJob')).toEqual(['Ledger', 'PlatformTeamsWorkflowUrl', 'SlackBotToken']);
    expect(linksOf('WatchdogJob')).toEqual([
      'EmailDeadLetters',
      'Ledger',
      'SlackDeadLetters',
      'SpendAlertsOperations',
      'SpendEvents',
      'TeamsDeadLetters',
      'WebhookDeadLetters',
    ]);
    expect(
      resources(east, 'sst:sst:Secret')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['FinanceWebhookSecret', 'PlatformTeamsWorkflowUrl', 'SlackBotToken']);
  });

  it('passes links encrypted in the bundle, not as SST_RESOURCE_<Name> variables: handlers read them with Resource from "sst"', () => {
    const fn = resource(east, 'aws:lambda/function:Function', 'SlackConsumerFunction');
    const variables = Object.keys(fn.inputs.environment.variables);
    expect(variables).toEqual(expect.arrayContaining(['SST_KEY', 'SST_KEY_FILE', 'SST_RESOURCE_App']));
    expect(variables.filter((v) => v.startsWith('SST_RESOURCE_'))).toEqual(['SST_RESOURCE_App']);
  });

  it.each(CHANNELS)(
    '%s: the consumer may use its own queue and DLQ, the ledger, Cost Explorer and Budgets, and SES only for email',
    (channel) => {
      const queue = resource(east, 'aws:sqs/queue:Queue', `${links.queue(channel)}Queue`);
      const dlq = resource(east, 'aws:sqs/queue:Queue', `${links.dlq(channel)}Queue`);
      const table = resource(east, 'aws:dynamodb/table:Table', `${spec.table.name}Table`);
      const role = resource(east, 'aws:iam/role:Role', `${consumer(channel)}Role`);
      const fn = resource(east, 'aws:lambda/function:Function', `${consumer(channel)}Function`);
      expect(fn.inputs.role).toBe(role.state.arn);
      const ses = `arn:aws:ses:us-east-1:${east.account}`;
      expect(grants(role)).toEqual(
        [
          ...expand(QUEUE_ACTIONS, [queue.state.arn]),
          ...expand(['sqs:SendMessage'], [dlq.state.arn]),
          ...expand(TABLE_ACTIONS, [table.state.arn]),
          ...expand(['ce:GetCostAndUsage'], ['*']),
          ...expand(['budgets:ViewBudget'], [`arn:aws:budgets::${east.account}:budget/*`]),
          ...(channel === 'email'
            ? expand(['ses:SendEmail'], [`${ses}:identity/spend-alerts@example.com`, `${ses}:identity/example.com`])
            : []),
        ].sort(),
      );
      // Only logs beyond the inline policy: the AWS-managed basic execution role.
      expect(role.inputs.managedPolicyArns).toEqual([
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ]);
    },
  );

  it('gives no function a wildcard action, and `*` as a resource only to Cost Explorer', () => {
    for (const role of resources(east, 'aws:iam/role:Role')) {
      for (const pair of grants(role)) {
        const [action, res] = pair.split(' ');
        expect(action, `${role.name}: ${pair}`).not.toMatch(/\*/);
        if (res === '*') expect(action, `${role.name}: ${pair}`).toMatch(/^ce:/);
      }
    }
  });

  it('lets the watchdog publish to the two topics, read and write the ledger and look at the DLQs, and the digest only use the ledger, Cost Explorer, Budgets and SES', () => {
    const topic = resource(east, 'aws:sns/topic:Topic', `${spec.topic.name}Topic`);
    const ops = resource(east, 'aws:sns/topic:Topic', `${spec.operationsTopic.name}Topic`);
    const table = resource(east, 'aws:dynamodb/table:Table', `${spec.table.name}Table`);
    const dlqs = CHANNELS.map((c) => resource(east, 'aws:sqs/queue:Queue', `${links.dlq(c)}Queue`).state.arn);
    expect(grants(resource(east, 'aws:iam/role:Role', 'WatchdogJobRole'))).toEqual(
      [
        ...expand(['sns:Publish'], [topic.state.arn, ops.state.arn]),
        ...expand(['dynamodb:GetItem', 'dynamodb:PutItem'], [table.state.arn]),
        ...expand(['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], dlqs),
      ].sort(),
    );
    const digest = grants(resource(east, 'aws:iam/role:Role', 'DigestJobRole'));
    expect(new Set(digest.map((pair) => pair.split(':')[0]))).toEqual(new Set(['dynamodb', 'ce', 'budgets', 'ses']));
  });

  it('schedules the digest and the watchdog hourly on EventBridge Scheduler, each invoking only its function', () => {
    for (const { name, schedule } of spec.schedules) {
      const fn = resource(east, 'aws:lambda/function:Function', `${name}JobFunction`);
      const job = resource(east, 'aws:scheduler/schedule:Schedule', `${name}Schedule`);
      expect(job.inputs).toMatchObject({
        scheduleExpression: schedule,
        state: 'ENABLED',
        target: { arn: fn.state.arn },
      });
      const role = resources(east, 'aws:iam/role:Role').find((r) => r.state.arn === job.inputs.target.roleArn)!;
      expect(grants(role)).toEqual([`lambda:InvokeFunction ${fn.state.arn}`]);
    }
    expect(resource(east, 'aws:scheduler/schedule:Schedule', 'DigestSchedule').inputs.scheduleExpression).toBe(
      'cron(5 * * * ? *)',
    );
  });

  it('keeps the ledger in an on-demand table with TTL on expiresAt', () => {
    const table = resource(east, 'aws:dynamodb/table:Table', `${spec.table.name}Table`);
    expect(table.inputs).toMatchObject({
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      rangeKey: 'sk',
      ttl: { attributeName: 'expiresAt', enabled: true },
    });
  });

  it('creates no alarm and publishes no custom metric by default: the watchdog watches', () => {
    expect(resources(east, 'aws:sns/topic:Topic').map((t) => t.name)).toContain(`${spec.operationsTopic.name}Topic`);
    expect(
      resources(east, 'aws:cloudwatch/metricAlarm:MetricAlarm').filter((a) => a.name.startsWith('Alarm-')),
    ).toEqual([]);
    for (const fn of resources(east, 'aws:lambda/function:Function'))
      expect(Object.keys(fn.inputs.environment.variables), fn.name).not.toContain('SPEND_ALERTS_METRICS_NAMESPACE');
    for (const fn of resources(minimal, 'aws:lambda/function:Function'))
      expect(fn.inputs.environment.variables.SPEND_ALERTS_METRICS_NAMESPACE, fn.name).toBe('SpendAlerts/test');
  });

  it('with monitoring.alarms and metrics, alarms to the operations topic on DLQ depth and age, function errors and a missing heartbeat', () => {
    const ops = resource(minimal, 'aws:sns/topic:Topic', `${spec.operationsTopic.name}Topic`);
    const alarms = resources(minimal, 'aws:cloudwatch/metricAlarm:MetricAlarm').filter((a) =>
      a.name.startsWith('Alarm-'),
    );
    for (const alarm of alarms) {
      expect(alarm.inputs.alarmActions, alarm.name).toEqual([ops.state.arn]);
      expect(alarm.inputs.name).toBe(`spend-alerts-test-${alarm.name.slice('Alarm-'.length)}`);
    }
    const find = (metric: string, dimension: string, value: string) =>
      alarms.filter((a) => a.inputs.metricName === metric && a.inputs.dimensions[dimension] === value);
    // The minimal config delivers by email only: the one channel deployed, so the one channel watched.
    for (const channel of ['email'] as const) {
      const dlqName = resource(minimal, 'aws:sqs/queue:Queue', `${links.dlq(channel)}Queue`).state.name;
      expect(find('ApproximateNumberOfMessagesVisible', 'QueueName', dlqName)[0]?.inputs).toMatchObject({
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(find('ApproximateAgeOfOldestMessage', 'QueueName', dlqName)).toHaveLength(1);
      expect(find('Heartbeat', 'Channel', channel)[0]?.inputs).toMatchObject({
        namespace: 'SpendAlerts/test',
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      });
    }
    for (const fn of resources(minimal, 'aws:lambda/function:Function')) {
      expect(find('Errors', 'FunctionName', fn.state.name), fn.name).toHaveLength(1);
    }
    expect(alarms).toHaveLength(3 + resources(minimal, 'aws:lambda/function:Function').length);
  });

  it("creates the config's budgets, billing alarms and anomaly monitor, notifying the spend topic", () => {
    const topic = resource(east, 'aws:sns/topic:Topic', `${spec.topic.name}Topic`);
    const budgets = resources(east, 'aws:budgets/budget:Budget');
    expect(budgets.map((b) => b.inputs.name).sort()).toEqual(['data-lake-monthly-test', 'monthly-total-test']);
    for (const budget of budgets) {
      for (const n of budget.inputs.notifications) expect(n.subscriberSnsTopicArns).toEqual([topic.state.arn]);
    }
    const billing = resources(east, 'aws:cloudwatch/metricAlarm:MetricAlarm').filter(
      (a) => a.inputs.namespace === 'AWS/Billing',
    );
    expect(billing.map((a) => [a.inputs.name, a.region, a.inputs.alarmActions]).sort()).toEqual([
      ['ec2-charges-over-4k-test', 'us-east-1', [topic.state.arn]],
      ['estimated-charges-over-10k-test', 'us-east-1', [topic.state.arn]],
    ]);
    const monitor = resource(east, 'aws:costexplorer/anomalyMonitor:AnomalyMonitor', 'AnomalyMonitor');
    expect(
      resource(east, 'aws:costexplorer/anomalySubscription:AnomalySubscription', 'AnomalySubscription').inputs,
    ).toMatchObject({
      frequency: 'IMMEDIATE',
      monitorArnLists: [monitor.state.arn],
      subscribers: [{ type: 'SNS', address: topic.state.arn }],
    });
  });
});

describe('sst.config.ts under Pulumi mocks, deployed outside us-east-1 (eu-west-1, production)', () => {
  it('puts the billing alarms in us-east-1, on a forwarding topic there that every queue subscribes to', () => {
    const provider = resource(west, 'pulumi:providers:aws', 'BillingRegion');
    expect(provider.inputs.region).toBe('us-east-1');
    const main = resource(west, 'aws:sns/topic:Topic', `${spec.topic.name}Topic`);
    const forwarder = resource(west, 'aws:sns/topic:Topic', `${spec.topic.name}UsEast1Topic`);
    expect([main.region, forwarder.region]).toEqual(['eu-west-1', 'us-east-1']);
    expect(
      JSON.parse(resource(west, 'aws:sns/topicPolicy:TopicPolicy', `${spec.topic.name}UsEast1Policy`).inputs.policy)
        .Statement[0].Condition,
    ).toEqual({
      StringEquals: { 'aws:SourceAccount': west.account },
    });
    const billing = resources(west, 'aws:cloudwatch/metricAlarm:MetricAlarm').filter(
      (a) => a.inputs.namespace === 'AWS/Billing',
    );
    expect(billing.map((a) => [a.inputs.name, a.region, a.inputs.alarmActions])).toEqual([
      ['estimated-charges-over-10k', 'us-east-1', [forwarder.state.arn]],
      ['ec2-charges-over-4k', 'us-east-1', [forwarder.state.arn]],
    ]);
    for (const channel of CHANNELS) {
      const queue = resource(west, 'aws:sqs/queue:Queue', `${links.queue(channel)}Queue`);
      expect(queue.region).toBe('eu-west-1');
      const sources = resources(west, 'aws:sns/topicSubscription:TopicSubscription').filter(
        (s) => s.inputs.endpoint === queue.state.arn,
      );
      expect(sources.map((s) => [s.inputs.topic, s.region]).sort()).toEqual(
        [
          [main.state.arn, 'eu-west-1'],
          [forwarder.state.arn, 'us-east-1'],
        ].sort(),
      );
      const policy = resources(west, 'aws:sqs/queuePolicy:QueuePolicy').find(
        (p) => p.inputs.queueUrl === queue.state.url,
      )!;
      expect(JSON.parse(policy.inputs.policy).Statement[0].Condition.ArnEquals['aws:SourceArn']).toEqual([
        main.state.arn,
        forwarder.state.arn,
      ]);
    }
  });

  it('keeps production names as configured and Budgets and anomalies on the main topic', () => {
    const main = resource(west, 'aws:sns/topic:Topic', `${spec.topic.name}Topic`);
    const budgets = resources(west, 'aws:budgets/budget:Budget');
    expect(budgets.map((b) => [b.inputs.name, b.region]).sort()).toEqual([
      ['data-lake-monthly', 'us-east-1'],
      ['monthly-total', 'us-east-1'],
    ]);
    expect(budgets[0]!.inputs.notifications[0].subscriberSnsTopicArns).toEqual([main.state.arn]);
    expect(
      resource(west, 'aws:costexplorer/anomalySubscription:AnomalySubscription', 'AnomalySubscription').inputs
        .subscribers,
    ).toEqual([{ type: 'SNS', address: main.state.arn }]);
    const ses = resources(west, 'aws:iam/role:Role').find((r) => r.name === 'EmailConsumerRole')!;
    expect(grants(ses).filter((g) => g.startsWith('ses:'))).toEqual([
      `ses:SendEmail arn:aws:ses:eu-west-1:${west.account}:identity/example.com`,
      `ses:SendEmail arn:aws:ses:eu-west-1:${west.account}:identity/spend-alerts@example.com`,
    ]);
  });
});

describe('sst.config.ts under Pulumi mocks, other configs', () => {
  it('creates no budget, billing alarm, anomaly monitor or unused secret when the config asks for none', () => {
    expect(resources(minimal, 'aws:budgets/budget:Budget')).toEqual([]);
    expect(
      resources(minimal, 'aws:cloudwatch/metricAlarm:MetricAlarm').filter((a) => a.inputs.namespace === 'AWS/Billing'),
    ).toEqual([]);
    expect(resources(minimal, 'aws:costexplorer/anomalyMonitor:AnomalyMonitor')).toEqual([]);
    expect(resources(minimal, 'sst:sst:Secret')).toEqual([]);
    const email = grants(resource(minimal, 'aws:iam/role:Role', 'EmailConsumerRole'));
    expect(email.filter((g) => g.startsWith('ses:'))).toEqual([
      `ses:SendEmail arn:aws:ses:us-east-1:${minimal.account}:identity/alerts@spend.example.org`,
      `ses:SendEmail arn:aws:ses:us-east-1:${minimal.account}:identity/spend.example.org`,
    ]);
  });

  it('deploys only the channels the config has receivers on: a queue, a DLQ and a consumer each', () => {
    const queues = resources(minimal, 'aws:sqs/queue:Queue').map((q) => q.name);
    expect(queues.sort()).toEqual([`${links.dlq('email')}Queue`, `${links.queue('email')}Queue`]);
    const mappings = resources(minimal, 'aws:lambda/eventSourceMapping:EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const functions = resources(minimal, 'aws:lambda/function:Function').map((f) => f.name);
    expect(functions.sort()).toEqual(['DigestJobFunction', `${consumer('email')}Function`, 'WatchdogJobFunction']);
    const subscribed = resources(minimal, 'aws:sns/topicSubscription:TopicSubscription').map((s) => s.inputs.endpoint);
    expect(subscribed).toEqual([resource(minimal, 'aws:sqs/queue:Queue', `${links.queue('email')}Queue`).state.arn]);
    // The watchdog looks at the one dead-letter queue there is.
    const watchdog = grants(resource(minimal, 'aws:iam/role:Role', 'WatchdogJobRole'));
    const dlqArn = resource(minimal, 'aws:sqs/queue:Queue', `${links.dlq('email')}Queue`).state.arn;
    expect(watchdog.filter((g) => g.startsWith('sqs:')).map((g) => g.split(' ')[1])).toEqual(
      expect.arrayContaining([dlqArn]),
    );
    expect(watchdog.filter((g) => g.startsWith('sqs:') && !g.endsWith(dlqArn))).toEqual([]);
  });

  it('refuses to deploy while a secret the config names is unset, saying how to set it', () => {
    expect(missingSecret.code).not.toBe(0);
    expect(missingSecret.run.errors.join('\n')).toContain(
      'Set a value for SlackBotToken with `sst secret set SlackBotToken <value>`',
    );
  });
});
