import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockedDestinationError,
  DeliveryError,
  isBlockedAddress,
  vetDestination,
  WebhookNotifier,
  type Resolver,
} from '@spend-alerts/adapters';
import { loadConfig, readInput, type WebhookReceiver } from '@spend-alerts/core';
import {
  startWebhookReceiver,
  type WebhookReceiver as LocalReceiver,
} from '@spend-alerts/local/standins/webhook-receiver.ts';
import { readFixture } from '../fixtures/load.ts';

/**
 * The webhook SSRF matrix: which addresses a webhook may reach, however they are written, whatever
 * a name resolves to, and wherever a redirect points. Names resolve through an injected resolver,
 * so that "a public name that resolves to a private address" needs no DNS.
 */

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback, end of the range'],
    ['0.0.0.0', 'this host'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['169.254.170.2', 'ECS credentials endpoint (link-local)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['192.0.0.192', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'EC2 metadata over IPv6 (unique local)'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::FFFF:A9FE:A9FE', 'IPv4-mapped metadata, upper-case hex'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback, dotted'],
    ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
    ['64:ff9b::c0a8:101', 'NAT64 of a private address, hex'],
    ['::127.0.0.1', 'IPv4-compatible loopback, dotted'],
    ['::7f00:1', 'IPv4-compatible loopback, hex (as the URL parser writes it)'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata'],
    ['::ffff:0:127.0.0.1', 'SIIT (IPv4-translated) loopback'],
    ['::ffff:0:a9fe:a9fe', 'SIIT metadata, hex'],
    ['64:ff9b:1::a9fe:a9fe', 'local-use NAT64 (64:ff9b:1::/48), IPv4 at the end'],
    ['64:ff9b:1:7f00:0:100::', 'local-use NAT64 /48, IPv4 split around the u octet'],
    ['2002:7f00:1::1', '6to4 of loopback'],
    ['2002:a9fe:a9fe::', '6to4 of the metadata address'],
    ['2002:c0a8:101:1::1', '6to4 of a private address'],
    ['fec0::1', 'deprecated site-local'],
    ['fefe::1', 'deprecated site-local, end of fec0::/10'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo (the IPv4 it reaches is obfuscated)'],
    ['3fff::1', 'IPv6 documentation (3fff::/20)'],
    ['100::1', 'IPv6 discard-only, outside global unicast'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['not-an-address', 'not an address at all'],
  ])('blocks %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    [PUBLIC_V4, 'public IPv4'],
    ['8.8.8.8', 'public IPv4'],
    ['172.32.0.1', 'just past 172.16/12'],
    ['100.128.0.1', 'just past 100.64/10'],
    [PUBLIC_V6, 'public IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['64:ff9b::8.8.8.8', 'NAT64 of a public address'],
    ['2002:808:808::1', '6to4 of a public address'],
    ['2a05:d018:1234::1', 'global unicast'],
  ])('allows %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('vetDestination', () => {
  const names: Record<string, string[]> = {
    'public.example': [PUBLIC_V4],
    'public6.example': [PUBLIC_V6],
    'metadata.example': ['169.254.169.254'],
    'internal.example': ['10.0.0.7'],
    'mixed.example': [PUBLIC_V4, '192.168.0.10'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'localhost.example': ['127.0.0.1'],
  };
  const resolve: Resolver = async (host) => {
    const addresses = names[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const vet = (url: string, allowPrivateNetwork = false) =>
    vetDestination(new URL(url), { allowPrivateNetwork, resolve });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback as a decimal integer'],
    ['http://0x7f000001/', 'loopback in hex'],
    ['http://0x7f.0.0.1/', 'loopback with a hex octet'],
    ['http://0177.0.0.1/', 'loopback in octal'],
    ['http://127.1/', 'loopback, short form'],
    ['http://0/', 'zero'],
    ['http://[::1]/', 'IPv6 loopback'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
    ['http://[::ffff:a9fe:a9fe]/latest/meta-data/', 'IPv4-mapped metadata'],
    ['http://169.254.169.254/latest/meta-data/iam/', 'metadata'],
    ['http://2852039166/', 'metadata as a decimal integer'],
    ['http://0xa9fea9fe/', 'metadata in hex'],
    ['http://[fd00:ec2::254]/', 'EC2 metadata over IPv6'],
    ['https://metadata.example/', 'a name resolving to the metadata address'],
    ['https://internal.example/', 'a name resolving to a private address'],
    ['https://mixed.example/', 'a name resolving to one public and one private address'],
    ['https://mapped.example/', 'a name resolving to IPv4-mapped loopback'],
    ['https://localhost.example/', 'a name resolving to loopback'],
  ])('refuses %s (%s)', async (url) => {
    await expect(vet(url)).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it.each([
    'file:///etc/passwd',
    'ftp://public.example/',
    'gopher://public.example/',
    'data:text/plain,hi',
    'javascript:alert(1)',
  ])('refuses the scheme of %s, even with allowPrivateNetwork', async (url) => {
    await expect(vet(url, true)).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it('connects to the address it checked: public names and literals pass with that address', async () => {
    await expect(vet('https://public.example/hook')).resolves.toEqual({ address: PUBLIC_V4, family: 4 });
    await expect(vet('https://public6.example/hook')).resolves.toEqual({ address: PUBLIC_V6, family: 6 });
    await expect(vet(`https://${PUBLIC_V4}/hook`)).resolves.toEqual({ address: PUBLIC_V4, family: 4 });
  });

  it.each([
    ['https://internal.example/', '10.0.0.7'],
    ['http://10.1.2.3/', '10.1.2.3'],
    ['http://172.31.0.1/', '172.31.0.1'],
    ['http://192.168.1.1/', '192.168.1.1'],
    ['http://100.64.0.1/', '100.64.0.1'],
    ['http://[fd12:3456:789a::1]/', 'fd12:3456:789a::1'],
    ['http://[::ffff:10.0.0.1]/', '::ffff:a00:1'],
  ])('allowPrivateNetwork lets the private destination %s through', async (url, address) => {
    await expect(vet(url, true)).resolves.toMatchObject({ address });
  });

  it.each([
    ['http://127.0.0.1:9001/2018-06-01/runtime/invocation/next', 'the Lambda runtime API'],
    ['http://[::1]/', 'IPv6 loopback'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
    ['https://localhost.example/', 'a name resolving to loopback'],
    ['https://mapped.example/', 'a name resolving to IPv4-mapped loopback'],
    ['http://169.254.169.254/latest/meta-data/iam/', 'metadata'],
    ['http://169.254.170.2/v2/credentials', 'the ECS credentials endpoint'],
    ['http://[fd00:ec2::254]/', 'EC2 metadata over IPv6, inside unique-local'],
    ['https://metadata.example/', 'a name resolving to the metadata address'],
    ['http://[fe80::1]/', 'IPv6 link-local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'IPv6 unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://192.0.2.1/', 'documentation'],
    ['http://[64:ff9b:1::a00:1]/', 'local-use NAT64, whatever it embeds'],
  ])('allowPrivateNetwork still refuses %s (%s)', async (url) => {
    await expect(vet(url, true)).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it('allowLoopback opens loopback and nothing else; link-local and metadata stay closed with every option', async () => {
    const vetWith = (url: string, allowPrivateNetwork: boolean) =>
      vetDestination(new URL(url), { allowPrivateNetwork, allowLoopback: true, resolve });
    await expect(vetWith('http://127.0.0.1/', false)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(vetWith('http://[::1]/', false)).resolves.toEqual({ address: '::1', family: 6 });
    await expect(vetWith('https://internal.example/', false)).rejects.toBeInstanceOf(BlockedDestinationError);
    await expect(vetWith('http://169.254.169.254/', true)).rejects.toBeInstanceOf(BlockedDestinationError);
    await expect(vetWith('http://[fd00:ec2::254]/', true)).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it('says which setting would open a refused destination, and when none would', async () => {
    await expect(vet('https://internal.example/')).rejects.toThrow(
      /resolves to a private address; set allowPrivateNetwork: true/,
    );
    await expect(vet('http://127.0.0.1/', true)).rejects.toThrow(
      /resolves to a loopback address; loopback is reachable only from the local runtime/,
    );
    await expect(vet('http://169.254.169.254/', true)).rejects.toThrow(
      /resolves to a link-local \(cloud metadata\) address; no setting allows it/,
    );
    await expect(vet('http://[fd00:ec2::254]/', true)).rejects.toThrow(
      /resolves to a cloud metadata address; no setting allows it/,
    );
  });

  it('a name that does not resolve is a resolution failure (retryable), not a block', async () => {
    const error = await vet('https://nowhere.example/').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(BlockedDestinationError);
    expect((error as Error).message).toMatch(/ENOTFOUND/);
  });
});

describe('WebhookNotifier against local servers', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let receiver: LocalReceiver;
  let redirector: Server;
  let redirectorUrl: string;
  /** What the redirector answers next: status and Location. */
  let redirect: { status: number; location: string } = { status: 307, location: '' };
  let redirectorHits = 0;
  const event = readInput(readFixture('budgets/cost-monthly-actual-costmanagement-link.txt')).events[0]!;
  const base = loadConfig(
    `
receivers:
  - { name: hook, type: webhook, url: "https://hooks.example.com/x", signingSecret: HookSecret, timeoutMs: 2000 }
route: { receiver: hook }
`,
    'ssrf config',
  ).receivers[0] as WebhookReceiver;
  const resolved: string[] = [];
  const resolve: Resolver = async (host) => {
    resolved.push(host);
    if (host === 'hooks.example.test' || host === 'redirector.example.test')
      return [{ address: '127.0.0.1', family: 4 }];
    if (host === 'metadata.example.test') return [{ address: '169.254.169.254', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
  const notifier = new WebhookNotifier({ secrets: () => secret, resolve, allowLoopback: true });
  const send = (url: string, allowPrivateNetwork: boolean) =>
    notifier.deliver(
      {
        events: [{ event, enrichment: null }],
        receiver: { ...base, url, allowPrivateNetwork },
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
    receiver = await startWebhookReceiver({ secret });
    redirector = createServer((req, res) => {
      redirectorHits++;
      req.resume();
      res.writeHead(redirect.status, { location: redirect.location.replace('{self}', redirectorUrl) });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await receiver?.close();
    redirector?.closeAllConnections();
    await new Promise((r) => redirector?.close(r));
  });

  beforeEach(() => {
    receiver.reset();
    redirectorHits = 0;
    resolved.length = 0;
  });

  const port = () => new URL(receiver.url).port;

  it.each([
    ['the receiver on loopback', () => receiver.url],
    ['loopback as a decimal integer', () => `http://2130706433:${port()}/webhook`],
    ['loopback in hex', () => `http://0x7f000001:${port()}/webhook`],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${port()}/webhook`],
    ['a public-looking name that resolves to loopback', () => `http://hooks.example.test:${port()}/webhook`],
  ])('refuses %s, for good, without sending anything', async (_label, url) => {
    const error = await failure(send(url(), false));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/resolves to a (loopback|private or reserved) address/);
    expect(receiver.requests).toHaveLength(0);
  });

  // Host names, not IP literals, from here on: Node (20 and 22, autoSelectFamily on) calls the
  // notifier's `lookup` with `{ all: true }` and wants a list. Answering `(null, address, family)`
  // failed every webhook to a host name with ERR_INVALID_IP_ADDRESS, as these tests showed.
  it('delivers to the same destination with allowPrivateNetwork (so the check is what stopped it)', async () => {
    await expect(send(`http://hooks.example.test:${port()}/webhook`, true)).resolves.toEqual({ ref: '204' });
    expect(receiver.requests.filter((r) => r.verified)).toHaveLength(1);
    expect(resolved).toEqual(['hooks.example.test']);
  });

  it.each([
    [
      'inside AWS Lambda',
      () => new WebhookNotifier({ secrets: () => secret, resolve, env: { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' } }),
    ],
    ['with allowLoopback: false', () => new WebhookNotifier({ secrets: () => secret, resolve, allowLoopback: false })],
  ])('%s, refuses loopback even with allowPrivateNetwork, without sending anything', async (_label, make) => {
    const error = await failure(
      make().deliver(
        {
          events: [{ event, enrichment: null }],
          receiver: { ...base, url: `http://hooks.example.test:${port()}/webhook`, allowPrivateNetwork: true },
          route: 'route',
          groupKey: '{}',
        },
        { idempotencyKey: `${event.id}|hook`, attempt: 1 },
      ),
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/resolves to a loopback address/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a name resolving to the metadata address, even with allowPrivateNetwork', async () => {
    const error = await failure(send('http://metadata.example.test/latest/meta-data/', true));
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/link-local \(cloud metadata\) address; no setting allows it/);
  });

  it('follows a 307 to an allowed destination, signed as the first request was', async () => {
    redirect = { status: 307, location: receiver.url };
    await expect(send(`http://redirector.example.test:${new URL(redirectorUrl).port}/`, true)).resolves.toEqual({
      ref: '204',
    });
    expect(redirectorHits).toBe(1);
    expect(receiver.requests.filter((r) => r.verified)).toHaveLength(1);
  });

  it('vets every redirect hop: the Location is resolved and checked as the first URL was', async () => {
    // The resolver is asked for the redirect's host, as it was for the first one; with
    // allowPrivateNetwork false the same check refuses a private answer (vetDestination, above).
    redirect = { status: 307, location: 'http://unknown.example.test/hook' };
    const error = await failure(send(`http://redirector.example.test:${new URL(redirectorUrl).port}/`, true));
    expect(resolved).toEqual(['redirector.example.test', 'unknown.example.test']);
    expect(error!.message).toMatch(/ENOTFOUND/);
    expect(redirectorHits).toBe(1);
    expect(receiver.requests).toHaveLength(0);
  });

  it.each(['file:///etc/passwd', 'gopher://127.0.0.1:6379/_FLUSHALL', 'ftp://127.0.0.1/'])(
    'refuses a redirect to %s',
    async (location) => {
      redirect = { status: 307, location };
      const error = await failure(send(`${redirectorUrl}/`, true));
      expect(error!.failure).toBe('permanent');
      expect(error!.message).toMatch(/scheme/);
      expect(redirectorHits).toBe(1);
    },
  );

  it.each([301, 302, 303])('does not follow a %i (it would turn the POST into a GET)', async (status) => {
    redirect = { status, location: receiver.url };
    const error = await failure(send(`${redirectorUrl}/`, true));
    expect(error!.failure).toBe('permanent');
    expect(receiver.requests).toHaveLength(0);
  });

  it('stops a redirect loop after three hops', async () => {
    redirect = { status: 308, location: '{self}/again' };
    const error = await failure(send(`${redirectorUrl}/`, true));
    expect(error!.failure).toBe('permanent');
    expect(error!.message).toMatch(/redirected more than 3 times/);
    expect(redirectorHits).toBe(4);
  });

  it('never puts the webhook URL in an error message', async () => {
    const secretUrl = `http://hooks.example.test:${port()}/webhook?token=s3cr3t-token`;
    const error = await failure(send(secretUrl, false));
    expect(error!.message).not.toContain('s3cr3t-token');
    expect(error!.message).not.toContain('hooks.example.test');
  });
});
