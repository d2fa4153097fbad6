import * as z from 'zod';
import { ReceiverSchema } from '../channels/registry.ts';
import { parseMatcher, type Matcher } from '../routing/matchers.ts';
import { DurationSchema, SecretRefSchema, TimeZoneSchema, WEEKDAYS } from './primitives.ts';

export { ReceiverSchema, type Receiver } from '../channels/registry.ts';

export const MatcherSchema = z.string().transform((text, ctx): Matcher => {
  try {
    return parseMatcher(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Settings a child route inherits from its parent unless it sets its own. */
const inheritable = {
  receiver: z.string().optional(),
  groupBy: z.array(z.string().regex(/^(\.\.\.|[A-Za-z_][A-Za-z0-9_.]*)$/)).optional(),
  groupWait: DurationSchema.optional(),
  groupInterval: DurationSchema.optional(),
  repeatInterval: DurationSchema.optional(),
  sendResolved: z.boolean().optional(),
  muteTimeWindows: z.array(z.string()).optional(),
};

export interface RouteInput {
  name?: string | undefined;
  receiver?: string | undefined;
  matchers?: string[] | undefined;
  amountAtLeast?: number | undefined;
  percentOfLimitAtLeast?: number | undefined;
  continue?: boolean | undefined;
  groupBy?: string[] | undefined;
  groupWait?: string | number | undefined;
  groupInterval?: string | number | undefined;
  repeatInterval?: string | number | undefined;
  sendResolved?: boolean | undefined;
  muteTimeWindows?: string[] | undefined;
  routes?: RouteInput[] | undefined;
}

export interface RouteConfig {
  name?: string | undefined;
  receiver?: string | undefined;
  matchers: Matcher[];
  amountAtLeast?: number | undefined;
  percentOfLimitAtLeast?: number | undefined;
  continue: boolean;
  groupBy?: string[] | undefined;
  groupWait?: number | undefined;
  groupInterval?: number | undefined;
  repeatInterval?: number | undefined;
  sendResolved?: boolean | undefined;
  muteTimeWindows?: string[] | undefined;
  routes: RouteConfig[];
}

export const RouteSchema: z.ZodType<RouteConfig, RouteInput> = z.lazy(() =>
  z
    .object({
      /** Shown in `spend-alerts route` and in the webhook payload's `routing.route`. */
      name: z.string().optional(),
      ...inheritable,
      matchers: z.array(MatcherSchema).default([]),
      /** The event's main amount (budget spend, alarm value, anomaly impact) is at least this. */
      amountAtLeast: z.number().nonnegative().optional(),
      /** A budget's spend is at least this percent of its limit. */
      percentOfLimitAtLeast: z.number().nonnegative().optional(),
      /** Keep looking at later sibling routes after this one matched. */
      continue: z.boolean().default(false),
      routes: z.array(RouteSchema).default([]),
    })
    .strict(),
);

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time such as 22:00');

export const MuteTimeWindowSchema = z
  .object({
    name: z.string(),
    timeZone: TimeZoneSchema.default('UTC'),
    /** The window is active when any interval matches; within one interval every given field must match. */
    intervals: z
      .array(
        z
          .object({
            weekdays: z.array(z.enum(WEEKDAYS)).optional(),
            times: z.array(z.object({ start: TimeOfDay, end: TimeOfDay }).strict()).optional(),
            daysOfMonth: z.array(z.number().int().min(1).max(31)).optional(),
            months: z.array(z.number().int().min(1).max(12)).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type MuteTimeWindow = z.infer<typeof MuteTimeWindowSchema>;

export const AccountSchema = z
  .object({
    name: z.string(),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();

/** A budget to create in AWS Budgets, notifying the pipeline's topic. */
export const BudgetSpecSchema = z
  .object({
    name: z.string().regex(/^[^:\\]{1,100}$/, 'at most 100 characters, without ":" or "\\" (AWS Budgets forbids them)'),
    /** The limit, in USD. */
    limit: z.number().positive(),
    period: z.enum(['monthly', 'quarterly', 'annually', 'daily']).default('monthly'),
    /** Only this linked account's cost, when the pipeline runs in a payer account. */
    account: z
      .string()
      .regex(/^[0-9]{12}$/)
      .optional(),
    /** Alerts at percentages of the limit. */
    notifications: z
      .array(
        z
          .object({ type: z.enum(['ACTUAL', 'FORECASTED']), thresholdPercent: z.number().positive().max(1000) })
          .strict(),
      )
      .min(1)
      .default([
        { type: 'ACTUAL', thresholdPercent: 80 },
        { type: 'ACTUAL', thresholdPercent: 100 },
        { type: 'FORECASTED', thresholdPercent: 100 },
      ]),
  })
  .strict();
export type BudgetSpec = z.infer<typeof BudgetSpecSchema>;

/** A CloudWatch alarm on `AWS/Billing` `EstimatedCharges` (created in us-east-1, where the metric lives). */
export const BillingAlarmSpecSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9 ._-]{1,255}$/, 'letters, digits, space, dot, dash and underscore'),
    /** Month-to-date estimated charges, in USD, that raise the alarm. */
    threshold: z.number().positive(),
    /** Only this service's charges (its `ServiceName` dimension, e.g. AmazonEC2). */
    service: z.string().optional(),
    /** Only this linked account's charges. */
    linkedAccount: z
      .string()
      .regex(/^[0-9]{12}$/)
      .optional(),
  })
  .strict();
export type BillingAlarmSpec = z.infer<typeof BillingAlarmSpecSchema>;

export const ConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    /** Names and tags of the accounts alerts come from, for routing and display. */
    accounts: z.record(z.string().regex(/^[0-9]{12}$/, 'a 12-digit account id'), AccountSchema).default({}),
    /** Where the pipeline runs in an organization's payer account: read account names and tags from AWS Organizations. */
    organizations: z
      .object({ enabled: z.boolean().default(false), cacheTtl: DurationSchema.prefault('24h') })
      .strict()
      .prefault({}),
    slack: z
      .object({ tokenSecret: SecretRefSchema.default('SlackBotToken') })
      .strict()
      .prefault({}),
    email: z
      .object({
        /** The verified SES identity alerts are sent from. */
        from: z.email(),
        configurationSet: z.string().optional(),
      })
      .strict()
      .optional(),
    enrichment: z
      .object({
        enabled: z.boolean().default(true),
        /** How many services the breakdown lists before "Other". */
        topServices: z.number().int().min(1).max(20).default(5),
        /**
         * How often the organization's costs are refreshed from Cost Explorer, at most: one request set
         * a window answers every alert and digest. Cost Explorer itself refreshes at least once a day.
         */
        cacheTtl: DurationSchema.prefault('12h'),
        /** Never more Cost Explorer requests than this in a month ($0.01 each); past it, alerts use the costs kept. */
        maxRequestsPerMonth: z.number().int().min(0).max(100_000).default(60),
      })
      .strict()
      .prefault({}),
    /** Budgets to create in AWS Budgets (optional: existing ones can be connected with `spend-alerts budgets connect`). */
    budgets: z.array(BudgetSpecSchema).default([]),
    /** Billing alarms to create in CloudWatch. */
    billingAlarms: z.array(BillingAlarmSpecSchema).default([]),
    /**
     * How the pipeline watches itself. By default an hourly watchdog (a scheduled function reading the
     * ledger and the dead-letter queues) tells the operations topic what is wrong, which costs cents a
     * year; CloudWatch alarms ($0.10 each a month) and custom metrics ($0.30 each a month) are opt-in.
     */
    monitoring: z
      .object({
        /** CloudWatch alarms on the dead-letter queues and the functions' errors, beside the watchdog. */
        alarms: z.boolean().default(false),
        /** The handlers' counts (received, delivered, failed …) as CloudWatch embedded metrics, per channel. */
        metrics: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** A Cost Anomaly Detection monitor of AWS services with an immediate subscription to the topic. */
    anomalyDetection: z
      .object({
        enabled: z.boolean().default(false),
        /** Alert on anomalies whose total impact is at least this many USD. */
        minImpact: z.number().nonnegative().default(100),
      })
      .strict()
      .prefault({}),
    receivers: z.array(ReceiverSchema).min(1),
    route: RouteSchema,
    muteTimeWindows: z.array(MuteTimeWindowSchema).default([]),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
