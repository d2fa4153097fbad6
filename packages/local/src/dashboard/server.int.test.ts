import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDashboardSource, budgetText, demoEvent, demoSlackMessage } from './fake-source.ts';
import { PAGE_CSP, startDashboard, type RunningDashboard } from './server.ts';
import type { DashboardState } from './source.ts';

let source: FakeDashboardSource;
let dashboard: RunningDashboard;

beforeEach(async () => {
  source = new FakeDashboardSource();
  dashboard = await startDashboard(source, { heartbeatMs: 40 });
});
afterEach(() => dashboard.close());

const at = (path: string) => new URL(path, dashboard.url).href;
const redrive = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(at('/api/dlq/redrive'), { method: 'POST', headers, body });

/** One SSE connection, its frames parsed as they arrive. */
async function openStream(): Promise<{
  frames: Array<{ event?: string; data?: string; comment?: string; retry?: string }>;
  response: IncomingMessage;
  close(): void;
}> {
  const frames: Array<Record<string, string>> = [];
  let buffer = '';
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    request(at('/api/stream'), resolve).on('error', reject).end(),
  );
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const frame: Record<string, string> = {};
      for (const line of buffer.slice(0, end).split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else frame[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trimStart();
      }
      frames.push(frame);
      buffer = buffer.slice(end + 2);
    }
  });
  response.on('error', () => {}); // the server closing mid-stream is what some tests do
  return { frames, response, close: () => response.destroy() };
}

describe('the page', () => {
  it('is served with a strict Content-Security-Policy and no inline script', async () => {
    const res = await fetch(dashboard.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(PAGE_CSP);
    const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('default-src')).toBe("default-src 'none'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    const html = await res.text();
    expect(html).toContain('<script type="module" src="/page.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handler
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from the network
  });

  it('serves its script and stylesheet from disk, with their types', async () => {
    const js = await fetch(at('/page.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('export function mrkdwnToHtml');
    expect((await fetch(at('/page.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for unknown paths and 405 for the wrong method', async () => {
    expect((await fetch(at('/nope'))).status).toBe(404);
    expect(
      (await fetch(at('/api/state'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
        .status,
    ).toBe(405);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    const { port } = new URL(dashboard.url);
    const status = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/api/state', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(421);
    expect((await fetch(at('/api/state').replace('127.0.0.1', 'localhost'))).status).toBe(200);
  });
});

describe('GET /api/state', () => {
  it('is the source snapshot as JSON', async () => {
    const res = await fetch(at('/api/state'));
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await res.json()) as DashboardState).toEqual(await source.snapshot());
  });
});

describe('GET /api/bill', () => {
  it("is the source's bill as JSON: every item priced, the total their sum", async () => {
    const res = await fetch(at('/api/bill'));
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bill = (await res.json()) as { items: Array<{ item: string; usd: number }>; usd: number };
    expect(bill).toEqual(JSON.parse(JSON.stringify(await source.bill())));
    expect(bill.items.find((i) => i.item === 'dynamodb.writes')?.usd).toBeCloseTo(6 * 0.625e-6, 12);
    expect(bill.usd).toBeCloseTo(
      bill.items.reduce((n, i) => n + i.usd, 0),
      9,
    );
  });
});

describe('GET /api/stream', () => {
  it('starts with the snapshot, then sends each update as `event: <type>` and one `data:` line of JSON', async () => {
    const stream = await openStream();
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await vi.waitFor(() => expect(stream.frames.some((f) => f.event === 'state')).toBe(true));
    expect(stream.frames[0]).toEqual({ retry: '2000' });
    expect(JSON.parse(stream.frames.find((f) => f.event === 'state')!.data!)).toEqual(await source.snapshot());

    const message = demoSlackMessage(demoEvent(budgetText('multi\nline', 10, 8, 9)), null, '1778752800.000400');
    source.push({ type: 'slack', data: message });
    source.push({ type: 'clock', data: { now: '2026-05-15T00:00:00.000Z', speed: 60, running: false } });
    await vi.waitFor(() => expect(stream.frames.filter((f) => f.event && f.event !== 'state')).toHaveLength(2));
    const [slack, clock] = stream.frames.filter((f) => f.event && f.event !== 'state');
    expect(slack).toEqual({ event: 'slack', data: JSON.stringify(message) });
    expect(JSON.parse(clock!.data!)).toEqual({ now: '2026-05-15T00:00:00.000Z', speed: 60, running: false });
    stream.close();
  });

  it('sends a heartbeat comment while idle', async () => {
    const stream = await openStream();
    await vi.waitFor(() =>
      expect(stream.frames.filter((f) => f.comment === 'heartbeat').length).toBeGreaterThanOrEqual(2),
    );
    stream.close();
  });

  it('keeps an update that arrives while the snapshot is being taken, after the snapshot', async () => {
    const slow = new FakeDashboardSource();
    const snapshot = slow.snapshot.bind(slow);
    slow.snapshot = async () => {
      const state = await snapshot();
      slow.push({ type: 'deliveries', data: { slack: 7, email: 0, webhook: 0, teams: 0 } });
      return state;
    };
    await dashboard.close();
    dashboard = await startDashboard(slow);
    const stream = await openStream();
    await vi.waitFor(() => expect(stream.frames.map((f) => f.event).filter(Boolean)).toEqual(['state', 'deliveries']));
    stream.close();
  });

  it('unsubscribes from the source when the client goes away', async () => {
    const stream = await openStream();
    await vi.waitFor(() => expect(source.listenerCount).toBe(1));
    stream.close();
    await vi.waitFor(() => expect(source.listenerCount).toBe(0));
  });

  it('ends open streams when the server closes, so close() never hangs', async () => {
    const streams = await Promise.all([openStream(), openStream()]);
    await vi.waitFor(() => expect(source.listenerCount).toBe(2));
    const ended = streams.map((s) => new Promise<void>((resolve) => s.response.once('close', resolve)));
    await dashboard.close();
    await Promise.all(ended);
    expect(source.listenerCount).toBe(0);
  });
});

describe('POST /api/dlq/redrive', () => {
  it('redrives one record, or all of a channel, and answers with the count', async () => {
    const [entry] = (await source.snapshot()).dlq;
    const one = await redrive(JSON.stringify({ channel: 'slack', messageId: entry!.messageId }));
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ redriven: 1 });
    expect(await (await redrive(JSON.stringify({ channel: 'email' }))).json()).toEqual({ redriven: 0 });
    expect(source.redriveCalls).toEqual([{ channel: 'slack', messageId: entry!.messageId }, { channel: 'email' }]);
  });

  it.each([
    ['text/plain (a form can send it cross-site)', { 'content-type': 'text/plain' }],
    ['a form encoding', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', {} as Record<string, string>],
  ])('refuses %s with 415, before touching the source', async (_, headers) => {
    const res = await redrive(JSON.stringify({ channel: 'slack' }), headers);
    expect(res.status).toBe(415);
    expect(source.redriveCalls).toEqual([]);
  });

  it('refuses another origin even with a JSON body', async () => {
    const res = await redrive(JSON.stringify({ channel: 'slack' }), {
      'content-type': 'application/json',
      origin: 'http://evil.example',
    });
    expect(res.status).toBe(403);
    const ok = await redrive(JSON.stringify({ channel: 'slack' }), {
      'content-type': 'application/json; charset=utf-8',
      origin: new URL(dashboard.url).origin,
    });
    expect(ok.status).toBe(200);
    expect(source.redriveCalls).toEqual([{ channel: 'slack' }]);
  });

  it.each([
    ['not json'],
    [JSON.stringify({ channel: 'sms' })],
    [JSON.stringify({ channel: 'slack', messageId: 42 })],
    ['null'],
  ])('answers 400 to the body %s', async (body) => {
    const res = await redrive(body);
    expect(res.status).toBe(400);
    expect(source.redriveCalls).toEqual([]);
  });
});

describe('GET /files/*', () => {
  it('serves what the source has, sandboxed, and 404 for the rest', async () => {
    const res = await fetch(at('/files/F0DIGEST01'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(await res.text()).toMatch(/^<svg /);
    expect((await fetch(at('/files/F0MISSING'))).status).toBe(404);
  });
});

describe('the port', () => {
  it('falls back to a free port when the one asked for is taken, and says so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const other = await startDashboard(source, { port: taken });
      expect(new URL(other.url).port).not.toBe(String(taken));
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(other.notice).toContain(`port ${taken} is in use`);
      expect((await fetch(other.url)).status).toBe(200);
      await other.close();
    } finally {
      blocker.close();
    }
  });
});
