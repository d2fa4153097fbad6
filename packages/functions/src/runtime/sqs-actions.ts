import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { scrub } from '@spend-alerts/adapters/log';
import { CONTROL_ATTRIBUTE, flushMessage } from '../pipeline/control.ts';
import type { QueueActions } from '../pipeline/deps.ts';

const MAX_DELAY_S = 900; // SQS DelaySeconds maximum
const MAX_VISIBILITY_S = 43_200; // 12 hours

/** Queue actions on real SQS (or a stand-in speaking its protocol). */
export class SqsQueueActions implements QueueActions {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterUrl: string,
    private readonly channel: string,
  ) {}

  async deadLetter(record: SQSRecord, failure: { reason: string; receiver?: string; failure?: string }): Promise<void> {
    // Dead letters are read by people (`spend-alerts dlq list`): no secret goes in an attribute.
    const attr = (value: string) => ({ DataType: 'String', StringValue: scrub(value).slice(0, 1024) });
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterUrl,
        MessageBody: record.body,
        MessageAttributes: {
          'spend-alerts-reason': attr(failure.reason),
          'spend-alerts-failure': attr(failure.failure ?? 'permanent'),
          'spend-alerts-channel': attr(this.channel),
          'spend-alerts-receiver': attr(failure.receiver ?? ''),
          'spend-alerts-original-message-id': attr(record.messageId),
          'spend-alerts-receive-count': attr(record.attributes?.ApproximateReceiveCount ?? '1'),
          ...(record.messageAttributes?.[CONTROL_ATTRIBUTE]?.stringValue
            ? { [CONTROL_ATTRIBUTE]: attr(record.messageAttributes[CONTROL_ATTRIBUTE].stringValue!) }
            : {}),
        },
      }),
    );
  }

  async backoff(record: SQSRecord, delayMs: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.min(MAX_VISIBILITY_S, Math.max(1, Math.ceil(delayMs / 1000))),
      }),
    );
  }

  async scheduleFlush(groupId: string, delayMs: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(flushMessage(groupId)),
        DelaySeconds: Math.min(MAX_DELAY_S, Math.max(0, Math.ceil(delayMs / 1000))),
        MessageAttributes: { [CONTROL_ATTRIBUTE]: { DataType: 'String', StringValue: 'flush' } },
      }),
    );
  }
}
