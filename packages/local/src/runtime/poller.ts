import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ConsumerSpec } from '@spend-alerts/stacks/spec';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  consumer: ConsumerSpec;
  handler: SqsHandler;
  /** Fault injection: hand every batch to the handler twice, as an at-least-once queue may. */
  deliverTwice?: boolean;
  onBatch?: (info: { records: number; failures: number; ms: number }) => void;
  onError?: (error: unknown) => void;
}

/**
 * Behaves like Lambda's SQS event source mapping: long-polls a batch (up to batch size, within the
 * batch window), invokes the handler with real SQS records, deletes the records not reported in
 * `batchItemFailures`, and leaves the rest to come back after their visibility timeout; the queue's
 * redrive policy moves them to the DLQ after `maxReceiveCount`. A failed invocation leaves the
 * whole batch, as Lambda does.
 */
export class SqsPoller {
  private running = false;
  private loop: Promise<void> | null = null;
  private inFlight = 0;
  /** Batches handled, for waiting on quiescence. */
  batches = 0;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce();
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** One receive and invoke; returns the number of records handled. */
  async pollOnce(): Promise<number> {
    const { sqs, queueUrl, consumer } = this.options;
    const messages: Message[] = [];
    const windowEnds = Date.now() + consumer.batchWindowSeconds * 1000;
    // Gather up to batchSize within the batch window, as the event source mapping does.
    do {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, consumer.batchSize - messages.length),
          WaitTimeSeconds: messages.length ? 0 : 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
          VisibilityTimeout: consumer.visibilityTimeoutSeconds,
        }),
      );
      messages.push(...(out.Messages ?? []));
      if (!out.Messages?.length) break;
    } while (messages.length < consumer.batchSize && Date.now() < windowEnds && this.running);
    if (!messages.length) return 0;
    this.inFlight++;
    const started = Date.now();
    try {
      const event: SQSEvent = { Records: messages.map((m) => toRecord(m, this.options.queueArn)) };
      let response: SQSBatchResponse | undefined;
      try {
        response = await this.options.handler(event);
        if (this.options.deliverTwice) {
          const again = await this.options.handler(event);
          response = {
            batchItemFailures: [...(response?.batchItemFailures ?? []), ...(again?.batchItemFailures ?? [])],
          };
        }
      } catch (error) {
        this.options.onError?.(error);
        this.options.onBatch?.({ records: messages.length, failures: messages.length, ms: Date.now() - started });
        return messages.length;
      }
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const done = messages.filter((m) => !failed.has(m.MessageId!));
      if (done.length) {
        const out = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        if (out.Failed?.length)
          this.options.onError?.(
            new Error(`could not delete ${out.Failed.length} records: ${out.Failed.map((f) => f.Code).join(', ')}`),
          );
      }
      this.batches++;
      this.options.onBatch?.({ records: messages.length, failures: failed.size, ms: Date.now() - started });
      return messages.length;
    } finally {
      this.inFlight--;
    }
  }
}

/** An SQS message as Lambda hands it to a function. */
export function toRecord(m: Message, queueArn: string): SQSRecord {
  const attrs = (m.Attributes ?? {}) as Record<string, string>;
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { stringValue: v.StringValue, dataType: v.DataType ?? 'String', stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}
