import type { SQSRecord } from 'aws-lambda';

/** The message attribute that marks the pipeline's own messages on its queues. */
export const CONTROL_ATTRIBUTE = 'spend-alerts-control';

export interface FlushMessage {
  spendAlerts: 'flush';
  groupId: string;
}

export function flushMessage(groupId: string): FlushMessage {
  return { spendAlerts: 'flush', groupId };
}

/** A group flush the consumer scheduled for itself (a delayed message on its own queue), or null. */
export function readFlush(record: SQSRecord): FlushMessage | null {
  if (record.messageAttributes?.[CONTROL_ATTRIBUTE]?.stringValue !== 'flush') return null;
  try {
    const body = JSON.parse(record.body) as Partial<FlushMessage>;
    return body.spendAlerts === 'flush' && typeof body.groupId === 'string' ? (body as FlushMessage) : null;
  } catch {
    return null;
  }
}
