import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { createLogger } from '@spend-alerts/adapters/log';
import { isDigestReceiver, type Config } from '@spend-alerts/core';
import { type Channel, channelsInUse, links, spec } from '@spend-alerts/stacks/spec';
import { heartbeatMessage } from '../pipeline/heartbeat.ts';
import { type Clock, systemClock } from '../pipeline/deps.ts';
import { readBundledConfig } from '../runtime/config.ts';
import { linkedResource } from '../runtime/resources.ts';
import { ledgerStores } from '../runtime/shared.ts';
import type { WatchdogDeps } from './run-watchdog.ts';

export interface WatchdogDepsOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  config?: Config;
  logDestination?: NonNullable<Parameters<typeof createLogger>[0]>['destination'];
}

/** The watchdog's dependencies as a deployed function has them: links to the table, the topics and the dead-letter queues. */
export async function awsWatchdogDeps(options: WatchdogDepsOptions = {}): Promise<WatchdogDeps> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const config = options.config ?? (await readBundledConfig(env));
  const sqs = new SQSClient(awsClientConfig(env, 'SQS'));
  const sns = new SNSClient(awsClientConfig(env, 'SNS'));
  const topic = linkedResource<{ arn: string }>(links.topic, env).arn;
  const operations = linkedResource<{ arn: string }>(links.operationsTopic, env).arn;
  return {
    // The channels deployed for this config: each has a consumer that must see the heartbeat.
    channels: channelsInUse(config.receivers),
    store: ledgerStores(env, clock).cache,
    async deadLetters(channel) {
      const url = linkedResource<{ url: string }>(links.dlq(channel as Channel), env).url;
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const messages =
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (!messages) return { messages, oldestSentAt: null };
      // A look at one record, left visible, for its age (SQS does not say which is oldest; this is one of them).
      const peek = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      const sent = (peek.Messages ?? []).map((m) => Number(m.Attributes?.SentTimestamp)).filter(Number.isFinite);
      return { messages, oldestSentAt: sent.length ? new Date(Math.min(...sent)).toISOString() : null };
    },
    deadLetterRetentionSeconds: spec.consumers.slack.dlqRetentionSeconds,
    digestsExpected: config.receivers.some(isDigestReceiver),
    async publishHeartbeat(at) {
      await sns.send(new PublishCommand({ TopicArn: topic, Message: heartbeatMessage(at) }));
    },
    async notify(subject, message) {
      await sns.send(new PublishCommand({ TopicArn: operations, Subject: subject, Message: message }));
    },
    stage: env.SPEND_ALERTS_STAGE ?? 'local',
    clock,
    logger: createLogger({
      base: { service: 'spend-alerts', channel: 'watchdog' },
      destination: options.logDestination,
    }),
  };
}
