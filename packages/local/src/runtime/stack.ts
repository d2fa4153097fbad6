import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import sesLocalModule from 'aws-ses-v2-local';
import { createLedgerTable, REQUEST_TIMEOUTS } from '@spend-alerts/adapters';
import { CHANNELS, links, spec, type Channel } from '@spend-alerts/stacks/spec';
import { LOCAL_ENDPOINTS_ENV } from '@spend-alerts/functions/runtime/notifiers/teams.ts';
import { DynamoMeter } from '../meter/dynamodb-meter.ts';
import { meteredCredentials, startMeteredProxy } from '../meter/proxy.ts';
import { CostMeter, type UsageRecord } from '../meter/usage.ts';
import { startSlackApi, type SlackApi } from '../standins/slack-api.ts';
import { startTeamsWorkflows, type TeamsWorkflows } from '../standins/teams-workflow.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../standins/webhook-receiver.ts';
import { startSnsSqs } from './fauxqs.ts';

// A CommonJS module with `exports.default`: some loaders hand over the function, others the module.
const sesLocal = ((sesLocalModule as unknown as { default?: typeof sesLocalModule }).default ??
  sesLocalModule) as typeof sesLocalModule;

/** Credentials the stand-ins accept; they check nothing, the SDK just needs some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export interface QueuePair {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface LocalStack {
  snsSqsUrl: string;
  /** What the pipeline's own requests would cost in AWS: counted by proxies in front of the stand-ins. */
  meter: CostMeter;
  /** Item sizes as DynamoDB bills them, and the bytes the table holds. */
  dynamoMeter: DynamoMeter;
  /** Endpoints through the meter, by the SDK's service id (what `env()` hands to handlers). */
  metered: { snsSqs: string; dynamo: string; ses: string; costExplorer?: string };
  /** An SNS client that publishes through the meter, as the AWS services notifying the topic. */
  publisher: SNSClient;
  /** The meter's records, with the Slack and webhook calls the stand-ins received. */
  usage(): UsageRecord[];
  dynamoUrl: string;
  sesUrl: string;
  slack: SlackApi;
  webhook: WebhookReceiver;
  /** The Teams Workflows stand-in: each Teams URL secret holds one of its flows' URLs. */
  teams: TeamsWorkflows;
  /** The Standard Webhooks secret the local receiver verifies with. */
  webhookSecret: string;
  topicArn: string;
  /** Where the watchdog reports; `operationsInbox` is a queue subscribed to it, to read them back. */
  operationsTopicArn: string;
  operationsInbox: string;
  queues: Record<Channel, QueuePair>;
  tableName: string;
  sqs: SQSClient;
  sns: SNSClient;
  dynamo: DynamoDBClient;
  /** The environment a handler runs with: SST links, secrets, endpoints, as in a deployed function. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Messages ready, in flight and delayed on a queue. */
  depth(queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }>;
  close(): Promise<void>;
}

export interface LocalStackOptions {
  /** The names of the secrets the config references (webhook signing secrets, URL secrets, the Slack token). */
  secretNames?: {
    slackToken: string;
    webhookSigning: string[];
    webhookUrls: string[];
    teamsUrls?: string[];
    webhookHeaders?: string[];
  };
  costExplorerUrl?: string;
  configPath?: string;
}

/** Bytes a Slack call or webhook request carried, for data transfer out. */
const bodyBytes = (body: string) => Buffer.byteLength(body);

/**
 * Starts the stand-ins on 127.0.0.1 and creates, through the same SDK calls a deployment makes, the
 * topology `stacks/spec.ts` describes: the topic, one queue per channel with its DLQ and redrive
 * policy, the subscriptions, and the ledger table.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const trace = (step: string) => process.env.SPEND_ALERTS_DEBUG && process.stderr.write(`spend-alerts: ${step}\n`);
    trace('SNS/SQS');
    const snsSqs = await startSnsSqs();
    closers.push(snsSqs.close);
    const dyn = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => dyn.listen(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise((r) => dyn.close(() => r(undefined))));
    trace('SES');
    const ses: Server = await sesLocal({ host: '127.0.0.1', port: 0 });
    closers.push(() => new Promise((r) => ses.close(() => r(undefined))));
    trace('Slack');
    const slack = await startSlackApi();
    closers.push(() => slack.close());
    const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
    trace('webhook receiver');
    const webhook = await startWebhookReceiver({ secret: webhookSecret });
    trace('Teams workflows');
    const teams = await startTeamsWorkflows();
    closers.push(() => teams.close());
    closers.push(() => webhook.close());

    const dynamoUrl = `http://127.0.0.1:${(dyn.address() as AddressInfo).port}`;
    const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
    trace('meters');
    const meter = new CostMeter();
    const dynamoMeter = new DynamoMeter();
    const proxy = async (target: string, service: Parameters<typeof startMeteredProxy>[0]['service']) => {
      const p = await startMeteredProxy({ target, service, meter, dynamo: dynamoMeter });
      closers.push(p.close);
      return p.url;
    };
    const metered = {
      snsSqs: await proxy(snsSqs.url, 'sns-sqs'),
      dynamo: await proxy(dynamoUrl, 'dynamodb'),
      ses: await proxy(sesUrl, 'ses'),
      ...(options.costExplorerUrl ? { costExplorer: await proxy(options.costExplorerUrl, 'json') } : {}),
    };
    // aws-ses-v2-local keeps one outbox per process, shared by every instance: a new stack starts empty.
    await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
    const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: REQUEST_TIMEOUTS };
    const sqs = new SQSClient({ ...client, endpoint: snsSqs.url });
    const sns = new SNSClient({ ...client, endpoint: snsSqs.url });
    const dynamo = new DynamoDBClient({ ...client, endpoint: dynamoUrl });
    const publisher = new SNSClient({ ...client, endpoint: metered.snsSqs, credentials: meteredCredentials('aws') });

    trace('creating the topology');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: spec.topic.name }));
    const operations = await sns.send(new CreateTopicCommand({ Name: spec.operationsTopic.name }));
    const inbox = await createQueue(sqs, 'OperationsInbox', {});
    await sns.send(
      new SubscribeCommand({
        TopicArn: operations.TopicArn,
        Protocol: 'sqs',
        Endpoint: inbox.arn,
        Attributes: { RawMessageDelivery: 'false' },
      }),
    );
    const queues = {} as Record<Channel, QueuePair>;
    for (const channel of CHANNELS) {
      const consumer = spec.consumers[channel];
      const dlq = await createQueue(sqs, links.dlq(channel), {
        MessageRetentionPeriod: String(consumer.dlqRetentionSeconds),
      });
      const queue = await createQueue(sqs, links.queue(channel), {
        VisibilityTimeout: String(consumer.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: consumer.maxReceiveCount }),
      });
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
      queues[channel] = { url: queue.url, arn: queue.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
    }
    const tableName = spec.table.name;
    await createLedgerTable(dynamo, tableName);

    const names = options.secretNames ?? { slackToken: spec.secrets.slackToken, webhookSigning: [], webhookUrls: [] };
    const resource = (value: unknown) => JSON.stringify(value);
    return {
      snsSqsUrl: snsSqs.url,
      meter,
      dynamoMeter,
      metered,
      publisher,
      usage() {
        const records = meter.records();
        const other = (key: UsageRecord['key'], detail: string, quantity: number) =>
          quantity > 0 && records.push({ key, source: 'other', detail, quantity });
        other('slack.calls', 'Slack Web API', slack.calls.length);
        other('webhook.requests', 'webhook', webhook.requests.length);
        other('teams.requests', 'Teams', teams.posts.length);
        other(
          'dataTransfer.outBytes',
          'Slack Web API',
          slack.calls.reduce((n, c) => n + c.bytes, 0),
        );
        other(
          'dataTransfer.outBytes',
          'webhook',
          webhook.requests.reduce((n, r) => n + bodyBytes(r.body), 0),
        );
        other(
          'dataTransfer.outBytes',
          'Teams',
          teams.posts.reduce((n, p) => n + p.bytes, 0),
        );
        return records;
      },
      dynamoUrl,
      sesUrl,
      slack,
      webhook,
      teams,
      webhookSecret,
      topicArn: TopicArn!,
      operationsTopicArn: operations.TopicArn!,
      operationsInbox: inbox.url,
      queues,
      tableName,
      sqs,
      sns,
      dynamo,
      env(extra = {}) {
        const env: NodeJS.ProcessEnv = {
          AWS_REGION: LOCAL_REGION,
          // Handlers reach the stand-ins through the meter; the access key id names who is asking.
          AWS_ACCESS_KEY_ID: meteredCredentials('other').accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_ENDPOINT_URL_SQS: metered.snsSqs,
          AWS_ENDPOINT_URL_SNS: metered.snsSqs,
          AWS_ENDPOINT_URL_DYNAMODB: metered.dynamo,
          AWS_ENDPOINT_URL_SESV2: metered.ses,
          ...(metered.costExplorer
            ? {
                AWS_ENDPOINT_URL_COST_EXPLORER: metered.costExplorer,
                AWS_ENDPOINT_URL_BUDGETS: metered.costExplorer,
              }
            : {}),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          SLACK_API_URL: slack.url,
          // The local receiver listens on 127.0.0.1: only this runtime opens loopback to webhooks.
          SPEND_ALERTS_WEBHOOK_LOOPBACK: 'allow',
          ...(options.configPath ? { SPEND_ALERTS_CONFIG: options.configPath } : {}),
          [`SST_RESOURCE_${links.table}`]: resource({ name: tableName }),
          [`SST_RESOURCE_${links.topic}`]: resource({ arn: TopicArn }),
          [`SST_RESOURCE_${links.operationsTopic}`]: resource({ arn: operations.TopicArn }),
          [`SST_RESOURCE_${names.slackToken}`]: resource({ value: slack.token }),
        };
        for (const channel of CHANNELS) {
          env[`SST_RESOURCE_${links.queue(channel)}`] = resource({
            url: queues[channel].url,
            arn: queues[channel].arn,
          });
          env[`SST_RESOURCE_${links.dlq(channel)}`] = resource({
            url: queues[channel].dlqUrl,
            arn: queues[channel].dlqArn,
          });
        }
        for (const name of names.webhookSigning) env[`SST_RESOURCE_${name}`] = resource({ value: webhookSecret });
        for (const name of names.webhookUrls) env[`SST_RESOURCE_${name}`] = resource({ value: webhook.url });
        // Each Teams URL secret is a flow of the stand-in, named after it; loopback is open to it locally only.
        for (const name of names.teamsUrls ?? []) env[`SST_RESOURCE_${name}`] = resource({ value: teams.urlOf(name) });
        env[LOCAL_ENDPOINTS_ENV] = '1';
        // Header secrets get a stand-in value: the local receiver checks the signature, not headers.
        for (const name of names.webhookHeaders ?? [])
          env[`SST_RESOURCE_${name}`] = resource({ value: `local-${name}` });
        return { ...env, ...extra };
      },
      async depth(queueUrl) {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        return {
          visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
          delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
        };
      },
      async close() {
        sqs.destroy();
        sns.destroy();
        publisher.destroy();
        dynamo.destroy();
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}
