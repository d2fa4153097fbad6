import { DeliveryError } from '@spend-alerts/adapters/errors';
import { scrub } from '@spend-alerts/adapters/log';
import {
  isDigestReceiver,
  buildDigest,
  digestSnapshot,
  directoryOf,
  DigestScheduleSchema,
  dueDigest,
  periodEvents,
  shouldSendDigest,
  spendChartSvg,
  type Digest,
  type DigestPeriod,
  type DigestSchedule,
  type Enrichment,
  type PreviousDigest,
} from '@spend-alerts/core';
import type { DigestDeps, DigestReceiver, DigestSender } from './deps.ts';
import { WATCHDOG_KEYS, WATCHDOG_RECORD_TTL_MS } from '../watchdog/run-watchdog.ts';

/** Tells the watchdog the digest job runs: one small write a run. */
export async function recordDigestRun(
  cache: Pick<DigestDeps['stores']['cache'], 'putCached'>,
  at: Date,
): Promise<void> {
  await cache.putCached(WATCHDOG_KEYS.digestRan, { at: at.toISOString() }, WATCHDOG_RECORD_TTL_MS);
}

/**
 * What one due digest came to:
 * - `sent`: delivered (`ref` is the SES message id or the Slack ts);
 * - `empty`: nothing happened and the receiver wants no all-quiet line; closed without a message;
 * - `already-done`: another run sent, closed or is sending this period;
 * - `retry`: a transient failure; the claim is given back and the next hourly run tries again;
 * - `failed`: a permanent failure, closed with its reason; the alerts stay buffered for the next period.
 */
export interface DigestRunResult {
  receiver: string;
  channel: DigestReceiver['type'];
  periodKey: string;
  outcome: 'sent' | 'empty' | 'already-done' | 'retry' | 'failed';
  /** Alerts the digest carried. */
  events: number;
  ref: string | null;
  /** `inline`, `uploaded`, `none`, or `failed: <why>`. */
  chart: string;
  reason: string | null;
}

/**
 * How long a claim holds while its digest is being sent. Longer than the function may run (2
 * minutes), shorter than the hour to the next run: a run that died mid-send is made up by the next.
 */
export const DIGEST_CLAIM_MS = 30 * 60_000;
/** Keeps what the last digest saw across weekly gaps and a month's turn. */
const SNAPSHOT_TTL_MS = 100 * 86_400_000;

/**
 * Sends every digest due at `now`: for each Slack or email receiver in digest mode whose period is
 * due, claims the period in the ledger (so a second run in the same period does nothing), builds
 * the digest from the buffered alerts and current costs, sends it with its chart, and empties the
 * buffer of what it sent. Receivers are independent: one failing does not stop the others.
 * Logs one JSON line per due digest.
 * @example const results = await runDigests(await awsDigestDeps(), new Date())
 */
export async function runDigests(deps: DigestDeps, now: Date): Promise<DigestRunResult[]> {
  const results: DigestRunResult[] = [];
  for (const receiver of deps.config.receivers) {
    if (!isDigestReceiver(receiver)) continue;
    const schedule = receiver.digest ?? DigestScheduleSchema.parse({});
    const period = dueDigest(schedule, now);
    if (period) results.push(await runDigest(receiver, schedule, period, deps));
  }
  return results;
}

async function runDigest(
  receiver: DigestReceiver,
  schedule: DigestSchedule,
  period: DigestPeriod,
  deps: DigestDeps,
): Promise<DigestRunResult> {
  const started = Date.now();
  const result: DigestRunResult = {
    receiver: receiver.name,
    channel: receiver.type,
    periodKey: period.key,
    outcome: 'retry',
    events: 0,
    ref: null,
    chart: 'none',
    reason: null,
  };
  const done = (changes: Partial<DigestRunResult>) => logOutcome(deps, Object.assign(result, changes), started);
  const { digests, cache } = deps.stores;

  try {
    if (!(await digests.claimDigest(receiver.name, period.key, DIGEST_CLAIM_MS)))
      return done({ outcome: 'already-done' });
  } catch (error) {
    return done({ outcome: 'retry', reason: `ledger: ${describe(error)}` });
  }

  let prepared: { digest: Digest; keys: string[]; chart: Buffer | null };
  try {
    const buffer = await digests.digestBuffer(receiver.name, period.end);
    const events = periodEvents(
      buffer.map((b) => b.event),
      period,
    );
    const ids = new Set(events.map((e) => e.id));
    const digest = buildDigest({
      receiver: receiver.name,
      period,
      events,
      // An all-quiet digest shows no costs: it costs no Cost Explorer request either.
      enrichment: events.length ? await currentCosts(period, deps) : null,
      budgets: deps.config.budgets.map((spec) => ({ spec })),
      previousDigest: await cache.getCached<PreviousDigest>(snapshotKey(receiver.name)),
      accounts: deps.accounts ?? directoryOf(deps.config),
    });
    result.events = events.length;
    if (!shouldSendDigest(digest, schedule)) {
      await digests.recordDigestOutcome(
        receiver.name,
        period.key,
        'empty',
        'no alerts in the period, and sendWhenEmpty is false',
      );
      return done({ outcome: 'empty' });
    }
    prepared = {
      digest,
      keys: buffer.filter((b) => ids.has(b.event.id)).map((b) => b.key),
      chart: chartPng(digest, deps, result),
    };
  } catch (error) {
    // Nothing was sent: give the claim back for the next run (should that fail too, it lapses after DIGEST_CLAIM_MS).
    await digests.releaseDigest(receiver.name, period.key).catch(() => undefined);
    return done({ outcome: 'retry', reason: describe(error) });
  }

  const { digest, keys, chart } = prepared;
  try {
    const sender = deps.senders[receiver.type] as DigestSender<DigestReceiver> | undefined;
    if (!sender) throw new DeliveryError(`no ${receiver.type} digest sender is configured`, 'permanent');
    const delivery = await sender.send(chart ? digest : { ...digest, chart: null }, receiver, chart, deps.clock.now());
    result.ref = delivery.ref;
    result.chart = chart ? delivery.chart : result.chart;
  } catch (error) {
    const failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(`unexpected: ${describe(error)}`, 'transient', { cause: error });
    if (failure.retryable) {
      await digests.releaseDigest(receiver.name, period.key).catch(() => undefined);
      return done({ outcome: 'retry', reason: failure.message });
    }
    await digests
      .recordDigestOutcome(receiver.name, period.key, 'failed', `${failure.failure}: ${failure.message}`)
      .catch(() => undefined);
    return done({ outcome: 'failed', reason: `${failure.failure}: ${failure.message}` });
  }

  // Sent: what follows must not give the claim back, or the next run would send it again.
  try {
    await digests.markDigestSent(receiver.name, period.key, result.ref);
    // Movers are measured against what the reader last saw; an all-quiet digest shows no costs.
    if (!digest.empty) await cache.putCached(snapshotKey(receiver.name), digestSnapshot(digest), SNAPSHOT_TTL_MS);
    await digests.removeDigestEvents(receiver.name, keys);
  } catch (error) {
    return done({ outcome: 'sent', reason: `sent, but the ledger was not updated: ${describe(error)}` });
  }
  return done({ outcome: 'sent' });
}

/**
 * The whole bill's month to date through the period's last day. On the 1st, Cost Explorer's own
 * month to date is already the new month, which is not the month the digest reports on.
 */
async function currentCosts(period: DigestPeriod, deps: DigestDeps): Promise<Enrichment | null> {
  if (!deps.costs) return null;
  try {
    return await deps.costs.enrichAccount(null, new Date(`${period.lastDay}T00:00:00Z`));
  } catch (error) {
    // A digest without costs still says what happened; buildDigest says the costs are missing.
    deps.logger.warn({ periodKey: period.key, err: error }, 'digest costs unavailable');
    return null;
  }
}

/** The chart as PNG, or null (no cost data, an all-quiet digest, or rendering failed: then sent without it). */
function chartPng(digest: Digest, deps: DigestDeps, result: DigestRunResult): Buffer | null {
  if (!digest.chart || digest.empty) return null;
  try {
    return deps.renderChart(spendChartSvg(digest.chart));
  } catch (error) {
    result.chart = `failed: ${describe(error)}`;
    return null;
  }
}

function snapshotKey(receiver: string): string {
  return `digest-snapshot:${receiver}`;
}

/** An error as a line for logs and the ledger; SDK and HTTP errors may quote URLs, which may carry secrets. */
function describe(error: unknown): string {
  return scrub(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

function logOutcome(deps: DigestDeps, result: DigestRunResult, started: number): DigestRunResult {
  const level =
    result.outcome === 'failed'
      ? 'error'
      : result.outcome === 'retry' || result.reason || result.chart.startsWith('failed')
        ? 'warn'
        : 'info';
  deps.logger[level]({ ...result, durationMs: Date.now() - started }, 'digest outcome');
  return result;
}
