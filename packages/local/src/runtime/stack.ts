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
import { startSlackApi, type SlackApi } from '../standins/slack-api.ts';
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
  dynamoUrl: string;
  sesUrl: string;
  slack: SlackApi;
  webhook: WebhookReceiver;
  /** The Standard Webhooks secret the local receiver verifies with. */
  webhookSecret: string;
  topicArn: string;
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
  secretNames?: { slackToken: string; webhookSigning: string[]; webhookUrls: string[] };
  costExplorerUrl?: string;
  configPath?: string;
}

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
    closers.push(() => webhook.close());

    const dynamoUrl = `http://127.0.0.1:${(dyn.address() as AddressInfo).port}`;
    const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
    // aws-ses-v2-local keeps one outbox per process, shared by every instance: a new stack starts empty.
    await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
    const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: REQUEST_TIMEOUTS };
    const sqs = new SQSClient({ ...client, endpoint: snsSqs.url });
    const sns = new SNSClient({ ...client, endpoint: snsSqs.url });
    const dynamo = new DynamoDBClient({ ...client, endpoint: dynamoUrl });

    trace('creating the topology');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: spec.topic.name }));
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
      dynamoUrl,
      sesUrl,
      slack,
      webhook,
      webhookSecret,
      topicArn: TopicArn!,
      queues,
      tableName,
      sqs,
      sns,
      dynamo,
      env(extra = {}) {
        const env: NodeJS.ProcessEnv = {
          AWS_REGION: LOCAL_REGION,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_ENDPOINT_URL_SQS: snsSqs.url,
          AWS_ENDPOINT_URL_SNS: snsSqs.url,
          AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
          AWS_ENDPOINT_URL_SESV2: sesUrl,
          ...(options.costExplorerUrl
            ? {
                AWS_ENDPOINT_URL_COST_EXPLORER: options.costExplorerUrl,
                AWS_ENDPOINT_URL_BUDGETS: options.costExplorerUrl,
              }
            : {}),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          SLACK_API_URL: slack.url,
          ...(options.configPath ? { SPEND_ALERTS_CONFIG: options.configPath } : {}),
          [`SST_RESOURCE_${links.table}`]: resource({ name: tableName }),
          [`SST_RESOURCE_${links.topic}`]: resource({ arn: TopicArn }),
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
