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
    const metadata = {
      event_type: 'spend_alert',
      event_payload: { event_ids: n.events.map((e) => e.event.id).join(','), kind: n.events[0]?.event.kind ?? '' },
    };
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
    const ts = await this.call(() =>
      this.client.chat.postMessage(args as Parameters<WebClient['chat']['postMessage']>[0]),
    );
    if (key && context.threads && !parent && ts) await context.threads.put(key, ts);
    return { ref: ts };
  }

  /** Posts, waiting in-process once or twice for a short Retry-After; classifies what still fails. */
  private async call(post: () => Promise<{ ts?: string }>): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await post()).ts ?? null;
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.failure === 'rate-limited' && attempt < 3 && (failure.retryAfterMs ?? 0) <= MAX_INLINE_WAIT_MS) {
          await this.sleep(failure.retryAfterMs ?? 1000);
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
