import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { renderWebhookPayload, type Notification, type WebhookReceiver } from '@spend-alerts/core';
import { classifyStatus, DeliveryError } from '../errors.ts';
import type { DeliveryContext, DeliveryResult, Notifier } from '../notifier.ts';
import type { SecretResolver } from '../secrets.ts';
import { signingSecretProblem } from './signing-secret.ts';
import { BlockedDestinationError, classifyAddress, vetDestination, type Resolver } from './ssrf.ts';

const MAX_REDIRECTS = 3;
const CONNECT_TIMEOUT_MS = 3_000;

export interface WebhookNotifierOptions {
  secrets: SecretResolver;
  resolve?: Resolver;
  /** Extra trusted CA certificates (local HTTPS stand-ins). */
  ca?: string | Buffer;
  now?: () => Date;
  /**
   * Whether a receiver with `allowPrivateNetwork` may also reach loopback, as the local runtime and
   * tests need for their receiver on 127.0.0.1. Default: only when the environment says
   * `SPEND_ALERTS_WEBHOOK_LOOPBACK=allow` (the local runtime sets it for its consumers), and never
   * inside AWS Lambda, where loopback is the runtime API (127.0.0.1:9001) and extensions.
   */
  allowLoopback?: boolean;
  /** Where to read `SPEND_ALERTS_WEBHOOK_LOOPBACK` and `AWS_LAMBDA_RUNTIME_API`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * POSTs the versioned payload signed per Standard Webhooks. `webhook-id` is the same on every
 * retry, so receivers can drop duplicates. Connects only to vetted addresses (see `vetDestination`)
 * and follows a redirect only if it keeps the method (307, 308) and passes the same check.
 */
export class WebhookNotifier implements Notifier<WebhookReceiver> {
  readonly channel = 'webhook' as const;
  readonly perEvent = true;

  private readonly allowLoopback: boolean;

  constructor(private readonly options: WebhookNotifierOptions) {
    const env = options.env ?? process.env;
    this.allowLoopback =
      options.allowLoopback ?? (env.SPEND_ALERTS_WEBHOOK_LOOPBACK === 'allow' && !env.AWS_LAMBDA_RUNTIME_API);
  }

  async deliver(n: Notification<WebhookReceiver>, context: DeliveryContext): Promise<DeliveryResult> {
    const now = this.options.now?.() ?? new Date();
    const [payload] = renderWebhookPayload(n, { now });
    if (!payload) throw new DeliveryError('nothing to send: the receiver takes no event of this kind', 'permanent');
    const body = JSON.stringify(payload);
    const { secret, target, secretHeaders } = this.secretsOf(n.receiver);
    const id = webhookId(context.idempotencyKey);
    const signature = new Webhook(secret).sign(id, now, body);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'spend-alerts',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    const custom = { ...n.receiver.headers, ...secretHeaders };
    const status = await this.post(target, headers, custom, body, n.receiver);
    return { ref: String(status) };
  }

  /**
   * The receiver's secrets, resolved by name: the signing secret (checked to be a usable Standard
   * Webhooks key), the URL when it is a secret, and secret header values. Errors name the secret.
   */
  private secretsOf(receiver: WebhookReceiver) {
    try {
      const secret = this.options.secrets(receiver.signingSecret);
      const problem = signingSecretProblem(secret);
      if (problem) throw new DeliveryError(`signing secret "${receiver.signingSecret}" ${problem}`, 'permanent');
      const target = receiver.url ?? this.options.secrets(receiver.urlSecret!);
      const secretHeaders: Record<string, string> = {};
      for (const [name, ref] of Object.entries(receiver.headerSecrets ?? {})) {
        const value = this.options.secrets(ref);
        // A line break in a header value would end the header; Node refuses it, quoting the value.
        if (/[\r\n\0]/.test(value))
          throw new DeliveryError(`secret "${ref}" (header ${name}) holds a line break`, 'permanent');
        secretHeaders[name] = value;
      }
      return { secret, target, secretHeaders };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError((error as Error).message, 'permanent', { cause: error });
    }
  }

  /**
   * Sends the request and follows 307/308 redirects. Every hop, the first included (whether the
   * URL came from `url` or from `urlSecret`), passes the scheme rule and the address check; the
   * receiver's own headers go to the configured origin only (see docs/adr/0008-webhook-redirects.md).
   */
  private async post(
    target: string,
    headers: Record<string, string>,
    custom: Record<string, string>,
    body: string,
    receiver: WebhookReceiver,
  ): Promise<number> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new DeliveryError('the webhook URL is not a valid URL', 'permanent');
    }
    const origin = url.origin;
    const deadline = Date.now() + receiver.timeoutMs;
    let previous: URL | null = null;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (previous?.protocol === 'https:' && url.protocol === 'http:')
        throw new DeliveryError(
          'webhook redirected from https to plain http; the payload would go in clear',
          'permanent',
        );
      const sent = url.origin === origin ? { ...custom, ...headers } : headers;
      const { status, location } = await this.once(url, sent, body, receiver, deadline);
      if (status >= 200 && status < 300) return status;
      if (status === 307 || status === 308) {
        if (!location)
          throw new DeliveryError(`webhook answered ${status} without a Location`, 'permanent', { status });
        previous = url;
        try {
          url = new URL(location, url);
        } catch {
          throw new DeliveryError(`webhook answered ${status} with an unreadable Location`, 'permanent', { status });
        }
        continue;
      }
      if (status >= 300 && status < 400)
        throw new DeliveryError(`webhook answered ${status}: only 307 and 308 redirects are followed`, 'permanent', {
          status,
        });
      throw new DeliveryError(`webhook answered HTTP ${status}`, classifyStatus(status), { status });
    }
    throw new DeliveryError(`webhook redirected more than ${MAX_REDIRECTS} times`, 'permanent');
  }

  private async once(
    url: URL,
    headers: Record<string, string>,
    body: string,
    receiver: WebhookReceiver,
    deadline: number,
  ): Promise<{ status: number; location: string | null }> {
    let vetted: { address: string; family: 4 | 6 };
    try {
      vetted = await vetDestination(url, {
        allowPrivateNetwork: receiver.allowPrivateNetwork,
        allowLoopback: receiver.allowPrivateNetwork && this.allowLoopback,
        resolve: this.options.resolve,
      });
    } catch (error) {
      if (error instanceof BlockedDestinationError)
        throw new DeliveryError(error.message, 'permanent', { cause: error });
      throw new DeliveryError((error as Error).message, 'transient', { cause: error });
    }
    // Plain http only inside the receiver's own network: with allowPrivateNetwork, to an address
    // that is not public. Checked on the parsed URL, so `HTTP://` is http too.
    if (
      url.protocol === 'http:' &&
      !(receiver.allowPrivateNetwork && classifyAddress(vetted.address).scope !== 'public')
    )
      throw new DeliveryError(
        'the webhook URL must be https (plain http only to a private address, with allowPrivateNetwork: true)',
        'permanent',
      );
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw new DeliveryError(`webhook timed out after ${receiver.timeoutMs} ms`, 'transient', { code: 'timeout' });
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          // Connect to the address that was checked, never to a second DNS answer.
          // Node asks with { all: true } (autoSelectFamily) and then wants a list; answer either way.
          lookup: (_host, opts, callback) =>
            (opts as { all?: boolean }).all
              ? (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
                  { address: vetted.address, family: vetted.family },
                ])
              : (callback as (e: null, a: string, f: number) => void)(null, vetted.address, vetted.family),
          servername: url.hostname,
          ca: this.options.ca,
          timeout: Math.min(CONNECT_TIMEOUT_MS, remaining),
          signal: AbortSignal.timeout(remaining),
        },
        (response) => {
          response.resume(); // the body is not needed; drain it so the socket is freed
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null }),
          );
          response.on('error', (e) => reject(networkFailure(e, receiver)));
        },
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })));
      request.on('error', (e) => reject(networkFailure(e, receiver)));
      request.end(body);
    });
  }
}

/** A stable `webhook-id` for one (event, receiver) delivery. */
export function webhookId(idempotencyKey: string): string {
  return `msg_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 27)}`;
}

function networkFailure(error: Error & { code?: string }, receiver: WebhookReceiver): DeliveryError {
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || error.code === 'ETIMEDOUT') {
    return new DeliveryError(`webhook timed out after ${receiver.timeoutMs} ms`, 'transient', {
      code: 'timeout',
      cause: error,
    });
  }
  // The message of a socket error can quote the URL; keep only its code. A certificate the
  // endpoint presents will not fix itself; connection trouble may.
  const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(error.code ?? '');
  return new DeliveryError(
    `webhook request failed: ${error.code ?? error.name}`,
    certificate ? 'permanent' : 'transient',
    { code: error.code, cause: error },
  );
}
