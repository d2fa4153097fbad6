/**
 * A local webhook endpoint that verifies Standard Webhooks signatures and records every delivery,
 * so tests and the dashboard can see what a subscriber would have received, duplicates included.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { FaultPlan, faultHeaders, readBody, replacesResponse, send, stall, startLocalServer } from './http.ts';

/** One delivery as received. */
export interface WebhookRequest {
  receivedAt: Date;
  path: string;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The raw body, exactly the bytes the signature covers. */
  body: string;
  /** The body parsed as JSON; undefined when it isn't JSON. */
  json: unknown;
  webhookId?: string;
  webhookTimestamp?: string;
  verified: boolean;
  verifyError?: string;
  /** HTTP status answered (0 when the sender left before the answer, e.g. its timeout fired). */
  status: number;
}

/** Live updates: `request` as soon as a delivery is read (before any stall), `answered` after the reply. */
export interface WebhookReceiverEvents {
  request: [WebhookRequest];
  answered: [WebhookRequest];
}

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The signing secret as Standard Webhooks spells it: `whsec_` and base64. Never logged. */
  secret: string;
  /** Default 0: a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Status of a verified delivery; default 204. */
  okStatus?: number;
  /** Answer 401 to a delivery that fails verification, as a real subscriber would; default true. */
  rejectUnverified?: boolean;
  maxBodyBytes?: number;
}

/** A running webhook receiver. */
export interface WebhookReceiver {
  /** Where to deliver: `http://127.0.0.1:PORT/webhook` (any path is accepted and recorded). */
  readonly url: string;
  readonly origin: string;
  readonly requests: WebhookRequest[];
  readonly faults: FaultPlan;
  readonly events: EventEmitter<WebhookReceiverEvents>;
  /** webhook-id values in first-seen order; `requests.length - distinctIds().length` is the duplicates. */
  distinctIds(): string[];
  /** Calls `listener` for every delivery; returns the unsubscribe. */
  onRequest(listener: (request: WebhookRequest) => void): () => void;
  /** Forgets requests and faults. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a webhook receiver on 127.0.0.1 that verifies signatures with `standardwebhooks`.
 * Only POST is accepted (405 otherwise).
 * @example
 * const receiver = await startWebhookReceiver({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  // Built once, so a malformed secret fails here and not on the first delivery.
  const verifier = new Webhook(options.secret);
  const { okStatus = 204, rejectUnverified = true, maxBodyBytes } = options;
  const requests: WebhookRequest[] = [];
  const faults = new FaultPlan();
  const events = new EventEmitter<WebhookReceiverEvents>();

  async function serve(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, '', { allow: 'POST' });
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const body = (await readBody(req, maxBodyBytes)).toString('utf8');
    const headers = flatten(req);
    const request: WebhookRequest = {
      receivedAt: new Date(),
      path,
      headers,
      body,
      json: parseJson(body),
      webhookId: headers['webhook-id'],
      webhookTimestamp: headers['webhook-timestamp'],
      verified: false,
      status: 0,
    };
    try {
      verifier.verify(body, headers, { jsonParse: false });
      request.verified = true;
    } catch (error) {
      request.verifyError = (error as Error).message;
    }
    requests.push(request);
    events.emit('request', request);

    const fault = faults.take(path);
    if (!(await stall(fault?.stallMs ?? 0, signal))) return void events.emit('answered', request);
    if (replacesResponse(fault)) {
      request.status = fault.status ?? 200;
      send(res, request.status, fault.body ?? '', faultHeaders(fault));
    } else {
      request.status = request.verified || !rejectUnverified ? okStatus : 401;
      send(res, request.status, request.status === 401 ? 'invalid signature' : '', { 'content-type': 'text/plain' });
    }
    events.emit('answered', request);
  }

  const server = await startLocalServer(serve, options.port);
  return {
    url: `${server.origin}/webhook`,
    origin: server.origin,
    requests,
    faults,
    events,
    distinctIds: () => [...new Set(requests.flatMap((r) => (r.webhookId ? [r.webhookId] : [])))],
    onRequest(listener) {
      events.on('request', listener);
      return () => events.off('request', listener);
    },
    reset() {
      requests.length = 0;
      faults.clear();
    },
    close: () => server.close(),
  };
}

function flatten(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
