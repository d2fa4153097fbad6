import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, WebhookNotifier, type Resolver } from '@spend-alerts/adapters';
import { loadConfig, readInput, type WebhookReceiver } from '@spend-alerts/core';
import { readFixture } from '../fixtures/load.ts';

/**
 * What a webhook endpoint can do to the notifier: redirect to another origin (the receiver's own
 * headers must not follow), to plain http (the signed payload must not go in clear), and what the
 * config and the secrets can get wrong (an upper-case scheme, an http URL in a secret, a weak
 * signing secret, loopback outside the local runtime).
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const TOKEN = 'Bearer s3cr3t-partner-token';
const event = readInput(readFixture('budgets/cost-monthly-actual-costmanagement-link.txt')).events[0]!;
const base = loadConfig(
  `
receivers:
  - name: hook
    type: webhook
    url: "https://hooks.example.com/x"
    signingSecret: HookSecret
    headers: { X-Source: spend-alerts }
    headerSecrets: { Authorization: PartnerToken }
    timeoutMs: 2000
route: { receiver: hook }
`,
  'webhook policy config',
).receivers[0] as WebhookReceiver;

interface Hit {
  server: string;
  headers: IncomingHttpHeaders;
}
const hits: Hit[] = [];
/** What each server answers next, once: a status and, for a redirect, where to. */
const answers: Record<string, { status: number; location?: string }> = {};
const urls: Record<string, string> = {};
const servers: Array<Server | TlsServer> = [];

function handler(name: string) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    hits.push({ server: name, headers: req.headers });
    req.resume();
    const answer = answers[name] ?? { status: 204 };
    delete answers[name]; // each answer once: a redirect to the same server then lands
    res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
    res.end();
  };
}

async function listen(name: string, server: Server | TlsServer, scheme: 'http' | 'https', host: string) {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  urls[name] = `${scheme}://${host}:${(server.address() as AddressInfo).port}`;
}

/** Every `*.example.test` name is this machine: the servers below. */
const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
const secrets: Record<string, string> = { HookSecret: SECRET, PartnerToken: TOKEN };
const notifier = new WebhookNotifier({
  secrets: (name) => {
    const value = secrets[name];
    if (value === undefined) throw new Error(`secret "${name}" is not set`);
    return value;
  },
  resolve,
  allowLoopback: true,
  ca: readFixture('tls/localhost.crt'),
});
const send = (receiver: Partial<WebhookReceiver>, using = notifier) =>
  using.deliver(
    {
      events: [{ event, enrichment: null }],
      receiver: { ...base, allowPrivateNetwork: true, ...receiver } as WebhookReceiver,
      route: 'route',
      groupKey: '{}',
    },
    { idempotencyKey: `${event.id}|hook`, attempt: 1 },
  );
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DeliveryError,
  );

beforeAll(async () => {
  const tls = { cert: readFixture('tls/localhost.crt'), key: readFixture('tls/localhost.key') };
  await listen('first', createServer(handler('first')), 'http', 'first.example.test');
  await listen('other', createServer(handler('other')), 'http', 'other.example.test');
  await listen('secure', createTlsServer(tls, handler('secure')), 'https', 'secure.example.test');
  await listen('secureOther', createTlsServer(tls, handler('secureOther')), 'https', 'elsewhere.example.test');
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

beforeEach(() => {
  hits.length = 0;
  for (const key of Object.keys(answers)) delete answers[key];
});

describe('redirects to another origin', () => {
  it('the custom and secret headers go to the configured origin, and not to the one it redirects to', async () => {
    answers.first = { status: 307, location: `${urls.other}/landing` };
    await expect(send({ url: `${urls.first}/hook` })).resolves.toEqual({ ref: '204' });
    const [first, other] = hits;
    expect(first!.server).toBe('first');
    expect(first!.headers.authorization).toBe(TOKEN);
    expect(first!.headers['x-source']).toBe('spend-alerts');
    expect(other!.server).toBe('other');
    expect(other!.headers.authorization).toBeUndefined();
    expect(other!.headers['x-source']).toBeUndefined();
    // The signature still goes: it proves the body, and holds no secret.
    expect(other!.headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('a redirect within the origin keeps them', async () => {
    answers.first = { status: 308, location: '/moved' };
    await send({ url: `${urls.first}/hook` });
    expect(hits.map((h) => [h.server, h.headers.authorization])).toEqual([
      ['first', TOKEN],
      ['first', TOKEN],
    ]);
  });

  it('a redirect to the same host on another port is another origin', async () => {
    answers.first = { status: 307, location: `${urls.other!.replace('other.', 'first.')}/x` };
    await send({ url: `${urls.first}/hook` });
    expect(hits[1]!.headers.authorization).toBeUndefined();
  });
});

describe('https, on the parsed URL, at every hop', () => {
  it('an https endpoint that redirects to http is refused before anything goes in clear', async () => {
    answers.secure = { status: 307, location: `${urls.first}/clear` };
    const error = await failure(send({ url: `${urls.secure}/hook` }));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/from https to plain http/);
    expect(hits.map((h) => h.server)).toEqual(['secure']);
  });

  it('an https endpoint that redirects to another https origin is followed, without the headers', async () => {
    answers.secure = { status: 308, location: `${urls.secureOther}/hook` };
    await expect(send({ url: `${urls.secure}/hook` })).resolves.toEqual({ ref: '204' });
    expect(hits.map((h) => [h.server, h.headers.authorization])).toEqual([
      ['secure', TOKEN],
      ['secureOther', undefined],
    ]);
  });

  it.each([
    ['plain http', (u: string) => u],
    ['upper-case HTTP', (u: string) => u.replace('http://', 'HTTP://')],
    ['mixed-case hTtP', (u: string) => u.replace('http://', 'hTtP://')],
  ])('%s to a public address is refused, even with allowPrivateNetwork', async (_label, spell) => {
    const publicResolve: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];
    const strict = new WebhookNotifier({ secrets: (n) => secrets[n]!, resolve: publicResolve });
    const error = await failure(send({ url: spell('http://hooks.example.com/x') }, strict));
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/must be https/);
  });

  it('a URL read from urlSecret is checked as a url: would be', async () => {
    const publicResolve: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];
    const withUrl = (url: string) =>
      new WebhookNotifier({ secrets: (n) => (n === 'HookUrl' ? url : secrets[n]!), resolve: publicResolve });
    for (const url of ['http://hooks.example.com/x?token=t0ken', 'HTTP://hooks.example.com/x?token=t0ken']) {
      const error = await failure(send({ url: undefined, urlSecret: 'HookUrl' }, withUrl(url)));
      expect(error!.message).toMatch(/must be https/);
      expect(error!.message).not.toContain('t0ken');
    }
    const error = await failure(send({ url: undefined, urlSecret: 'HookUrl' }, withUrl('file:///etc/passwd')));
    expect(error!.message).toMatch(/scheme file: is not allowed/);
  });

  it('config validation reads the scheme as the parser does: HTTP:// without allowPrivateNetwork is refused', () => {
    for (const url of ['HTTP://hooks.example.com/x', 'Http://hooks.example.com/x', 'http://hooks.example.com/x']) {
      expect(() =>
        loadConfig(
          `receivers:\n  - { name: h, type: webhook, url: "${url}", signingSecret: S }\nroute: { receiver: h }\n`,
          'c',
        ),
      ).toThrow(/must be https/);
    }
  });
});

describe('signing secrets', () => {
  it.each([
    ['hello', /must start with whsec_/],
    ['whsec_AA==', /decodes to a 1-byte key/],
    [`whsec_${randomBytes(16).toString('base64')}`, /decodes to a 16-byte key/],
    [`whsec_${randomBytes(65).toString('base64')}`, /decodes to a 65-byte key/],
    ['whsec_not base64!', /is not base64/],
    [randomBytes(32).toString('base64'), /must start with whsec_/],
  ])('%s is refused by name, and nothing is sent', async (value, why) => {
    const weak = new WebhookNotifier({ secrets: (n) => (n === 'HookSecret' ? value : secrets[n]!), resolve });
    const error = await failure(send({ url: `${urls.first}/hook` }, weak));
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/^signing secret "HookSecret" /);
    expect(error!.message).toMatch(why);
    if (value.length > 4) expect(error!.message).not.toContain(value);
    expect(hits).toHaveLength(0);
  });

  it.each([24, 32, 64])('a whsec_ secret of %i bytes signs', async (bytes) => {
    const value = `whsec_${randomBytes(bytes).toString('base64')}`;
    const ok = new WebhookNotifier({
      secrets: (n) => (n === 'HookSecret' ? value : secrets[n]!),
      resolve,
      allowLoopback: true,
    });
    await expect(send({ url: `${urls.first}/hook` }, ok)).resolves.toEqual({ ref: '204' });
  });
});

describe('loopback', () => {
  const make = (env: NodeJS.ProcessEnv) => new WebhookNotifier({ secrets: (n) => secrets[n]!, resolve, env });

  it.each([
    ['outside Lambda (a container, EC2, the CLI)', {}],
    ['with SPEND_ALERTS_WEBHOOK_LOOPBACK set to something else', { SPEND_ALERTS_WEBHOOK_LOOPBACK: '1' }],
    [
      'inside Lambda even when asked',
      { SPEND_ALERTS_WEBHOOK_LOOPBACK: 'allow', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' },
    ],
  ])('is refused %s', async (_label, env) => {
    const error = await failure(send({ url: `${urls.first}/hook` }, make(env)));
    expect(error!.message).toMatch(/resolves to a loopback address/);
    expect(hits).toHaveLength(0);
  });

  it('opens only when the local runtime asks, with SPEND_ALERTS_WEBHOOK_LOOPBACK=allow', async () => {
    await expect(
      send({ url: `${urls.first}/hook` }, make({ SPEND_ALERTS_WEBHOOK_LOOPBACK: 'allow' })),
    ).resolves.toEqual({
      ref: '204',
    });
  });
});

describe('headers in the config', () => {
  const load = (headers: string) =>
    loadConfig(
      `receivers:\n  - { name: h, type: webhook, url: "https://h.example.com/", signingSecret: S, headers: ${headers} }\nroute: { receiver: h }\n`,
      'c',
    );

  it.each([
    '{ Authorization: "Bearer abc123" }',
    '{ authorization: "Basic dXNlcjpwYXNz" }',
    '{ X-Api-Key: "k" }',
    '{ X-Auth-Token: "t" }',
    '{ Cookie: "session=abc" }',
    '{ X-Custom: "Bearer abc123" }',
    '{ X-Custom: "xoxb-123-456-abc" }',
    '{ X-Custom: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }',
    '{ X-Custom: "0123456789abcdef0123456789abcdef0123" }',
  ])('refuses a secret-looking value %s, pointing at headerSecrets', (headers) => {
    expect(() => load(headers)).toThrow(/headerSecrets/);
  });

  it('keeps plain values, and takes a secret value by name', () => {
    const r = load('{ X-Source: spend-alerts, X-Team: finops }').receivers[0] as WebhookReceiver;
    expect(r.headers).toEqual({ 'X-Source': 'spend-alerts', 'X-Team': 'finops' });
    expect(base.headerSecrets).toEqual({ Authorization: 'PartnerToken' });
  });

  it('refuses a secret value in headerSecrets, a forbidden header, and a header given twice', () => {
    const load2 = (extra: string) =>
      loadConfig(
        `receivers:\n  - { name: h, type: webhook, url: "https://h.example.com/", signingSecret: S, ${extra} }\nroute: { receiver: h }\n`,
        'c',
      );
    expect(() => load2('headerSecrets: { Authorization: "xoxb-1-2-3" }')).toThrow(/looks like a secret value/);
    expect(() => load2('headerSecrets: { Webhook-Signature: Sig }')).toThrow(/may not set/);
    expect(() => load2('headers: { X-A: a }, headerSecrets: { x-a: Sig }')).toThrow(/also set in headers/);
  });
});
