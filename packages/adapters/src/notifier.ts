import type { Notification, Receiver } from '@spend-alerts/core';

/** What a notifier may need beyond the notification: idempotency and thread state. */
export interface DeliveryContext {
  /** Stable across retries of the same delivery (a webhook's `webhook-id`). */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Slack threads: the first message's ts for a thread key, kept in the ledger. */
  threads?: ThreadLedger;
  /**
   * An earlier attempt of this delivery may have reached the destination: its consumer died between the
   * send and the ledger write. A notifier that can look for it (Slack, by the delivery id in a message's
   * metadata) should, before sending again.
   */
  unfinished?: boolean;
}

export interface ThreadLedger {
  get(key: string): Promise<string | null>;
  /** Stores the ts unless one is stored already; returns the one that is kept. */
  put(key: string, ts: string): Promise<string>;
}

export interface DeliveryResult {
  /** The destination's own reference: Slack ts, SES message id, webhook HTTP status. */
  ref: string | null;
}

/**
 * One channel's delivery. Throws `DeliveryError`, whose `retryable` says whether trying again
 * makes sense (Alertmanager's `Notify(ctx, alerts...) (retry bool, err)`).
 */
export interface Notifier<R extends Receiver = Receiver> {
  readonly channel: R['type'];
  /** True when the destination takes one event per request (webhooks); grouped notifications are split. */
  readonly perEvent: boolean;
  /**
   * True when nothing can tell, after a crash, whether a send arrived (no idempotency key, no lookup:
   * email). A consumer then has one such send between the send and its ledger write at a time, so a
   * consumer killed mid-batch repeats at most one message.
   */
  readonly oneAtATime?: boolean;
  deliver(notification: Notification<R>, context: DeliveryContext): Promise<DeliveryResult>;
}
