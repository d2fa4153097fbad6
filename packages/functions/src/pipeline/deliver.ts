import { DeliveryError } from '@spend-alerts/adapters';
import { deliveryTarget, repeatKey, type EnrichedEvent, type Enrichment, type RouteMatch, type SpendEvent } from '@spend-alerts/core';
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
 * Delivers events to one receiver exactly once per (event, destination): events the ledger shows
 * delivered are skipped; the rest are enriched (only now, and once per account), rendered and sent,
 * and each success is written to the ledger right after the destination accepted it.
 */
export async function deliverEvents(events: SpendEvent[], match: RouteMatch, groupKey: string, deps: ChannelDeps, attempt: number): Promise<DeliveryOutcome> {
  const target = deliveryTarget(match.receiver);
  const outcome: DeliveryOutcome = { delivered: 0, skipped: 0, failures: [] };
  const pending: SpendEvent[] = [];
  for (const event of events) {
    if (await deps.store.wasDelivered(target, event.id)) outcome.skipped++;
    else pending.push(event);
  }
  if (!pending.length) return outcome;

  const enriched = await enrich(pending, deps);
  const pieces = deps.notifier.perEvent ? enriched.map((e) => [e]) : [enriched];
  for (const piece of pieces) {
    const started = Date.now();
    const ids = piece.map((e) => e.event.id);
    try {
      const result = await deps.notifier.deliver(
        { events: piece, receiver: match.receiver, route: match.route, groupKey },
        { idempotencyKey: `${ids.join(',')}|${target}`, attempt, threads: deps.threads?.(match.receiver) },
      );
      for (const id of ids) await deps.store.recordDelivered(id, target, result.ref, attempt);
      await noiseSent(deps, target, piece.map((e) => e.event), match.settings.repeatInterval);
      outcome.delivered += piece.length;
      deps.metrics?.count('Delivered', piece.length);
      log(deps, piece, match, 'delivered', attempt, started, { ref: result.ref });
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(`unexpected: ${(error as Error)?.name ?? 'error'}`, 'transient', { cause: error });
      for (const id of ids) await deps.store.recordFailed(id, target, failure.message, attempt);
      deps.metrics?.count('Failed', piece.length);
      outcome.failures.push({ receiver: match.receiver.name, reason: failure.message, retryable: failure.retryable, retryAfterMs: failure.retryAfterMs, failure: failure.failure });
      log(deps, piece, match, failure.retryable ? 'retry' : 'failed', attempt, started, { reason: failure.message, failure: failure.failure });
    }
  }
  return outcome;
}

/** Starts each event's repeatInterval: the same alert again only after it. */
async function noiseSent(deps: ChannelDeps, target: string, events: SpendEvent[], repeatInterval: number) {
  const now = deps.clock.now().getTime();
  for (const e of events) await deps.store.markSent(target, repeatKey(e), now, now + repeatInterval);
}

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

function log(deps: ChannelDeps, piece: EnrichedEvent[], match: RouteMatch, outcome: string, attempt: number, started: number, extra: Record<string, unknown>) {
  for (const { event } of piece) {
    deps.logger.info({ eventId: event.id, correlationId: event.correlationId, kind: event.kind, title: event.title, receiver: match.receiver.name, channel: match.receiver.type, outcome, attempt, durationMs: Date.now() - started, groupSize: piece.length, ...extra }, 'record outcome');
  }
}
