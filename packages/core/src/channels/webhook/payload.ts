import * as z from 'zod';
import {
  AlarmEventSchema,
  AnomalyEventSchema,
  BillingAlarmEventSchema,
  BudgetAdjustmentEventSchema,
  BudgetEventSchema,
  EventKindSchema,
  UnrecognizedEventSchema,
  type SpendEvent,
} from '../../event/schema.ts';
import type { Notification, RenderContext } from '../types.ts';
import type { WebhookReceiver } from './config.ts';

/** The payload's own version: raised on a breaking change to the envelope or to `data`. */
export const WEBHOOK_SCHEMA_VERSION = 1 as const;

/**
 * The canonical event as webhooks carry it: `raw` (the original AWS text) is left out unless
 * the receiver asks for it, since it can be large and repeats what the fields say.
 */
export const WebhookEventDataSchema = z.discriminatedUnion('kind', [
  BudgetEventSchema.partial({ raw: true }),
  BillingAlarmEventSchema.partial({ raw: true }),
  AlarmEventSchema.partial({ raw: true }),
  AnomalyEventSchema.partial({ raw: true }),
  BudgetAdjustmentEventSchema.partial({ raw: true }),
  UnrecognizedEventSchema.partial({ raw: true }),
]);

/** What one webhook delivery carries: one event, with where it was routed. */
export const WebhookPayloadSchema = z
  .object({
    /** `spend.<kind>`, so subscribers can dispatch without opening `data`. */
    type: z.templateLiteral(['spend.', EventKindSchema]),
    /** When the payload was rendered for sending, ISO 8601 UTC. */
    timestamp: z.iso.datetime({ offset: false }),
    schemaVersion: z.literal(WEBHOOK_SCHEMA_VERSION),
    data: WebhookEventDataSchema,
    routing: z
      .object({
        /** The name or path of the route that chose this receiver. */
        route: z.string(),
        receiver: z.string(),
        /** The group the event was sent in, as noise control rendered it. */
        groupKey: z.string(),
      })
      .strict(),
  })
  .strict()
  .refine((p) => p.type === `spend.${p.data.kind}`, { message: 'type must be spend.<data.kind>', path: ['type'] });

export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

/**
 * One payload per event: webhooks deliver events individually, even when noise control grouped
 * them, so a subscriber never has to unpack a batch. Events of a kind the receiver does not
 * take are left out.
 * @example renderWebhookPayload(n, { now: new Date() })[0].type // 'spend.budget'
 */
export function renderWebhookPayload(n: Notification<WebhookReceiver>, ctx: RenderContext = {}): WebhookPayload[] {
  const timestamp = (ctx.now ?? new Date()).toISOString();
  const routing = { route: n.route, receiver: n.receiver.name, groupKey: n.groupKey };
  return n.events
    .filter(({ event }) => !n.receiver.kinds || n.receiver.kinds.includes(event.kind))
    .map(({ event }) => ({
      type: `spend.${event.kind}` as const,
      timestamp,
      schemaVersion: WEBHOOK_SCHEMA_VERSION,
      data: n.receiver.includeRaw ? event : withoutRaw(event),
      routing,
    }));
}

export type WebhookEventData = z.infer<typeof WebhookEventDataSchema>;

function withoutRaw(event: SpendEvent): WebhookEventData {
  const { raw: _raw, ...rest } = event;
  // Rest of a union loses the union (TypeScript's Omit is not distributive); each member stays whole.
  return rest as WebhookEventData;
}

/** The JSON Schema (draft 2020-12) webhook subscribers validate payloads with. */
export function webhookPayloadJsonSchema(): Record<string, unknown> {
  return {
    title: 'WebhookPayload',
    description: `One spend-alerts webhook delivery, schemaVersion ${WEBHOOK_SCHEMA_VERSION}: one event (data) and how it was routed.`,
    ...z.toJSONSchema(WebhookPayloadSchema, { target: 'draft-2020-12' }),
  };
}
