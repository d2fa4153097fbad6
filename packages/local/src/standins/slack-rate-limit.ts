/**
 * Slack's rate limit for posting messages, as documented for `chat.postMessage` (docs.slack.dev,
 * "Rate limits", special tier): about one message per second per channel, short bursts above that
 * tolerated, and beyond them HTTP 429 with a `Retry-After` header in whole seconds. Slack publishes
 * neither the burst size nor its exact algorithm; this models it as a token bucket per channel that
 * holds `burst` messages and refills at `perSecond`. Off until configured, so tests stay fast.
 */

/** The model's parameters. */
export interface PostRateLimitOptions {
  /** Sustained messages per second per channel. Default 1, as documented. */
  perSecond?: number;
  /** Messages a channel may take at once before the limit bites. Default 10 (Slack: "short bursts"). */
  burst?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Per-channel token buckets; `take` says whether a post may go ahead now, or how long to wait. */
export class PostRateLimit {
  #options: Required<PostRateLimitOptions> | null = null;
  readonly #buckets = new Map<string, Bucket>();
  /** Posts refused with 429 since the limit was configured. */
  refused = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Turns the limit on with these parameters (or off with `null`), with every channel's bucket full. */
  configure(options: PostRateLimitOptions | null): void {
    this.#buckets.clear();
    this.refused = 0;
    this.#options = options && { perSecond: options.perSecond ?? 1, burst: options.burst ?? 10 };
    if (this.#options && !(this.#options.perSecond > 0 && this.#options.burst >= 1))
      throw new RangeError('a post rate limit needs perSecond > 0 and burst ≥ 1');
  }

  get enabled(): boolean {
    return this.#options !== null;
  }

  /**
   * Takes one post for `channel`: 0 when it may go ahead, else the `Retry-After` to answer, in whole
   * seconds (at least 1), until the bucket holds a message again.
   * @example limit.take('C0FINOPS001') // 0, or 1 once the burst is spent
   */
  take(channel: string): number {
    const options = this.#options;
    if (!options) return 0;
    const now = this.now();
    const bucket = this.#buckets.get(channel) ?? { tokens: options.burst, at: now };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
    bucket.at = now;
    this.#buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    this.refused++;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
  }
}
