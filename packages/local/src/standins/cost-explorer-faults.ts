/**
 * Faults the stand-in injects before answering, to exercise retries and degraded enrichment:
 * scripted ("the next two GetCostAndUsage calls are throttled") or random with a seeded PRNG
 * (the same seed throttles the same requests, run after run).
 */
import { mulberry32 } from '../sim/prng.ts';
import { AwsServiceError } from './cost-explorer-protocol.ts';

/** The error a fault answers with, and which requests it applies to. */
export interface FaultSpec {
  /**
   * The `__type`. Default `ThrottlingException`, which the SDK retries as throttling (so does
   * `LimitExceededException`, the throttling error Cost Explorer's model lists).
   */
  code?: string;
  /** Default 400, as AWS answers throttling on JSON protocols. */
  status?: number;
  message?: string;
  /** Only requests for this operation (`GetCostAndUsage`) or full target (`AWSInsightsIndexService.GetCostAndUsage`). */
  target?: string;
}

/** Controls the faults of one running stand-in. */
export interface FaultInjector {
  /** The next `count` matching requests fail. Calls queue up in order. */
  failNext(count: number, fault?: FaultSpec): void;
  /** Every matching request fails with probability `rate`, drawn from a PRNG seeded with `seed`. */
  failRandomly(rate: number, options?: FaultSpec & { seed?: number }): void;
  /** No more faults. */
  clear(): void;
  /** How many requests have been failed so far. */
  readonly injected: number;
}

/** Builds the injector and the check the server runs on each request. */
export function createFaults(): { faults: FaultInjector; check(target: string): AwsServiceError | null } {
  const scripted: Array<{ remaining: number; fault: FaultSpec }> = [];
  let random: { rate: number; next: () => number; fault: FaultSpec } | null = null;
  let injected = 0;

  const applies = (fault: FaultSpec, target: string) =>
    !fault.target || fault.target === target || target.endsWith(`.${fault.target}`);
  const toError = (fault: FaultSpec) => {
    const code = fault.code ?? 'ThrottlingException';
    return new AwsServiceError(
      code,
      fault.message ?? (code === 'ThrottlingException' ? 'Rate exceeded' : `Injected ${code}`),
      fault.status ?? 400,
    );
  };

  return {
    faults: {
      failNext(count, fault = {}) {
        if (count > 0) scripted.push({ remaining: count, fault });
      },
      failRandomly(rate, { seed = 1, ...fault } = {}) {
        random = { rate, next: mulberry32(seed), fault };
      },
      clear() {
        scripted.length = 0;
        random = null;
      },
      get injected() {
        return injected;
      },
    },
    check(target) {
      const entry = scripted.find((s) => s.remaining > 0 && applies(s.fault, target));
      if (entry) {
        entry.remaining--;
        injected++;
        return toError(entry.fault);
      }
      // The PRNG is drawn for every matching request, failed or not, so the pattern depends only on the seed.
      if (random && applies(random.fault, target) && random.next() < random.rate) {
        injected++;
        return toError(random.fault);
      }
      return null;
    },
  };
}
