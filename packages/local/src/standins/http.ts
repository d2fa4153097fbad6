/**
 * What the local stand-ins share: a loopback HTTP server that closes without hanging, body reading,
 * replies, and wire faults (scripted or seeded-random) for the fault suites.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A request handler; `signal` aborts when the server closes or the client goes away. */
export type LocalHandler = (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void>;

/** A running loopback server. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  readonly port: number;
  /** Stops listening, ends stalled handlers and destroys every open connection, so nothing hangs. */
  close(): Promise<void>;
}

/** A failure the handler wants answered with a status, e.g. 413 for an oversized body. */
export class StandInHttpError extends Error {
  override readonly name = 'StandInHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Listens on 127.0.0.1 only (port 0 picks a free one) and serves `handler`. */
export async function startLocalServer(handler: LocalHandler, port = 0): Promise<LocalServer> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    handler(req, res, AbortSignal.any([closing.signal, gone.signal])).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return void res.destroy();
      const status = error instanceof StandInHttpError ? error.status : 500;
      sendJson(res, status, { ok: false, error: status === 500 ? 'internal_error' : (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets held by fetch's pool would otherwise keep close() waiting for seconds.
        server.closeAllConnections();
      }),
  };
}

/** Reads the whole request body; more than `limitBytes` is a 413. */
export async function readBody(req: IncomingMessage, limitBytes = 20 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new StandInHttpError(413, 'request_too_large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Answers with a JSON body (charset stated, as Slack does). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

/** Answers with a body as given; a no-op once the client has gone. */
export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Waits `ms`; false if `signal` aborted first (server closing, client gone). */
export async function stall(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** One scripted answer for the next matching call. */
export interface ScriptedResponse {
  /** Only calls to this target consume the entry: a Slack method (`chat.postMessage`, `upload`) or a webhook path. */
  target?: string;
  /** HTTP status; 200 with `error` is Slack's `{ok:false,error}`. */
  status?: number;
  /** Seconds, sent as `Retry-After` (Slack's 429 shape). */
  retryAfter?: number;
  /** Slack error code for the body, e.g. `channel_not_found`. */
  error?: string;
  /** `Location` header, for redirects. */
  location?: string;
  /** A raw body instead of the usual JSON, e.g. an HTML error page. */
  body?: string;
  /** Delay before answering; longer than the client's timeout forces a timeout. */
  stallMs?: number;
  /** The call still takes effect before the fault is answered: a response lost after the work was done. */
  processed?: boolean;
}

/** Random faults, drawn from a seeded PRNG so a run is reproducible. */
export interface RandomFaults {
  rate429?: number;
  rate5xx?: number;
  /** Seed of the PRNG; same seed, same sequence of faults. */
  seed?: number;
  /** Retry-After (seconds) of random 429s; default 1. */
  retryAfter?: number;
  /** Status of random 5xx answers; default 500. */
  status5xx?: number;
}

/**
 * Faults to inject on the wire, changeable while the server runs.
 * @example plan.script({ status: 429, retryAfter: 1 }, { status: 200, error: 'channel_not_found' });
 */
export class FaultPlan {
  /** Scripted answers, consumed in order by the calls they target. */
  readonly queue: ScriptedResponse[] = [];
  /** Delay applied to every answer with no stall of its own. */
  stallMs = 0;
  #random: Required<Omit<RandomFaults, 'seed'>> | undefined;
  #next: () => number = () => 1;

  /** Queues answers for the next matching calls. */
  script(...responses: ScriptedResponse[]): this {
    this.queue.push(...responses);
    return this;
  }

  /** Turns probability mode on (or off with `undefined`), restarting the PRNG from its seed. */
  randomly(faults: RandomFaults | undefined): this {
    if (!faults) {
      this.#random = undefined;
      return this;
    }
    const { rate429 = 0, rate5xx = 0, seed = 1, retryAfter = 1, status5xx = 500 } = faults;
    if (rate429 < 0 || rate5xx < 0 || rate429 + rate5xx > 1) {
      throw new RangeError(`fault rates must be >= 0 and sum to at most 1 (rate429 ${rate429}, rate5xx ${rate5xx})`);
    }
    this.#random = { rate429, rate5xx, retryAfter, status5xx };
    this.#next = mulberry32(seed);
    return this;
  }

  /** No more faults. */
  clear(): this {
    this.queue.length = 0;
    this.stallMs = 0;
    this.#random = undefined;
    return this;
  }

  /** The fault for one call to `target`, if any. */
  take(target: string): ScriptedResponse | undefined {
    const index = this.queue.findIndex((f) => f.target === undefined || f.target === target);
    const fault = index >= 0 ? this.queue.splice(index, 1)[0] : this.#draw();
    if (fault) return { stallMs: this.stallMs, ...fault };
    return this.stallMs > 0 ? { stallMs: this.stallMs } : undefined;
  }

  #draw(): ScriptedResponse | undefined {
    if (!this.#random) return undefined;
    const { rate429, rate5xx, retryAfter, status5xx } = this.#random;
    const roll = this.#next();
    if (roll < rate429) return { status: 429, retryAfter };
    if (roll < rate429 + rate5xx) return { status: status5xx };
    return undefined;
  }
}

/** True when the fault answers instead of the normal handler (a bare stall only delays it). */
export function replacesResponse(fault: ScriptedResponse | undefined): fault is ScriptedResponse {
  return (
    fault !== undefined && ((fault.status ?? 200) !== 200 || fault.error !== undefined || fault.body !== undefined)
  );
}

/** Headers a fault asks for. */
export function faultHeaders(fault: ScriptedResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (fault.location !== undefined) headers.location = fault.location;
  return headers;
}

// Small, fast and good enough to make fault runs reproducible; not for anything secret.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
