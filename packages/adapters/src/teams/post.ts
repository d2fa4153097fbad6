import https from 'node:https';
import http from 'node:http';
import { classifyStatus, DeliveryError } from '../errors.ts';
import { BlockedDestinationError, vetDestination, type Resolver } from '../webhook/ssrf.ts';

const CONNECT_TIMEOUT_MS = 3_000;

export interface VettedPostOptions {
  resolve?: Resolver;
  /** Loopback, for the local runtime's stand-in; plain http is refused otherwise. */
  allowLoopback: boolean;
  timeoutMs: number;
  /** Extra trusted CA certificates (local HTTPS stand-ins). */
  ca?: string | Buffer;
}

/**
 * POSTs JSON to a URL held as a secret, connecting only to the address that passed the SSRF check
 * (public addresses; loopback for the local runtime), following no redirect. Errors name the status
 * or the socket error's code, never the URL: a Workflows URL carries the signature that lets anyone post.
 */
export async function postToSecretUrl(target: string, body: string, options: VettedPostOptions): Promise<number> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new DeliveryError('the Teams workflow URL is not a valid URL', 'permanent');
  }
  if (url.protocol !== 'https:' && !(options.allowLoopback && url.protocol === 'http:'))
    throw new DeliveryError('the Teams workflow URL must be https', 'permanent');
  let vetted: { address: string; family: 4 | 6 };
  try {
    vetted = await vetDestination(url, {
      allowPrivateNetwork: false,
      allowLoopback: options.allowLoopback,
      resolve: options.resolve,
    });
  } catch (error) {
    const message = (error as Error).message.replace('the webhook host', 'the Teams workflow host');
    throw new DeliveryError(message, error instanceof BlockedDestinationError ? 'permanent' : 'transient', {
      cause: error,
    });
  }
  const { status, retryAfterMs } = await send(url, vetted, body, options);
  if (status >= 200 && status < 300) return status;
  if (status >= 300 && status < 400)
    throw new DeliveryError(`Teams answered ${status}: redirects are not followed`, 'permanent', { status });
  throw new DeliveryError(`Teams answered HTTP ${status}`, classifyStatus(status), { status, retryAfterMs });
}

function send(
  url: URL,
  vetted: { address: string; family: 4 | 6 },
  body: string,
  options: VettedPostOptions,
): Promise<{ status: number; retryAfterMs?: number }> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'spend-alerts',
          'content-length': String(Buffer.byteLength(body)),
        },
        // Connect to the address that was checked, never to a second DNS answer.
        lookup: (_host, opts, callback) =>
          (opts as { all?: boolean }).all
            ? (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
                { address: vetted.address, family: vetted.family },
              ])
            : (callback as (e: null, a: string, f: number) => void)(null, vetted.address, vetted.family),
        servername: url.hostname,
        ca: options.ca,
        timeout: Math.min(CONNECT_TIMEOUT_MS, options.timeoutMs),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfterMs: retryAfter(response.headers['retry-after']) }),
        );
        response.on('error', (e) => reject(networkFailure(e, options.timeoutMs)));
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (e) => reject(networkFailure(e, options.timeoutMs)));
    request.end(body);
  });
}

/** `Retry-After` in seconds (Teams and Power Automate answer 429 with it), as milliseconds. */
function retryAfter(header: string | undefined): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 900) * 1000 : undefined;
}

function networkFailure(error: Error & { code?: string }, timeoutMs: number): DeliveryError {
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || error.code === 'ETIMEDOUT')
    return new DeliveryError(`Teams timed out after ${timeoutMs} ms`, 'transient', { code: 'timeout', cause: error });
  // A socket error's message can quote the URL: keep only its code.
  const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(error.code ?? '');
  return new DeliveryError(
    `Teams request failed: ${error.code ?? error.name}`,
    certificate ? 'permanent' : 'transient',
    {
      code: error.code,
      cause: error,
    },
  );
}
