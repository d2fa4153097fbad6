import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** A dead-lettered record, as `spend-alerts dlq list` and the dashboard show it. */
export interface DeadLetter {
  messageId: string;
  reason: string;
  failure: string;
  receiver: string;
  body: string;
}

const REASON = 'spend-alerts-reason';

/** Reads every message on a DLQ without taking it: each is made visible again at once. */
export async function listDeadLetters(sqs: SQSClient, dlqUrl: string, max = 100): Promise<DeadLetter[]> {
  const seen = new Map<string, DeadLetter>();
  for (let round = 0; round < Math.ceil(max / 10) + 1; round++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 5,
        WaitTimeSeconds: 0,
      }),
    );
    const messages = out.Messages ?? [];
    for (const m of messages) seen.set(m.MessageId!, toDeadLetter(m));
    await Promise.all(
      messages.map((m) =>
        sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: dlqUrl,
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: 0,
          }),
        ),
      ),
    );
    if (messages.length < 10 || messages.every((m) => seen.has(m.MessageId!) && round > 0)) break;
  }
  return [...seen.values()];
}

/**
 * Moves dead-lettered records back to their queue (one by message id, or all), without the
 * dead-letter attributes, so the consumer tries them afresh. Returns how many moved.
 */
export async function redrive(sqs: SQSClient, dlqUrl: string, queueUrl: string, messageId?: string): Promise<number> {
  let moved = 0;
  for (let round = 0; round < 100; round++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 10,
        WaitTimeSeconds: 0,
      }),
    );
    const messages = out.Messages ?? [];
    if (!messages.length) break;
    let skipped = 0;
    for (const m of messages) {
      if (messageId && m.MessageId !== messageId) {
        skipped++;
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: dlqUrl,
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: 0,
          }),
        );
        continue;
      }
      const attributes = Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).filter(
          ([k]) => !k.startsWith('spend-alerts-') || k === 'spend-alerts-control',
        ),
      );
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: m.Body ?? '',
          MessageAttributes: Object.keys(attributes).length ? attributes : undefined,
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle! }));
      moved++;
    }
    if (messageId && moved) break;
    if (skipped === messages.length) break;
  }
  return moved;
}

function toDeadLetter(m: Message): DeadLetter {
  const attr = (k: string) => m.MessageAttributes?.[k]?.StringValue ?? '';
  return {
    messageId: m.MessageId!,
    reason: attr(REASON) || 'moved by the queue after its maxReceiveCount',
    failure: attr('spend-alerts-failure') || 'unknown',
    receiver: attr('spend-alerts-receiver'),
    body: m.Body ?? '',
  };
}
