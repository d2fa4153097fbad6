/**
 * The dashboard's HTTP server: the page, a JSON snapshot, a Server-Sent Events stream of updates,
 * redrive, and the files messages refer to. node:http only, loopback only.
 *
 * The page shows text that came from AWS messages and emails, so the server's part of the defence
 * is here: a strict Content-Security-Policy with Trusted Types on the page, a sandbox on every file
 * it serves, a Host check against DNS rebinding, and JSON-only same-origin POSTs against CSRF.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import { StandInHttpError, readBody, send, sendJson, startLocalServer, type LocalServer } from '../standins/http.ts';
import type { DashboardSource, DashboardUpdate } from './source.ts';

export interface DashboardOptions {
  /** The port to try first; 0 (the default) picks a free one. A taken port falls back to a free one. */
  port?: number;
  /** Milliseconds between SSE heartbeat comments; 15 s by default (shorter in tests). */
  heartbeatMs?: number;
}

export interface RunningDashboard {
  /** `http://127.0.0.1:PORT/`, with the port actually bound. */
  url: string;
  /** Set when the requested port was taken and another was used, for the CLI to print. */
  notice?: string;
  /** Ends every open stream, stops listening and destroys the sockets, so nothing hangs. */
  close(): Promise<void>;
}

/**
 * `page.js` builds all markup with DOM calls; the two places that take HTML go through these
 * Trusted Types policies (the mrkdwn converter, and an email's srcdoc inside a sandboxed frame).
 * Inline styles are allowed only because emails carry them and a srcdoc frame inherits this policy.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types mrkdwn email-srcdoc',
].join('; ');

/** A file could be HTML or SVG with script in it: opened directly, it runs in no origin at all. */
const FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const ASSETS = {
  '/': { file: 'page.html', type: 'text/html; charset=utf-8' },
  '/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
  '/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/bill.js': { file: 'bill.js', type: 'text/javascript; charset=utf-8' },
} as const;

const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting after the stream drops. */
const RETRY_MS = 2_000;

/**
 * Serves the dashboard for `source` on 127.0.0.1.
 * @example const { url, close } = await startDashboard(source, { port: 4848 }); console.log(`dashboard: ${url}`);
 */
export async function startDashboard(
  source: DashboardSource,
  options: DashboardOptions = {},
): Promise<RunningDashboard> {
  const trace = (step: string) =>
    process.env.SPEND_ALERTS_DEBUG && process.stderr.write(`spend-alerts: dashboard ${step}\n`);
  const assets = await loadAssets();
  trace('assets read');
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  let port = 0;
  const handler = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => {
    if (!isLoopbackHost(req.headers.host, port)) throw new StandInHttpError(421, 'unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    const asset =
      req.method === 'GET' || req.method === 'HEAD' ? ASSETS[url.pathname as keyof typeof ASSETS] : undefined;
    if (asset) return sendAsset(res, assets.get(asset.file)!, asset.type, asset.file === 'page.html');
    if (route === 'GET /api/state') return sendJson(res, 200, await source.snapshot(), COMMON_HEADERS);
    if (route === 'GET /api/stream') return stream(source, res, signal, heartbeatMs);
    if (route === 'GET /api/bill') return sendJson(res, 200, await source.bill(), COMMON_HEADERS);
    if (route === 'POST /api/dlq/redrive') return redrive(source, req, res, port);
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) return sendFile(source, url.pathname, res);
    throw new StandInHttpError(url.pathname in ASSETS || url.pathname.startsWith('/api/') ? 405 : 404, 'not found');
  };

  const { server, notice } = await listen(handler, options.port ?? 0);
  trace(`listening on ${server.port}`);
  port = server.port;
  return { url: `${server.origin}/`, ...(notice && { notice }), close: () => server.close() };
}

async function listen(
  handler: Parameters<typeof startLocalServer>[0],
  port: number,
): Promise<{ server: LocalServer; notice?: string }> {
  try {
    return { server: await startLocalServer(handler, port) };
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const server = await startLocalServer(handler, 0);
    return { server, notice: `port ${port} is in use; the dashboard is on port ${server.port} instead` };
  }
}

async function loadAssets(): Promise<Map<string, string>> {
  const files = ['page.html', 'page.css', 'page.js', 'bill.js'];
  const texts = await Promise.all(files.map((file) => readFile(new URL(`./${file}`, import.meta.url), 'utf8')));
  return new Map(files.map((file, i) => [file, texts[i]!]));
}

function sendAsset(res: ServerResponse, body: string, type: string, isPage: boolean): void {
  send(res, 200, body, {
    'content-type': type,
    ...COMMON_HEADERS,
    ...(isPage && { 'content-security-policy': PAGE_CSP }),
  });
}

/**
 * A rebinding attack points a hostile name at 127.0.0.1; the browser then sends that name as Host.
 * Only the loopback names, with our port, are ours.
 */
function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].some((name) => host === `${name}:${port}`);
}

/**
 * Subscribes before taking the snapshot and holds updates until the snapshot is sent, so no update
 * falls between the two; the page applies updates idempotently, so one in both does no harm. The
 * first frame is `event: state` (the whole snapshot), which also resynchronises a reconnecting page.
 */
async function stream(
  source: DashboardSource,
  res: ServerResponse,
  signal: AbortSignal,
  heartbeatMs: number,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'x-accel-buffering': 'no',
    ...COMMON_HEADERS,
  });
  res.write(`retry: ${RETRY_MS}\n\n`);
  const held: DashboardUpdate[] = [];
  let live = false;
  const unsubscribe = source.subscribe((update) =>
    live ? res.write(frame(update.type, update.data)) : held.push(update),
  );
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  try {
    const state = await source.snapshot();
    if (signal.aborted) return;
    res.write(frame('state', state));
    for (const update of held.splice(0)) res.write(frame(update.type, update.data));
    live = true;
    // The response stays open until the client goes or the server closes; both abort `signal`.
    await new Promise<void>((resolve) =>
      signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  } finally {
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  }
}

/** One SSE frame. JSON.stringify escapes line breaks, so the data is always a single `data:` line. */
function frame(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * A cross-site form can POST only form encodings and text/plain; asking for application/json makes
 * any cross-origin fetch preflight, which this server never approves. The Origin check also stops
 * a same-site page on another loopback port.
 */
async function redrive(
  source: DashboardSource,
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new StandInHttpError(415, 'content-type must be application/json');
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackHost(origin.replace(/^http:\/\//, ''), port))
    throw new StandInHttpError(403, 'cross-origin request refused');
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new StandInHttpError(403, 'cross-site request refused');

  const { channel, messageId } = parseRedrive(await readBody(req, 16 * 1024));
  const result = await source.redrive(channel, messageId);
  sendJson(res, 200, { redriven: result.redriven }, COMMON_HEADERS);
}

function parseRedrive(body: Buffer): { channel: Channel; messageId?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new StandInHttpError(400, 'body is not JSON');
  }
  const { channel, messageId } = (json ?? {}) as { channel?: unknown; messageId?: unknown };
  if (!CHANNELS.includes(channel as Channel))
    throw new StandInHttpError(400, `channel must be one of ${CHANNELS.join(', ')}`);
  if (messageId !== undefined && (typeof messageId !== 'string' || messageId === ''))
    throw new StandInHttpError(400, 'messageId must be a non-empty string');
  return { channel: channel as Channel, ...(messageId !== undefined && { messageId: messageId as string }) };
}

async function sendFile(source: DashboardSource, path: string, res: ServerResponse): Promise<void> {
  const file = (await source.file?.(path)) ?? null;
  if (!file) throw new StandInHttpError(404, 'no such file');
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': String(file.bytes.length),
    'content-security-policy': FILE_CSP,
    ...COMMON_HEADERS,
  });
  res.end(file.bytes);
}
