import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AdapterError } from '../errors.ts';

/** A webhook destination resolves to an address the receiver may not reach. */
export class BlockedDestinationError extends AdapterError {}

/**
 * Who may reach an address. `private` opens with the receiver's `allowPrivateNetwork`, `loopback`
 * only with the notifier's `allowLoopback` (the local runtime); `never` is never reachable: this host,
 * link-local and cloud metadata, multicast, reserved, documentation and untranslatable ranges.
 */
export type AddressScope = 'public' | 'private' | 'loopback' | 'never';

interface Classified {
  scope: AddressScope;
  /** What the range is, for error messages. */
  label: string;
}

type Range = readonly [first: number, prefix: number, scope: Exclude<AddressScope, 'public'>, label: string];

const IPV4_RANGES: Range[] = [
  [v4('0.0.0.0'), 8, 'never', 'unspecified (this network)'],
  [v4('10.0.0.0'), 8, 'private', 'private'],
  [v4('100.64.0.0'), 10, 'private', 'private (shared, carrier-grade NAT)'],
  [v4('127.0.0.0'), 8, 'loopback', 'loopback'],
  [v4('169.254.0.0'), 16, 'never', 'link-local (cloud metadata)'],
  [v4('172.16.0.0'), 12, 'private', 'private'],
  [v4('192.0.0.0'), 24, 'never', 'reserved'],
  [v4('192.0.2.0'), 24, 'never', 'documentation'],
  [v4('192.168.0.0'), 16, 'private', 'private'],
  [v4('198.18.0.0'), 15, 'never', 'reserved (benchmarking)'],
  [v4('198.51.100.0'), 24, 'never', 'documentation'],
  [v4('203.0.113.0'), 24, 'never', 'documentation'],
  [v4('224.0.0.0'), 4, 'never', 'multicast'],
  [v4('240.0.0.0'), 4, 'never', 'reserved'],
];

/**
 * Classifies an address for a webhook to reach. IPv4 written inside IPv6 is judged by its IPv4
 * address wherever the embedding is fixed: mapped `::ffff:a.b.c.d`, SIIT `::ffff:0:a.b.c.d`,
 * IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4 `2002:aabb:ccdd::/48` (a 6to4
 * address is as reachable as the IPv4 address it tunnels to). Other IPv6 is public only inside
 * global unicast 2000::/3, less Teredo (the IPv4 it reaches is obfuscated) and documentation;
 * unique-local fc00::/7 is private, except AWS's fd00:ec2::/32 (instance metadata fd00:ec2::254,
 * DNS, time). Local-use NAT64 64:ff9b:1::/48 and site-local fec0::/10 fall outside 2000::/3.
 */
export function classifyAddress(address: string): Classified {
  const family = isIP(address);
  if (family === 4) return classifyIpv4(v4(address));
  if (family !== 6) return { scope: 'never', label: 'invalid' };
  const g = ipv6Groups(address);
  const embedded = embeddedIpv4(g);
  if (embedded !== null) return classifyIpv4(embedded);
  if (g.every((x, i) => x === (i === 7 ? 1 : 0))) return { scope: 'loopback', label: 'loopback' };
  if (g[0]! >> 9 === 0x7e) {
    if (g[0] === 0xfd00 && g[1] === 0x0ec2) return { scope: 'never', label: 'cloud metadata' };
    return { scope: 'private', label: 'private (unique-local)' };
  }
  if (g[0]! >> 6 === 0x3fa) return { scope: 'never', label: 'link-local' };
  if (g[0]! >> 6 === 0x3fb) return { scope: 'never', label: 'site-local' };
  if (g[0]! >> 13 !== 1) return { scope: 'never', label: g.every((x) => x === 0) ? 'unspecified' : 'reserved' };
  if (g[0] === 0x2001 && g[1] === 0) return { scope: 'never', label: 'Teredo' };
  if ((g[0] === 0x2001 && g[1] === 0x0db8) || (g[0] === 0x3fff && g[1]! < 0x1000))
    return { scope: 'never', label: 'documentation' };
  return { scope: 'public', label: 'public' };
}

/** Whether an address is one a webhook may not reach by default (anything not public). */
export function isBlockedAddress(address: string): boolean {
  return classifyAddress(address).scope !== 'public';
}

function classifyIpv4(n: number): Classified {
  for (const [first, prefix, scope, label] of IPV4_RANGES) {
    if (n >>> (32 - prefix) === first >>> (32 - prefix)) return { scope, label };
  }
  return { scope: 'public', label: 'public' };
}

function v4(dotted: string): number {
  return dotted.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** The eight 16-bit groups of a valid IPv6 address (zone dropped, a dotted IPv4 tail folded in). */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 address an IPv6 address carries at a fixed place, or null. */
function embeddedIpv4(g: number[]): number | null {
  const low = g[6]! * 0x10000 + g[7]!;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return low; // ::ffff:a.b.c.d, mapped
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return low; // ::ffff:0:a.b.c.d, SIIT
  if (zeros(0, 6) && g[6] !== 0) return low; // ::a.b.c.d, IPv4-compatible (:: and ::1 are not)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return low; // 64:ff9b::/96, well-known NAT64
  if (g[0] === 0x2002) return g[1]! * 0x10000 + g[2]!; // 2002:aabb:ccdd::/48, 6to4
  return null;
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface VetOptions {
  /** Let private ranges through: RFC 1918, 100.64.0.0/10 and unique-local fc00::/7. */
  allowPrivateNetwork: boolean;
  /** Let loopback through. Only for a local runtime; in a Lambda, loopback is the runtime API. */
  allowLoopback?: boolean;
  resolve?: Resolver;
}

/**
 * Resolves a URL's host and returns the address to connect to, refusing addresses the options do not
 * open (see `classifyAddress`). Every address the name resolves to must pass: a name with one public
 * and one private address is refused. The caller connects to the returned address, so a second,
 * different DNS answer (rebinding) cannot slip past the check.
 */
export async function vetDestination(url: URL, options: VetOptions): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new BlockedDestinationError(`scheme ${url.protocol} is not allowed`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal }]
    : await (options.resolve ?? systemResolver)(host).catch((error: Error & { code?: string }) => {
        throw Object.assign(
          new AdapterError(`cannot resolve the webhook host: ${error.code ?? error.message}`, { cause: error }),
          { code: error.code },
        );
      });
  if (addresses.length === 0) throw new AdapterError('the webhook host resolves to no address');
  for (const { address } of addresses) {
    const { scope, label } = classifyAddress(address);
    if (
      scope === 'public' ||
      (scope === 'private' && options.allowPrivateNetwork) ||
      (scope === 'loopback' && options.allowLoopback)
    )
      continue;
    const reason =
      scope === 'private'
        ? 'set allowPrivateNetwork: true on the receiver to allow it'
        : scope === 'loopback'
          ? 'loopback is reachable only from the local runtime'
          : 'no setting allows it';
    throw new BlockedDestinationError(`the webhook host resolves to ${article(label)} ${label} address; ${reason}`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
