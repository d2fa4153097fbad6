import { createHash } from 'node:crypto';
import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import {
  renderSlackMessage,
  threadKey,
  type AccountDirectory,
  type Notification,
  type SlackReceiver,
} from '@spend-alerts/core';
import { DeliveryError, type FailureClass } from '../errors.ts';
import type { DeliveryContext, DeliveryResult, Notifier } from '../notifier.ts';

/** Slack error codes that no retry fixes. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'restricted_action',
  'cannot_reply_to_message',
  'invalid_arguments',
  'message_limit_exceeded',
]);
const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'ekm_access_denied',
]);
/** Slack asks clients to wait this long at most in-process; longer waits go back to the queue. */
const MAX_INLINE_WAIT_MS = 5_000;
/** How far back a message from a crashed attempt is looked for: pages of conversations.history. */
const LOOKUP_PAGES = 5;
const LOOKUP_PAGE_SIZE = 200;
const CHANNEL_ID = /^[CG][A-Z0-9]{6,}$/;

export interface SlackNotifierOptions {
  /** The bot token (resolved from a secret by the caller). */
  token: string;
  /** `https://slack.com/api/` unless a local stand-in is used. */
  slackApiUrl?: string;
  accounts?: AccountDirectory;
  timeoutMs?: number;
  /** Injected for tests: how to wait before an in-process retry. */
  sleep?: (ms: number) => Promise<void>;
}

/** Posts alerts with `chat.postMessage`, one bot token for every channel; later alerts about the same thing reply in its thread. */
export class SlackNotifier implements Notifier<SlackReceiver> {
  readonly channel = 'slack' as const;
  readonly perEvent = false;
  private readonly client: WebClient;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Channel ids by the name receivers give, learnt from posts and lookups. */
  private readonly channelIds = new Map<string, string>();

  constructor(private readonly options: SlackNotifierOptions) {
    this.client = new WebClient(options.token, {
      slackApiUrl: options.slackApiUrl,
      // Retries belong to the queue (with backoff) so that a slow Slack never holds a batch.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
      logLevel: undefined,
    });
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async deliver(n: Notification<SlackReceiver>, context: DeliveryContext): Promise<DeliveryResult> {
    const message = renderSlackMessage(n, { accounts: this.options.accounts, now: new Date() });
    const key = n.receiver.threads && n.events.length === 1 ? threadKey(n.events[0]!.event) : null;
    const parent = key && context.threads ? await context.threads.get(key) : null;
    // Event metadata lets Slack apps (and the local duplicate count) see which events a message carries.
    const deliveryId = deliveryIdOf(context.idempotencyKey);
    const metadata = {
      event_type: 'spend_alert',
      event_payload: {
        event_ids: n.events.map((e) => e.event.id).join(','),
        kind: n.events[0]?.event.kind ?? '',
        delivery_id: deliveryId,
      },
    };
    // A consumer that died between this delivery's send and its ledger write may have posted it: look first.
    const earlier = context.unfinished ? await this.findPosted(n.receiver.channel, deliveryId, parent) : null;
    if (earlier) {
      if (key && context.threads && !parent) await context.threads.put(key, earlier);
      return { ref: earlier };
    }
    const args = {
      channel: n.receiver.channel,
      text: message.text,
      blocks: message.blocks,
      attachments: message.attachments,
      metadata,
      unfurl_links: false,
      unfurl_media: false,
      ...(parent ? { thread_ts: parent } : {}),
    };
    const posted = await this.call(() =>
      this.client.chat.postMessage(args as Parameters<WebClient['chat']['postMessage']>[0]),
    );
    if (posted.channel) this.channelIds.set(n.receiver.channel, posted.channel);
    const ts = posted.ts ?? null;
    if (key && context.threads && !parent && ts) await context.threads.put(key, ts);
    return { ref: ts };
  }

  /**
   * The ts of a message carrying `deliveryId` in its metadata among the channel's recent messages (or the
   * thread's, for a reply), or null. A lookup that fails for now is unsettled: the delivery is tried, and
   * looked for, again later, rather than posted blind; one that cannot succeed (missing scope) posts.
   */
  private async findPosted(channelRef: string, deliveryId: string, parent: string | null): Promise<string | null> {
    try {
      const channel = await this.channelIdOf(channelRef);
      if (!channel) return null; // not a channel the bot can read: posting names the problem
      let cursor: string | undefined;
      for (let page = 0; page < LOOKUP_PAGES; page++) {
        const args = { channel, limit: LOOKUP_PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
        const out = await this.call(
          () =>
            parent
              ? this.client.conversations.replies({ ...args, ts: parent })
              : this.client.conversations.history(args),
          true,
        );
        const found = out.messages?.find((m) => carries(m, deliveryId));
        if (found?.ts) return found.ts;
        cursor = out.response_metadata?.next_cursor || undefined;
        if (!out.has_more || !cursor) return null;
      }
      return null;
    } catch (error) {
      const e = error instanceof DeliveryError ? error : null;
      // A lookup no retry fixes (a token without channels:history, say): post, since a repeat beats a loss.
      if (e && !e.retryable) return null;
      throw new DeliveryError(`Slack lookup of an earlier send: ${e?.message ?? 'failed'}`, 'transient', {
        code: e?.details.code,
        retryAfterMs: e?.retryAfterMs,
        cause: error,
        unsettled: true,
      });
    }
  }

  /** A channel's id from the name a receiver gives (conversations.history takes ids only), or null. */
  private async channelIdOf(ref: string): Promise<string | null> {
    if (CHANNEL_ID.test(ref)) return ref;
    const name = ref.replace(/^#/, '');
    let cursor: string | undefined;
    while (!this.channelIds.has(ref)) {
      const out = await this.call(
        () =>
          this.client.conversations.list({
            exclude_archived: true,
            types: 'public_channel,private_channel',
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          }),
        true,
      );
      const match = out.channels?.find((c) => c.name === name);
      if (match?.id) this.channelIds.set(ref, match.id);
      cursor = out.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return this.channelIds.get(ref) ?? null;
  }

  /**
   * Calls Slack, waiting in-process once or twice for a short Retry-After (and, for reads, after a
   * transient failure); classifies what still fails.
   */
  private async call<T>(request: () => Promise<T>, read = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const failure = classifySlackError(error);
        const wait =
          failure.failure === 'rate-limited'
            ? (failure.retryAfterMs ?? 1000)
            : read && failure.failure === 'transient'
              ? 200
              : -1;
        if (wait >= 0 && attempt < 3 && wait <= MAX_INLINE_WAIT_MS) {
          await this.sleep(wait);
          continue;
        }
        throw new DeliveryError(`Slack ${failure.code}`, failure.failure, {
          code: failure.code,
          status: failure.status,
          retryAfterMs: failure.retryAfterMs,
          cause: error,
        });
      }
    }
  }
}

/** A short, stable id for a delivery (its events and destination), carried in the message's metadata. */
export function deliveryIdOf(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 22);
}

function carries(message: { metadata?: { event_payload?: unknown } }, deliveryId: string): boolean {
  return (message.metadata?.event_payload as { delivery_id?: unknown } | undefined)?.delivery_id === deliveryId;
}

/** Classifies what `@slack/web-api` throws: platform error codes, HTTP status, rate limits, network errors. */
export function classifySlackError(error: unknown): {
  failure: FailureClass;
  code: string;
  status?: number;
  retryAfterMs?: number;
} {
  const e = error as WebAPICallError & {
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
    original?: { code?: string };
  };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return { failure: 'rate-limited', code: 'ratelimited', status: 429, retryAfterMs: (e.retryAfter ?? 1) * 1000 };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (AUTH.has(code)) return { failure: 'auth', code };
      if (PERMANENT.has(code)) return { failure: 'permanent', code };
      if (code === 'ratelimited') return { failure: 'rate-limited', code };
      return { failure: 'transient', code };
    }
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 500;
      return {
        failure:
          status >= 500 || status === 408 ? 'transient' : status === 401 || status === 403 ? 'auth' : 'permanent',
        code: `http_${status}`,
        status,
      };
    }
    case ErrorCode.RequestError:
      return { failure: 'transient', code: `request_error${e.original?.code ? `_${e.original.code}` : ''}` };
    default:
      return { failure: 'transient', code: (error as Error)?.name ?? 'unknown_error' };
  }
}
