/** Base of every error the adapters raise. */
export class AdapterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** How a failed delivery should be treated: the answer to "does retrying make sense?". */
export type FailureClass = 'auth' | 'rate-limited' | 'permanent' | 'transient';

/**
 * A delivery failed. `retryable` says whether a later attempt can succeed (Alertmanager's
 * `Notify → (retry, err)`); `retryAfterMs` carries the destination's own backoff request.
 * Messages never carry secrets: callers pass a safe description.
 */
export class DeliveryError extends AdapterError {
  readonly retryable: boolean;
  constructor(
    message: string,
    readonly failure: FailureClass,
    readonly details: {
      status?: number;
      code?: string;
      retryAfterMs?: number;
      cause?: unknown;
      /** Whether an earlier attempt reached the destination is still unknown: keep looking on the next try. */
      unsettled?: boolean;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.retryable = failure === 'rate-limited' || failure === 'transient';
  }
  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

/**
 * Classifies an HTTP status: 401/403 auth, 408 and 429 retryable, other 4xx permanent, 5xx transient.
 * @example classifyStatus(503) // 'transient'
 */
export function classifyStatus(status: number): FailureClass {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limited';
  if (status === 408) return 'transient';
  if (status >= 400 && status < 500) return 'permanent';
  return 'transient';
}

/** Network-level failures (resets, refused connections, DNS hiccups, timeouts) are worth retrying. */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  const name = (error as Error | null)?.name ?? '';
  return (
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'EAI_AGAIN',
      'ENETUNREACH',
      'EHOSTUNREACH',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
    ].includes(code) || ['TimeoutError', 'AbortError'].includes(name)
  );
}

/** AWS SDK errors: throttling and server faults are transient, client faults permanent. */
export function classifyAwsError(error: unknown): FailureClass {
  const e = error as { name?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (
    [
      'ThrottlingException',
      'Throttling',
      'TooManyRequestsException',
      'ProvisionedThroughputExceededException',
      'RequestLimitExceeded',
      'LimitExceededException',
    ].includes(e?.name ?? '')
  ) {
    return 'rate-limited';
  }
  if (isTransientNetworkError(error) || e?.$retryable) return 'transient';
  const status = e?.$metadata?.httpStatusCode;
  if (status) return classifyStatus(status);
  return e?.$fault === 'client' ? 'permanent' : 'transient';
}
