/**
 * The naive peer: the Slack notifier a user would write instead of this project (what the popular
 * Terraform Slack module does, behind SQS). Receive a batch (the same poller as the channel consumers:
 * Lambda's event source mapping), and for each record in turn take the message out of its SNS envelope,
 * format it as one line of text, `chat.postMessage` it with `@slack/web-api` as configured by default
 * (which waits out a 429's Retry-After and retries), and let the poller delete the batch. No ledger, no
 * grouping, no enrichment, no dead-letter handling: a failed post fails the whole batch, which comes back.
 * Environment: `NAIVE_SLACK_TOKEN`, `NAIVE_SLACK_CHANNEL`, `SLACK_API_URL`, plus the queue's SST link.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { LogLevel, WebClient } from '@slack/web-api';
import { awsClientConfig } from '@spend-alerts/adapters';
import { SqsPoller } from '@spend-alerts/local/runtime/poller.ts';
import { links, spec } from '@spend-alerts/stacks/spec';

const env = process.env;
const queue = JSON.parse(env[`SST_RESOURCE_${links.queue('slack')}`] ?? '{}') as { url: string; arn: string };
// Retries as configured by default (a 429's Retry-After waited out); only its warnings kept out of the bench's output.
const slack = new WebClient(env.NAIVE_SLACK_TOKEN, { slackApiUrl: env.SLACK_API_URL, logLevel: LogLevel.ERROR });
const channel = env.NAIVE_SLACK_CHANNEL ?? '#general';

/** One line of text, the way such notifiers do it: the alarm's name, state and reason, or the raw text. */
function naiveText(body: string): string {
  const envelope = parse(body) as { Message?: string; Subject?: string } | null;
  const message = envelope?.Message ?? body;
  const alarm = parse(message) as { AlarmName?: string; NewStateValue?: string; NewStateReason?: string } | null;
  if (alarm?.AlarmName)
    return `:rotating_light: *${alarm.AlarmName}* is ${alarm.NewStateValue}: ${alarm.NewStateReason}`;
  return envelope?.Subject ? `*${envelope.Subject}*\n${message}` : message;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // plain text: a budget notification, or a raw delivery
  }
}

const poller = new SqsPoller({
  sqs: new SQSClient(awsClientConfig(env, 'SQS')),
  queueUrl: queue.url,
  queueArn: queue.arn,
  consumer: { ...spec.consumers.slack, batchWindowSeconds: Number(env.SPEND_ALERTS_BATCH_WINDOW ?? 0) },
  handler: async (event) => {
    for (const record of event.Records) await slack.chat.postMessage({ channel, text: naiveText(record.body) });
    return { batchItemFailures: [] };
  },
  onError: (error) => process.stderr.write(`naive consumer: ${String(error)}\n`),
});
poller.start();
process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
process.on('SIGTERM', () => void poller.stop().then(() => process.exit(0)));
