import type { ThreadLedger, ThreadStore } from '@spend-alerts/adapters';
import { DeliveryError } from '@spend-alerts/adapters/errors';
import {
  deliveryTarget,
  repeatKey,
  type EnrichedEvent,
  type Enrichment,
  type RouteMatch,
  type SpendEvent,
} from '@spend-alerts/core';
import { spec } from '@spend-alerts/stacks/spec';
import type { BatchMarks } from './batch-marks.ts';
import type { ChannelDeps } from './deps.ts';

export interface DeliveryFailure {
  receiver: string;
  reason: string;
  retryable: boolean;
  retryAfterMs?: number;
  failure: string;
}

export interface DeliveryOutcome {
  delivered: number;
  skipped: number;
  failures: DeliveryFailure[];
}

/**
 * Delivers events to one receiver exactly once per (event, destination). The events are enriched (only
 * now, once per account), then each message's events are claimed in the ledger right before it is sent
 * (`claimDelivery`): events delivered already are skipped, events another consumer is sending now come
 * back later, and the rest are rendered and sent. Each success is written to the ledger, with its
 * repeat mark and the Slack thread it started, right after the destination accepted it.
 */
export async function deliverEvents(
  events: SpendEvent[],
  match: RouteMatch,
  groupKey: string,
  deps: ChannelDeps,
  attempt: number,
  marks: BatchMarks | null = null,
): Promise<DeliveryOutcome> {
  const target = deliveryTarget(match.receiver);
  const outcome: DeliveryOutcome = { delivered: 0, skipped: 0, failures: [] };
  const leaseMs = deps.deliveryLeaseMs ?? spec.consumers[deps.channel].timeoutSeconds * 1000;
  let heldUntil = 0;
  let held = 0;
  /** Events whose earlier claim expired with no result: the destination may have them already. */
  const unfinished = new Set<string>();
  /** Claims a message's events; returns those this consumer may send. */
  const claim = async (piece: EnrichedEvent[]): Promise<EnrichedEvent[]> => {
    const mine: EnrichedEvent[] = [];
    for (let i = 0; i < piece.length; i += CLAIMS_AT_ONCE) {
      const slice = piece.slice(i, i + CLAIMS_AT_ONCE);
      const claims = await Promise.all(
        slice.map(({ event }) => deps.stores.deliveries.claimDelivery(event.id, target, leaseMs, attempt)),
      );
      for (const [j, c] of claims.entries()) {
        const { event } = slice[j]!;
        if (c.status === 'claimed') {
          mine.push(slice[j]!);
          if (c.unfinished) unfinished.add(event.id);
          continue;
        }
        if (c.status === 'delivered') outcome.skipped++;
        else {
          held++;
          heldUntil = Math.max(heldUntil, c.untilMs);
        }
        deps.logger.info(
          {
            eventId: event.id,
            correlationId: event.correlationId,
            kind: event.kind,
            receiver: match.receiver.name,
            outcome: c.status === 'delivered' ? 'duplicate' : 'in-flight',
            attempt,
          },
          'record outcome',
        );
      }
    }
    return mine;
  };

  const enriched = await enrich(events, deps);
  const ledger = receiverThreads(deps.stores.threads, target);
  const sendThreads = ledger && marks ? marks.sendThreads(match.receiver, ledger) : null;
  const threads = sendThreads ?? ledger;
  const pieces = deps.notifier.perEvent ? enriched.map((e) => [e]) : [enriched];
  for (const whole of pieces) {
    const piece = await claim(whole);
    if (!piece.length) continue;
    const release = deps.notifier.oneAtATime ? await oneAtATime(deps.notifier) : null;
    try {
      await send(piece);
    } finally {
      release?.();
    }
  }
  /** Sends one message's events and writes the result to the ledger. */
  async function send(piece: EnrichedEvent[]): Promise<void> {
    const started = Date.now();
    const ids = piece.map((e) => e.event.id);
    let ref: string | null;
    try {
      ref = (
        await deps.notifier.deliver(
          { events: piece, receiver: match.receiver, route: match.route, groupKey },
          {
            idempotencyKey: `${ids.join(',')}|${target}`,
            attempt,
            threads,
            unfinished: ids.some((id) => unfinished.has(id)),
          },
        )
      ).ref;
    } catch (error) {
      sendThreads?.take(); // nothing was started
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(`unexpected: ${(error as Error)?.name ?? 'error'}`, 'transient', { cause: error });
      // Unsettled: the claim stays unfinished, so that the next try looks for an earlier send again.
      if (!failure.details.unsettled)
        for (const id of ids) await deps.stores.deliveries.recordFailed(id, target, failure.message, attempt);
      deps.metrics?.count('Failed', piece.length);
      outcome.failures.push({
        receiver: match.receiver.name,
        reason: failure.message,
        retryable: failure.retryable,
        retryAfterMs: failure.retryAfterMs,
        failure: failure.failure,
      });
      log(deps, piece, match, failure.retryable ? 'retry' : 'failed', attempt, started, {
        reason: failure.message,
        failure: failure.failure,
      });
      return;
    }
    // Sent: from here a failure must not report the send as failed (a retry would find the claim and wait it out).
    const now = deps.clock.now().getTime();
    const repeats = piece.map(({ event }) => ({
      repeatKey: repeatKey(event),
      at: now,
      expiresAt: now + match.settings.repeatInterval,
    }));
    await deps.stores.deliveries.recordSent(ids, target, ref, attempt, repeats, sendThreads?.take() ?? []);
    marks?.noteSent(target, repeats);
    outcome.delivered += piece.length;
    deps.metrics?.count('Delivered', piece.length);
    log(deps, piece, match, 'delivered', attempt, started, { ref });
  }
  if (held) {
    // Another consumer holds the claim: it delivers, or its claim expires and this record's retry does.
    const waitMs = Math.max(1000, heldUntil - deps.clock.now().getTime());
    outcome.failures.push({
      receiver: match.receiver.name,
      reason: `${held} event(s) being sent by another consumer`,
      retryable: true,
      retryAfterMs: deps.clock.realDelayMs(waitMs),
      failure: 'in-flight',
    });
  }
  return outcome;
}

/** One destination's view of the thread store, as a notifier takes it. */
function receiverThreads(store: ThreadStore, target: string): ThreadLedger {
  return { get: (key) => store.get(target, key), put: (key, ts) => store.put(target, key, ts) };
}

/** The tail of the sends in progress per notifier that sends one at a time. */
const sending = new WeakMap<object, Promise<void>>();

/** Waits for the notifier's send in progress; resolves with the release of this one. */
async function oneAtATime(notifier: object): Promise<() => void> {
  const before = sending.get(notifier) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  sending.set(
    notifier,
    before.then(() => mine),
  );
  await before;
  return release;
}

/** Claims written at once for a group's events (the SDK's connection pool is 50). */
const CLAIMS_AT_ONCE = 25;

/** One enrichment per account for the whole group: a burst costs one lookup. */
async function enrich(events: SpendEvent[], deps: ChannelDeps): Promise<EnrichedEvent[]> {
  if (!deps.enricher || !deps.config.enrichment.enabled) return events.map((event) => ({ event, enrichment: null }));
  const byAccount = new Map<string, Promise<Enrichment | null>>();
  return Promise.all(
    events.map(async (event) => {
      const key = `${event.accountId ?? '-'}|${event.kind === 'budget' ? event.budget.name : ''}`;
      if (!byAccount.has(key)) {
        byAccount.set(
          key,
          deps.enricher!.enrich(event).catch((error: Error) => {
            deps.logger.warn({ eventId: event.id, err: error }, 'enrichment failed');
            return null;
          }),
        );
      }
      return { event, enrichment: await byAccount.get(key)! };
    }),
  );
}

function log(
  deps: ChannelDeps,
  piece: EnrichedEvent[],
  match: RouteMatch,
  outcome: string,
  attempt: number,
  started: number,
  extra: Record<string, unknown>,
) {
  for (const { event } of piece) {
    deps.logger.info(
      {
        eventId: event.id,
        correlationId: event.correlationId,
        kind: event.kind,
        title: event.title,
        receiver: match.receiver.name,
        channel: match.receiver.type,
        outcome,
        attempt,
        durationMs: Date.now() - started,
        groupSize: piece.length,
        ...extra,
      },
      'record outcome',
    );
  }
}
