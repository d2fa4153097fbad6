import { describe, expect, it } from 'vitest';
import { SpendEventSchema, type SpendEvent } from '../../event/schema.ts';
import { budgetText, eventOf, sampleEvents } from '../test-messages.ts';
import { WebhookReceiverSchema, type WebhookReceiver } from './config.ts';
import { renderWebhookPayload, WebhookPayloadSchema, webhookPayloadJsonSchema } from './payload.ts';

const now = new Date('2026-05-14T10:00:00.000Z');
const receiver = (extra: Partial<Record<string, unknown>> = {}): WebhookReceiver =>
  WebhookReceiverSchema.parse({
    type: 'webhook',
    name: 'ops-hook',
    url: 'https://hooks.example.com/spend',
    signingSecret: 'OpsHookSecret',
    ...extra,
  });

const render = (events: SpendEvent[], r = receiver()) =>
  renderWebhookPayload(
    {
      events: events.map((event) => ({ event, enrichment: null })),
      receiver: r,
      route: 'route.routes[0]',
      groupKey: '{kind="budget"}',
    },
    { now },
  );

describe('renderWebhookPayload', () => {
  it.each(sampleEvents())('%s: a schema-valid payload typed by kind, without raw', (_, event) => {
    const [payload, ...rest] = render([event]);
    expect(rest).toHaveLength(0);
    expect(WebhookPayloadSchema.parse(payload)).toEqual(payload);
    expect(payload).toMatchObject({
      type: `spend.${event.kind}`,
      timestamp: '2026-05-14T10:00:00.000Z',
      schemaVersion: 1,
      routing: { route: 'route.routes[0]', receiver: 'ops-hook', groupKey: '{kind="budget"}' },
    });
    expect('raw' in payload!.data).toBe(false);
    expect(JSON.stringify(payload)).not.toContain('"raw"');
    const { raw: _raw, ...withoutRaw } = event;
    expect(payload!.data).toEqual(withoutRaw);
  });

  it('carries the original text, as a valid canonical event, when the receiver includes raw', () => {
    const event = eventOf(budgetText());
    const [payload] = render([event], receiver({ includeRaw: true }));
    expect(payload!.data.raw).toBe(event.raw);
    expect(SpendEventSchema.parse(payload!.data)).toEqual(event);
    expect(WebhookPayloadSchema.safeParse(payload).success).toBe(true);
  });

  it('delivers a group as one payload per event, in order', () => {
    const events = [
      eventOf(budgetText({ name: 'a' })),
      eventOf(budgetText({ name: 'b' })),
      eventOf(budgetText({ name: 'c' })),
    ];
    const payloads = render(events);
    expect(payloads.map((p) => p.data.id)).toEqual(events.map((e) => e.id));
    expect(new Set(payloads.map((p) => p.timestamp)).size).toBe(1);
  });

  it('leaves out kinds the receiver does not take', () => {
    const events = sampleEvents().map(([, e]) => e);
    expect(render(events, receiver({ kinds: ['anomaly', 'budget'] })).map((p) => p.type)).toEqual([
      'spend.budget',
      'spend.budget',
      'spend.anomaly',
    ]);
  });
});

describe('WebhookPayloadSchema', () => {
  const valid = () => render([eventOf(budgetText())])[0]!;

  it.each([
    ['a type that does not match the event', (p: any) => (p.type = 'spend.anomaly')],
    ['an unknown top-level key', (p: any) => (p.extra = 1)],
    ['a timestamp with an offset', (p: any) => (p.timestamp = '2026-05-14T10:00:00+02:00')],
    ['another schema version', (p: any) => (p.schemaVersion = 2)],
    ['routing without its group key', (p: any) => delete p.routing.groupKey],
    ['an event without its id', (p: any) => delete p.data.id],
  ])('rejects %s', (_, spoil) => {
    const payload = structuredClone(valid());
    spoil(payload);
    expect(WebhookPayloadSchema.safeParse(payload).success).toBe(false);
  });
});

describe('webhookPayloadJsonSchema', () => {
  const schema = webhookPayloadJsonSchema() as any;

  it('is a draft 2020-12 schema of the envelope, closed to unknown keys', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('WebhookPayload');
    expect(schema.required).toEqual(['type', 'timestamp', 'schemaVersion', 'data', 'routing']);
    expect(schema.additionalProperties).toBe(false);
    expect(new RegExp(schema.properties.type.pattern).test('spend.billing-alarm')).toBe(true);
    expect(new RegExp(schema.properties.type.pattern).test('spend.other')).toBe(false);
  });

  it('makes raw optional in every kind of event', () => {
    const variants: any[] = schema.properties.data.oneOf ?? schema.properties.data.anyOf;
    expect(variants).toHaveLength(6);
    for (const v of variants) {
      expect(v.properties.raw).toEqual({ type: 'string' });
      expect(v.required).not.toContain('raw');
      expect(v.required).toContain('id');
    }
  });
});
