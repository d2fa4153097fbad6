/**
 * The canonical spend event: the one shape everything after `normalize` reads.
 * Field names are a contract with webhook subscribers; additive changes keep
 * `schemaVersion`, breaking ones raise it.
 */
import * as z from 'zod';
import { EVENT_KINDS, SCHEMA_VERSION, SEVERITIES } from './kinds.ts';
import type { Money } from './money.ts';

export { SCHEMA_VERSION, EVENT_KINDS, SEVERITIES, type EventKind, type Severity } from './kinds.ts';

/** An amount of money with its ISO 4217 currency code, e.g. `{ amount: 1234.5, currency: 'USD' }`. */
export const MoneySchema: z.ZodType<Money> = z
  .object({
    amount: z.number().finite(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  })
  .strict();

export const EventKindSchema = z.enum(EVENT_KINDS);
export const SeveritySchema = z.enum(SEVERITIES);

const AccountId = z.string().regex(/^[0-9]{12}$/, 'a 12-digit AWS account id');
const IsoUtc = z.iso.datetime({ offset: false });
const IsoDateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const EnvelopeLayerSchema = z.enum(['sqs', 'sns', 'eventbridge']);
export type EnvelopeLayer = z.infer<typeof EnvelopeLayerSchema>;

export const EventSourceSchema = z
  .object({
    service: z.enum(['budgets', 'cloudwatch', 'cost-anomaly-detection', 'unknown']),
    /** The wrappers the message arrived in, outermost first; empty for a bare message. */
    envelope: z.array(EnvelopeLayerSchema),
    topicArn: z.string().nullable(),
    messageId: z.string().nullable(),
    subject: z.string().nullable(),
  })
  .strict();

const base = {
  /** Deterministic from the notification's identity: the same notification in any envelope has the same id. */
  id: z.string().regex(/^evt_[0-9a-f]{32}$/),
  /** The SNS MessageId when there is one, else `id`. */
  correlationId: z.string().min(1),
  schemaVersion: z.literal(SCHEMA_VERSION),
  accountId: AccountId.nullable(),
  /** When the thing happened, ISO 8601 in UTC. */
  occurredAt: IsoUtc,
  severity: SeveritySchema,
  /** `resolved` when an alarm returns to OK; every other notification is `firing`. */
  status: z.enum(['firing', 'resolved']),
  /** One line a person reads. */
  title: z.string().min(1),
  /** One or two sentences: what moved, by how much, against what. */
  summary: z.string(),
  /** Where to look next in the AWS console, when the message gives or implies it. */
  consoleUrl: z.string().nullable(),
  source: EventSourceSchema,
  /** The original message text, as published. */
  raw: z.string(),
  /** What the normalizer could not read; empty for a clean parse. */
  diagnostics: z.array(z.string()),
};

export const BudgetPeriodSchema = z.enum(['daily', 'monthly', 'quarterly', 'annually']);
export type BudgetPeriod = z.infer<typeof BudgetPeriodSchema>;

export const BudgetDetailsSchema = z
  .object({
    name: z.string(),
    /** As AWS prints it: Cost, Usage, RI Utilization, RI Coverage, Savings Plans Utilization, ... */
    type: z.string(),
    period: BudgetPeriodSchema.nullable(),
    alertType: z.enum(['ACTUAL', 'FORECASTED']),
    limit: MoneySchema.nullable(),
    threshold: MoneySchema.nullable(),
    /** The reported ACTUAL or FORECASTED amount. */
    spend: MoneySchema.nullable(),
    /** spend / limit × 100, rounded to one decimal; null when either is unknown or the limit is zero. */
    percentOfLimit: z.number().nullable(),
    /** For budgets measured in units or percentages (usage, RI, Savings Plans), the amounts as printed. */
    usage: z
      .object({
        limit: z.number().nullable(),
        threshold: z.number().nullable(),
        value: z.number().nullable(),
        unit: z.string(),
      })
      .strict()
      .nullable(),
    /** The date in the notification's first line, YYYY-MM-DD. */
    notificationDate: z.iso.date().nullable(),
  })
  .strict();

export const AlarmStateSchema = z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

export const AlarmDetailsSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    arn: z.string().nullable(),
    state: AlarmStateSchema,
    previousState: AlarmStateSchema.nullable(),
    reason: z.string(),
    threshold: z.number().nullable(),
    /** The datapoint quoted in the state reason, when there is one. */
    value: z.number().nullable(),
    metric: z.string().nullable(),
    namespace: z.string().nullable(),
    statistic: z.string().nullable(),
    comparisonOperator: z.string().nullable(),
    /** Seconds per datapoint. */
    period: z.number().nullable(),
    evaluationPeriods: z.number().nullable(),
    dimensions: z.record(z.string(), z.string()),
    /** A region code such as `us-east-1`, not the display name. */
    region: z.string().nullable(),
    currency: z.string().nullable(),
    service: z.string().nullable(),
    linkedAccount: z.string().nullable(),
  })
  .strict();

export const BudgetAdjustmentDetailsSchema = z
  .object({
    /** Null when the notice does not name the budget (the public samples carry only the two limits). */
    name: z.string().nullable(),
    previousLimit: MoneySchema,
    currentLimit: MoneySchema,
  })
  .strict();

export const RootCauseSchema = z
  .object({
    service: z.string().nullable(),
    region: z.string().nullable(),
    linkedAccount: z.string().nullable(),
    linkedAccountName: z.string().nullable(),
    usageType: z.string().nullable(),
    contribution: MoneySchema.nullable(),
  })
  .strict();

export const AnomalyDetailsSchema = z
  .object({
    id: z.string(),
    monitorArn: z.string().nullable(),
    monitorName: z.string().nullable(),
    /** As the message gives it: a date (older messages) or a timestamp. */
    start: IsoDateOrTime.nullable(),
    end: IsoDateOrTime.nullable(),
    score: z.object({ max: z.number().nullable(), current: z.number().nullable() }).strict().nullable(),
    dimensionalValue: z.string().nullable(),
    impact: z
      .object({
        total: MoneySchema.nullable(),
        max: MoneySchema.nullable(),
        percentage: z.number().nullable(),
        actualSpend: MoneySchema.nullable(),
        expectedSpend: MoneySchema.nullable(),
      })
      .strict(),
    rootCauses: z.array(RootCauseSchema),
    detailsUrl: z.string().nullable(),
    subscriptionId: z.string().nullable(),
    subscriptionName: z.string().nullable(),
  })
  .strict();

export const UnrecognizedDetailsSchema = z
  .object({
    /** What the text looked like: JSON, text, empty. */
    format: z.enum(['json', 'text', 'empty']),
    /** The known format it resembles, when it resembles one (a truncated alarm, say). */
    resembles: z.enum(['budget', 'budget-adjustment', 'alarm', 'anomaly']).nullable(),
  })
  .strict();

export const BudgetEventSchema = z.object({ ...base, kind: z.literal('budget'), budget: BudgetDetailsSchema }).strict();
export const BillingAlarmEventSchema = z
  .object({ ...base, kind: z.literal('billing-alarm'), alarm: AlarmDetailsSchema })
  .strict();
export const AlarmEventSchema = z.object({ ...base, kind: z.literal('alarm'), alarm: AlarmDetailsSchema }).strict();
export const AnomalyEventSchema = z
  .object({ ...base, kind: z.literal('anomaly'), anomaly: AnomalyDetailsSchema })
  .strict();
export const BudgetAdjustmentEventSchema = z
  .object({ ...base, kind: z.literal('budget-adjustment'), budgetAdjustment: BudgetAdjustmentDetailsSchema })
  .strict();
export const UnrecognizedEventSchema = z
  .object({ ...base, kind: z.literal('unrecognized'), unrecognized: UnrecognizedDetailsSchema })
  .strict();

export const SpendEventSchema = z.discriminatedUnion('kind', [
  BudgetEventSchema,
  BillingAlarmEventSchema,
  AlarmEventSchema,
  AnomalyEventSchema,
  BudgetAdjustmentEventSchema,
  UnrecognizedEventSchema,
]);

export type SpendEvent = z.infer<typeof SpendEventSchema>;
export type BudgetEvent = z.infer<typeof BudgetEventSchema>;
export type BillingAlarmEvent = z.infer<typeof BillingAlarmEventSchema>;
export type AlarmEvent = z.infer<typeof AlarmEventSchema>;
export type AnomalyEvent = z.infer<typeof AnomalyEventSchema>;
export type BudgetAdjustmentEvent = z.infer<typeof BudgetAdjustmentEventSchema>;
export type UnrecognizedEvent = z.infer<typeof UnrecognizedEventSchema>;
export type BudgetDetails = z.infer<typeof BudgetDetailsSchema>;
export type AlarmDetails = z.infer<typeof AlarmDetailsSchema>;
export type AnomalyDetails = z.infer<typeof AnomalyDetailsSchema>;
export type EventSource = z.infer<typeof EventSourceSchema>;
/** An event of either alarm kind. */
export type AnyAlarmEvent = AlarmEvent | BillingAlarmEvent;

/** Generates the JSON Schema published for webhook subscribers. */
export function spendEventJsonSchema(): Record<string, unknown> {
  return {
    title: 'SpendEvent',
    description: 'The canonical spend-alerts event, schemaVersion 1.',
    ...z.toJSONSchema(SpendEventSchema, { target: 'draft-2020-12' }),
  };
}
