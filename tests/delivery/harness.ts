import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PublishCommand, PublishBatchCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { awsChannelDeps, createChannelHandler, type ChannelDeps } from '@spend-alerts/functions';
import { CHANNELS, spec, type Channel } from '@spend-alerts/stacks/spec';
import { SqsPoller } from '@spend-alerts/local/runtime/poller.ts';
import { startLocalStack, type LocalStack } from '@spend-alerts/local/runtime/stack.ts';

export interface Harness {
  stack: LocalStack;
  deps: Record<Channel, ChannelDeps>;
  pollers: SqsPoller[];
  logs: string[];
  configPath: string;
  publish(message: string, subject?: string): Promise<void>;
  publishMany(messages: string[]): Promise<void>;
  /** Resolves once every queue is empty and no poller is busy, twice in a row. */
  drained(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The delivery pipeline as deployed, on loopback: the topic, one queue per channel with its DLQ,
 * the three consumers (the real handler modules' factory and dependencies) polled like Lambda's
 * event source mapping. `configYaml` may use `{{webhookUrl}}`.
 */
export async function startHarness(
  configYaml: string,
  options: { deliverTwice?: boolean; retryDelayMs?: number; costExplorerUrl?: string } = {},
): Promise<Harness> {
  const stack = await startLocalStack({
    secretNames: { slackToken: 'SlackBotToken', webhookSigning: ['HookSecret'], webhookUrls: [] },
    costExplorerUrl: options.costExplorerUrl,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sa-harness-'));
  const configPath = join(dir, 'spend-alerts.config.yaml');
  writeFileSync(configPath, configYaml.replaceAll('{{webhookUrl}}', stack.webhook.url));
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const deps = {} as Record<Channel, ChannelDeps>;
  const pollers: SqsPoller[] = [];
  for (const channel of CHANNELS) {
    const d = await awsChannelDeps(channel, {
      env: stack.env({ SPEND_ALERTS_CONFIG: configPath }),
      logDestination: destination,
    });
    // Retries come back after a second instead of the production backoff, to keep the test short.
    const real = d.queue;
    const queue: ChannelDeps['queue'] = {
      deadLetter: (record, failure) => real.deadLetter(record, failure),
      scheduleFlush: (groupId, delayMs) => real.scheduleFlush(groupId, delayMs),
      backoff: (record) => real.backoff(record, options.retryDelayMs ?? 1000),
    };
    deps[channel] = { ...d, queue };
    const handler = createChannelHandler(async () => deps[channel]);
    const consumer = { ...spec.consumers[channel], batchWindowSeconds: 0 };
    const poller = new SqsPoller({
      sqs: stack.sqs,
      queueUrl: stack.queues[channel].url,
      queueArn: stack.queues[channel].arn,
      consumer,
      handler,
      deliverTwice: options.deliverTwice,
      onError: (e) => logs.push(`poller error: ${(e as Error).stack}`),
    });
    pollers.push(poller);
  }
  return {
    stack,
    deps,
    pollers,
    logs,
    configPath,
    async publish(message, subject) {
      await stack.sns.send(new PublishCommand({ TopicArn: stack.topicArn, Message: message, Subject: subject }));
    },
    async publishMany(messages) {
      for (let i = 0; i < messages.length; i += 10) {
        await stack.sns.send(
          new PublishBatchCommand({
            TopicArn: stack.topicArn,
            PublishBatchRequestEntries: messages.slice(i, i + 10).map((Message, j) => ({ Id: String(i + j), Message })),
          }),
        );
      }
    },
    async drained(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (Date.now() < deadline) {
        const depths = await Promise.all(CHANNELS.map((c) => stack.depth(stack.queues[c].url)));
        const empty = depths.every((d) => d.visible + d.inFlight + d.delayed === 0) && pollers.every((p) => !p.busy);
        quiet = empty ? quiet + 1 : 0;
        if (quiet >= 2) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      const depths = await Promise.all(
        CHANNELS.map(async (c) => `${c}: ${JSON.stringify(await stack.depth(stack.queues[c].url))}`),
      );
      throw new Error(
        `the queues did not drain in time (${depths.join('; ')}; busy: ${pollers.map((p) => p.busy)})\nlast log lines:\n${logs.slice(-15).join('\n')}`,
      );
    },
    async close() {
      await Promise.all(pollers.map((p) => p.stop()));
      await stack.close();
    },
  };
}

/** Every message on a dead-letter queue, with its attributes (received and left in place). */
export async function deadLetters(stack: LocalStack, channel: Channel) {
  const out = await stack.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: stack.queues[channel].dlqUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 0,
    }),
  );
  return (out.Messages ?? []).map((m) => ({
    body: m.Body ?? '',
    attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])),
  }));
}

/** Emails in the local SES outbox. */
export async function outbox(
  stack: LocalStack,
): Promise<Array<{ subject: string; destination: { to: string[] }; body: { html?: string; text?: string } }>> {
  const response = await fetch(`${stack.sesUrl}/store`);
  return ((await response.json()) as { emails: never[] }).emails;
}
