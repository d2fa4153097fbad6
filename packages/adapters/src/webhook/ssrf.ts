import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AdapterError } from '../errors.ts';

/** A webhook destination resolves to an address the receiver may not reach. */
export class BlockedDestinationError extends AdapterError {}

/** Loopback, private, link-local (cloud metadata included), shared, unique-local, multicast and reserved ranges. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/**
 * Whether an address is one a webhook may not reach by default. IPv4 inside IPv6 (mapped
 * `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) is judged by its IPv4 address.
 */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const embedded = embeddedIpv4(address);
  if (embedded) return BLOCKED.check(embedded, 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves a URL's host and returns the address to connect to, refusing blocked addresses unless
 * allowed. Every address the name resolves to must pass: a name with one public and one private
 * address is refused. The caller connects to the returned address, so a second, different DNS
 * answer (rebinding) cannot slip past the check.
 */
export async function vetDestination(url: URL, options: { allowPrivateNetwork: boolean; resolve?: Resolver }): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BlockedDestinationError(`scheme ${url.protocol} is not allowed`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await (options.resolve ?? systemResolver)(host).catch((error: Error & { code?: string }) => {
    throw Object.assign(new AdapterError(`cannot resolve the webhook host: ${error.code ?? error.message}`, { cause: error }), { code: error.code });
  });
  if (addresses.length === 0) throw new AdapterError('the webhook host resolves to no address');
  if (!options.allowPrivateNetwork) {
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) throw new BlockedDestinationError(`the webhook host resolves to a ${describe(blocked.address)} address; set allowPrivateNetwork: true on the receiver to allow it`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function describe(address: string): string {
  if (/^127\.|^::1$|^::ffff:127\./.test(address)) return 'loopback';
  if (/^169\.254\.|^fe80:/i.test(address)) return 'link-local';
  return 'private or reserved';
}
